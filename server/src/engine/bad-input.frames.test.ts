/**
 * Malformed wire input: every frame here comes from a raw socket, never from the
 * driver. After each one the healthy driver client must still be served and the
 * data written before must be unchanged; the offending socket must get a
 * MongoDB-shaped error or be closed.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { serialize } from 'bson';
import type { Collection, Document } from 'mongodb';
import { startTestEngine, type EngineFixture } from './testing.js';
import { MAX_MESSAGE_BYTES } from './wire/protocol.js';
import { RawClient, command, frame, header, opMsg, opQuery, type Outcome } from './wire/raw-client.js';

const SENTINEL: Document[] = [
  { _id: 1, name: 'alpha', tags: ['x', 'y'] },
  { _id: 2, name: 'beta', nested: { deep: { n: 2 } } },
];

function expectClosed(outcome: Outcome): void {
  expect(outcome.kind, JSON.stringify(outcome)).to.equal('closed');
}

function expectMongoError(outcome: Outcome, code?: number): Document {
  expect(outcome.kind, JSON.stringify(outcome)).to.equal('reply');
  const doc = outcome.kind === 'reply' ? outcome.reply.doc : {};
  expect(doc.ok).to.equal(0);
  expect(doc.code).to.be.a('number');
  expect(doc.codeName).to.be.a('string').that.is.not.empty;
  expect(doc.errmsg).to.be.a('string').that.is.not.empty;
  if (code !== undefined) expect(doc.code, doc.errmsg as string).to.equal(code);
  return doc;
}

function expectOk(outcome: Outcome, responseTo?: number): Document {
  expect(outcome.kind, JSON.stringify(outcome)).to.equal('reply');
  if (outcome.kind !== 'reply') return {};
  expect(outcome.reply.doc.ok, JSON.stringify(outcome.reply.doc)).to.equal(1);
  if (responseTo !== undefined) expect(outcome.reply.responseTo).to.equal(responseTo);
  return outcome.reply.doc;
}

describe('engine: malformed wire input', function () {
  let fx: EngineFixture;
  let sentinel: Collection;
  let probe: Collection;
  let rounds = 0;
  const raws: RawClient[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  const connect = async () => {
    const raw = await RawClient.connect(fx.engine.port);
    raws.push(raw);
    return raw;
  };

  /** (a) the healthy client still round-trips, (b) earlier data is intact. */
  async function othersStillServed(): Promise<void> {
    const marker = `round-${++rounds}`;
    await probe.insertOne({ marker });
    expect(await probe.findOne({ marker }, { projection: { _id: 0 } })).to.deep.equal({ marker });
    expect(await probe.countDocuments()).to.equal(rounds);
    expect(await sentinel.find().sort({ _id: 1 }).toArray()).to.deep.equal(SENTINEL);
  }

  async function connectionCount(): Promise<number> {
    const status = await fx.client.db('admin').command({ serverStatus: 1 });
    return (status.connections as { current: number }).current;
  }

  before(async () => {
    process.on('unhandledRejection', onRejection);
    fx = await startTestEngine();
    sentinel = fx.client.db('bad').collection('sentinel');
    probe = fx.client.db('bad').collection('probe');
    await sentinel.insertMany(SENTINEL.map((d) => ({ ...d })));
  });
  afterEach(() => {
    for (const raw of raws.splice(0)) raw.destroy();
  });
  after(async () => {
    await fx.close();
    process.off('unhandledRejection', onRejection);
    expect(rejections, 'unhandled promise rejections').to.deep.equal([]);
  });

  describe('framing', () => {
    it('closes the connection when a frame declares a length below 16 bytes', async () => {
      const raw = await connect();
      expectClosed(await raw.request(header(8, 1, 2013)));
      await othersStillServed();
    });

    it('closes the connection when a frame declares a negative length', async () => {
      const raw = await connect();
      expectClosed(await raw.request(header(-5, 1, 2013)));
      const ff = await connect();
      expectClosed(await ff.request(Buffer.alloc(64, 0xff)));
      await othersStillServed();
    });

    it('closes the connection on a length over maxMessageSizeBytes after only the header, without waiting for the body', async () => {
      const raw = await connect();
      // Only the 16-byte header is sent: had the engine tried to buffer 48 MB it would wait forever.
      expectClosed(await raw.request(header(MAX_MESSAGE_BYTES + 1, 1, 2013), 1000));
      const huge = await connect();
      expectClosed(await huge.request(header(0x7fffffff, 2, 2013), 1000));
      await othersStillServed();
    });

    it('discards a truncated frame when the client closes mid-frame, applying nothing of it', async () => {
      const before = await connectionCount();
      const raw = await connect();
      const insert = command(1, { insert: 'partial', documents: [{ half: true }], $db: 'bad' });
      await raw.write(insert.subarray(0, insert.length - 7));
      raw.destroy();
      await raw.closed;
      const deadline = Date.now() + 2000;
      while ((await connectionCount()) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await connectionCount()).to.be.at.most(before);
      expect(await fx.client.db('bad').collection('partial').countDocuments()).to.equal(0);
      await othersStillServed();
    });

    it('answers a frame split across many one-byte TCP writes', async () => {
      const raw = await connect();
      const insert = command(7, { insert: 'split', documents: [{ _id: 'split', pieces: 1 }], $db: 'bad' });
      await raw.writeInPieces(insert, 1);
      expect(expectOk(await raw.outcome(), 7).n).to.equal(1);
      expect(await fx.client.db('bad').collection('split').findOne({ _id: 'split' as never })).to.deep.equal({ _id: 'split', pieces: 1 });
      await othersStillServed();
    });

    it('answers two frames that arrive in one TCP write, in order', async () => {
      const raw = await connect();
      await raw.write(Buffer.concat([command(1, { ping: 1, $db: 'admin' }), command(2, { ping: 1, $db: 'admin' })]));
      expectOk(await raw.outcome(), 1);
      expectOk(await raw.outcome(), 2);
      await othersStillServed();
    });

    it('closes the connection on garbage bytes (an HTTP request, a TLS hello, random noise)', async () => {
      const http = await connect();
      expectClosed(await http.request(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')));
      // A TLS ClientHello's first bytes read as a plausible 33 MB length: the opCode gives it away.
      const tls = await connect();
      expectClosed(await tls.request(Buffer.from('1603010200010001fc0303aabbccddeeff00112233445566778899', 'hex')));
      for (let i = 0; i < 5; i++) {
        const noise = randomBytes(4096);
        noise.writeInt32LE(100 + i, 0); // a small valid length, so the rest is judged as a frame
        const raw = await connect();
        const outcome = await raw.request(noise);
        if (outcome.kind === 'reply') expectMongoError(outcome);
        else expectClosed(outcome);
      }
      await othersStillServed();
    });

    it('closes the connection on an unknown opCode (OP_COMPRESSED, legacy OP_INSERT, 9999, OP_REPLY)', async () => {
      for (const opCode of [2012, 2002, 9999, 1, 0, -1]) {
        const raw = await connect();
        expectClosed(await raw.request(frame(opCode, 1, Buffer.from(serialize({ ping: 1, $db: 'admin' })))));
      }
      await othersStillServed();
    });

    it('closes the connection when an OP_MSG frame is too short to hold flags and a section', async () => {
      const raw = await connect();
      expectClosed(await raw.request(frame(2013, 1, Buffer.from([0, 0]))));
      await othersStillServed();
    });
  });

  describe('OP_MSG contents', () => {
    const ping = Buffer.from(serialize({ ping: 1, $db: 'admin' }));

    /** The socket that got an error must still work for a well-formed request. */
    async function stillUsable(raw: RawClient): Promise<void> {
      expectOk(await raw.request(command(99, { ping: 1, $db: 'admin' })), 99);
    }

    it('answers InvalidBSON for a body with an unknown element type, and keeps the connection', async () => {
      const raw = await connect();
      const body = Buffer.from(ping);
      body[4] = 0x20; // type byte of the first element
      expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc: body }])), 22);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('answers InvalidBSON for a body whose inner lengths are wrong', async () => {
      const raw = await connect();
      const nested = Buffer.from(serialize({ insert: 'c', documents: [{ a: 'xy' }], $db: 'bad' }));
      const inner = nested.indexOf(Buffer.from('documents\0')) + 'documents\0'.length;
      nested.writeInt32LE(9999, inner); // the array's length
      expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc: nested }])), 22);
      const outer = Buffer.from(ping);
      outer.writeInt32LE(ping.length + 50, 0); // claims more bytes than the section holds
      expectMongoError(await raw.request(opMsg(2, [{ kind: 0, doc: outer }])), 22);
      const tiny = Buffer.from(ping);
      tiny.writeInt32LE(3, 0);
      expectMongoError(await raw.request(opMsg(3, [{ kind: 0, doc: tiny }])), 22);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('answers InvalidBSON for a string that is not UTF-8, and stores nothing', async () => {
      const raw = await connect();
      const doc = Buffer.from(serialize({ insert: 'utf8', documents: [{ s: 'ok' }], $db: 'bad' }));
      const at = doc.indexOf(Buffer.from('ok\0'));
      doc[at] = 0xc3; // a lone lead byte followed by an ASCII byte
      expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc }])), 22);
      expect(await fx.client.db('bad').collection('utf8').countDocuments()).to.equal(0);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('closes the connection on a wrong CRC-32C checksum, like mongod (ChecksumMismatch)', async () => {
      const raw = await connect();
      const good = opMsg(1, [{ kind: 0, doc: { insert: 'crc', documents: [{ n: 1 }], $db: 'bad' } }], { checksum: true });
      const bad = Buffer.from(good);
      bad.writeUInt32LE((good.readUInt32LE(good.length - 4) ^ 1) >>> 0, good.length - 4);
      expectClosed(await raw.request(bad));
      expect(await fx.client.db('bad').collection('crc').countDocuments()).to.equal(0);
      await othersStillServed();
    });

    it('answers an OP_MSG that carries a correct CRC-32C checksum', async () => {
      const raw = await connect();
      const msg = opMsg(5, [{ kind: 0, doc: { insert: 'crcok', documents: [{ n: 1 }], $db: 'bad' } }], { checksum: true });
      expect(expectOk(await raw.request(msg), 5).n).to.equal(1);
      expect(await fx.client.db('bad').collection('crcok').countDocuments()).to.equal(1);
      await othersStillServed();
    });

    it('answers an error (40430) for two body sections and applies neither', async () => {
      const raw = await connect();
      const one = { insert: 'twobodies', documents: [{ n: 1 }], $db: 'bad' };
      expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc: one }, { kind: 0, doc: one }])), 40430);
      expect(await fx.client.db('bad').collection('twobodies').countDocuments()).to.equal(0);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('answers an error (40432) for an unknown section kind', async () => {
      const raw = await connect();
      expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc: ping }, { kind: 2, raw: ping }])), 40432);
      expectMongoError(await raw.request(opMsg(2, [{ kind: 0x7f, raw: ping }])), 40432);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('answers an error (40587) for an OP_MSG with only a document sequence, no body', async () => {
      const raw = await connect();
      expectMongoError(await raw.request(opMsg(1, [{ kind: 1, id: 'documents', docs: [{ n: 1 }] }])), 40587);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('answers an error for a document sequence with a bad size or a duplicate identifier', async () => {
      const raw = await connect();
      const seq = Buffer.concat([Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('documents\0')]);
      expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc: ping }, { kind: 1, raw: seq }])));
      const body = { insert: 'dupseq', documents: [{ n: 0 }], $db: 'bad' };
      const dup = opMsg(2, [{ kind: 0, doc: body }, { kind: 1, id: 'documents', docs: [{ n: 1 }] }]);
      expectMongoError(await raw.request(dup), 40433);
      expect(await fx.client.db('bad').collection('dupseq').countDocuments()).to.equal(0);
      await stillUsable(raw);
      await othersStillServed();
    });

    it('closes the connection on unknown required flag bits (IllegalOpMsgFlag)', async () => {
      const raw = await connect();
      expectClosed(await raw.request(opMsg(1, [{ kind: 0, doc: ping }], { flags: 1 << 5 })));
      await othersStillServed();
    });

    it('runs an insert flagged moreToCome without sending any reply', async () => {
      const raw = await connect();
      await raw.write(command(1, { insert: 'w0', documents: [{ _id: 'w0' }], $db: 'bad', writeConcern: { w: 0 } }, 1 << 1));
      // The next reply on the socket answers the ping, not the fire-and-forget insert.
      expectOk(await raw.request(command(2, { ping: 1, $db: 'admin' })), 2);
      expect(await fx.client.db('bad').collection('w0').findOne({})).to.deep.equal({ _id: 'w0' });
      await othersStillServed();
    });

    it('answers a legacy OP_QUERY isMaster on admin.$cmd with OP_REPLY', async () => {
      const raw = await connect();
      const outcome = await raw.request(opQuery(3, 'admin.$cmd', { isMaster: 1 }));
      const doc = expectOk(outcome, 3);
      expect(outcome.kind === 'reply' && outcome.reply.opCode).to.equal(1);
      expect(doc.ismaster).to.equal(true);
      await othersStillServed();
    });

    it('answers other OP_QUERY commands and invalid OP_QUERY bodies with an error in an OP_REPLY', async () => {
      const raw = await connect();
      const find = await raw.request(opQuery(4, 'bad.$cmd', { find: 'sentinel' }));
      expectMongoError(find, 352);
      expect(find.kind === 'reply' && find.reply.opCode).to.equal(1);
      const legacy = await raw.request(opQuery(5, 'bad.sentinel', { _id: 1 }));
      expectMongoError(legacy, 352);
      const broken = opQuery(6, 'admin.$cmd', { isMaster: 1 });
      broken.writeInt32LE(9999, broken.length - serialize({ isMaster: 1 }).length);
      const invalid = await raw.request(broken);
      expectMongoError(invalid, 22);
      expect(invalid.kind === 'reply' && invalid.reply.opCode).to.equal(1);
      await othersStillServed();
    });

    it('answers an empty command document with an error', async () => {
      const raw = await connect();
      expectMongoError(await raw.request(command(1, {})));
      expectMongoError(await raw.request(command(2, { $db: 'admin' })));
      await stillUsable(raw);
      await othersStillServed();
    });
  });

  describe('many clients at once', () => {
    it('keeps serving the healthy client while 50 raw sockets send garbage concurrently', async () => {
      const before = await connectionCount();
      const garbage = (i: number): Buffer => {
        switch (i % 5) {
          case 0: return Buffer.from('GET / HTTP/1.1\r\n\r\n');
          case 1: return header(i, i, 2013);
          case 2: return frame(2012, i, randomBytes(64));
          case 3: return opMsg(i, [{ kind: 9, raw: randomBytes(32) }]);
          default: return Buffer.concat([header(MAX_MESSAGE_BYTES + i, i, 2013), randomBytes(1024)]);
        }
      };
      const attackers = Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const raw = await connect();
          for (let k = 0; k < 3 && raw.isOpen; k++) await raw.write(garbage(i + k));
          const outcome = await raw.outcome(3000);
          if (outcome.kind === 'reply') expectMongoError(outcome);
          else expect(outcome.kind).to.equal('closed');
          raw.destroy();
        }),
      );
      const healthy = (async () => {
        for (let i = 0; i < 20; i++) await othersStillServed();
      })();
      await Promise.all([attackers, healthy]);
      const deadline = Date.now() + 2000;
      while ((await connectionCount()) > before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await connectionCount()).to.be.at.most(before + 2);
      await othersStillServed();
    });

    it('answers a burst of 5,000 pipelined requests in order without stalling others', async () => {
      const raw = await connect();
      const burst = Buffer.concat(Array.from({ length: 5000 }, (_, i) => command(i + 1, { ping: 1, $db: 'admin' })));
      const writing = raw.write(burst);
      await othersStillServed();
      await writing;
      for (let i = 1; i <= 5000; i++) expectOk(await raw.outcome(5000), i);
      await othersStillServed();
    });
  });
});
