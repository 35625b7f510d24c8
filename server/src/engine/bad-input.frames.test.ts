/**
 * Bad input at the framing level, from raw sockets: impossible lengths, truncated
 * and split frames, garbage, unknown opCodes, floods. After each one the healthy
 * driver client must still be served with its data unchanged, and the offending
 * socket must have been answered with a MongoDB-shaped error or closed.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { serialize } from 'bson';
import { startTestEngine, type EngineFixture } from './testing.js';
import { FrameReader, MAX_MESSAGE_BYTES } from './wire/protocol.js';
import {
  Bystander,
  RawClient,
  command,
  expectClosed,
  expectErrorOrClosed,
  expectOk,
  frame,
  header,
  opMsg,
} from './wire/raw-client.js';

describe('engine: bad input in wire framing', function () {
  let fx: EngineFixture;
  let bystander: Bystander;
  const raws: RawClient[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  const connect = async () => {
    const raw = await RawClient.connect(fx.engine.port);
    raws.push(raw);
    return raw;
  };

  before(async () => {
    process.on('unhandledRejection', onRejection);
    fx = await startTestEngine();
    bystander = new Bystander(fx.client);
    await bystander.seed();
  });
  afterEach(() => {
    for (const raw of raws.splice(0)) raw.destroy();
  });
  after(async () => {
    await fx.close();
    process.off('unhandledRejection', onRejection);
    expect(rejections, 'unhandled promise rejections').to.deep.equal([]);
  });

  it('closes the connection when a frame declares a length below 16 bytes', async () => {
    const raw = await connect();
    expectClosed(await raw.request(header(8, 1, 2013)));
    await bystander.stillServed();
  });

  it('closes the connection when a frame declares a negative length', async () => {
    const raw = await connect();
    expectClosed(await raw.request(header(-5, 1, 2013)));
    const ones = await connect();
    expectClosed(await ones.request(Buffer.alloc(64, 0xff)));
    await bystander.stillServed();
  });

  it('closes the connection on a length over maxMessageSizeBytes as soon as the header arrives', async () => {
    // Only the header is sent: an engine that waited to buffer the declared 48 MB would never answer.
    const raw = await connect();
    expectClosed(await raw.request(header(MAX_MESSAGE_BYTES + 1, 1, 2013), 1000));
    const huge = await connect();
    expectClosed(await huge.request(header(0x7fffffff, 2, 2013), 1000));
    // Even the first 4 bytes alone are enough to refuse.
    const prefix = await connect();
    expectClosed(await prefix.request(header(MAX_MESSAGE_BYTES + 1, 3, 2013).subarray(0, 4), 1000));
    await bystander.stillServed();
  });

  it('discards a truncated frame when the client closes mid-frame, applying nothing of it', async () => {
    const before = await bystander.connections();
    const raw = await connect();
    const insert = command(1, { insert: 'partial', documents: [{ half: true }], $db: 'bad' });
    await raw.write(insert.subarray(0, insert.length - 7));
    raw.destroy();
    await raw.closed;
    await bystander.connectionsAtMost(before);
    expect(await fx.client.db('bad').collection('partial').countDocuments()).to.equal(0);
    await bystander.stillServed();
  });

  it('answers a frame split across many one-byte TCP writes', async () => {
    const raw = await connect();
    const insert = command(7, {
      insert: 'split',
      documents: [{ _id: 'split', pieces: 1 }],
      $db: 'bad',
    });
    await raw.writeInPieces(insert, 1);
    expect(expectOk(await raw.outcome(), 7).n).to.equal(1);
    const stored = await fx.client
      .db('bad')
      .collection('split')
      .findOne({ _id: 'split' as never });
    expect(stored).to.deep.equal({ _id: 'split', pieces: 1 });
    await bystander.stillServed();
  });

  it('reassembles frames from any chunk boundaries, even one byte at a time (FrameReader)', () => {
    const big = command(1, { insert: 'c', documents: [{ blob: 'y'.repeat(200_000) }], $db: 'bad' });
    const frames = [big, command(2, { ping: 1 }), command(3, { ping: 1 }), big];
    const stream = Buffer.concat(frames);
    for (const pieces of [1, 3, 17, 4096]) {
      const reader = new FrameReader();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += pieces)
        out.push(...reader.push(stream.subarray(i, i + pieces)));
      expect(out.map((f) => f.toString('hex'))).to.deep.equal(frames.map((f) => f.toString('hex')));
      expect(reader.pendingBytes).to.equal(0);
    }
  });

  it('answers two frames that arrive in one TCP write, in order', async () => {
    const raw = await connect();
    await raw.write(
      Buffer.concat([command(1, { ping: 1, $db: 'admin' }), command(2, { ping: 1, $db: 'admin' })]),
    );
    expectOk(await raw.outcome(), 1);
    expectOk(await raw.outcome(), 2);
    await bystander.stillServed();
  });

  it('closes the connection on garbage bytes: an HTTP request, a TLS hello, random noise', async () => {
    const http = await connect();
    expectClosed(await http.request(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n')));
    // A TLS ClientHello reads as a plausible 33 MB length: the opCode gives it away before any waiting.
    const tls = await connect();
    expectClosed(
      await tls.request(
        Buffer.from('1603010200010001fc0303aabbccddeeff00112233445566778899', 'hex'),
      ),
    );
    for (let i = 0; i < 10; i++) {
      const noise = randomBytes(4096);
      noise.writeInt32LE(100 + i, 0); // a valid small length, so the rest is judged as a frame
      const raw = await connect();
      expectErrorOrClosed(await raw.request(noise));
    }
    await bystander.stillServed();
  });

  it('closes the connection on an unknown opCode (OP_COMPRESSED, legacy OP_INSERT, OP_REPLY, 9999)', async () => {
    for (const opCode of [2012, 2002, 2001, 2005, 1, 9999, 0, -1]) {
      const raw = await connect();
      expectClosed(
        await raw.request(frame(opCode, 1, Buffer.from(serialize({ ping: 1, $db: 'admin' })))),
      );
    }
    // Refused from the header alone: a body that never arrives is not waited for.
    const raw = await connect();
    expectClosed(await raw.request(header(1000, 1, 2012), 1000));
    await bystander.stillServed();
  });

  it('closes the connection when an OP_MSG frame is too short to hold flags and a section', async () => {
    const raw = await connect();
    expectClosed(await raw.request(frame(2013, 1, Buffer.from([0, 0]))));
    await bystander.stillServed();
  });

  it('keeps serving the healthy client while 50 raw sockets send garbage concurrently', async () => {
    const before = await bystander.connections();
    const garbage = (i: number): Buffer => {
      switch (i % 6) {
        case 0:
          return Buffer.from('GET / HTTP/1.1\r\n\r\n');
        case 1:
          return header(i % 16, i, 2013);
        case 2:
          return frame(2012, i, randomBytes(64));
        case 3:
          return opMsg(i, [{ kind: 9, raw: randomBytes(32) }]);
        case 4:
          return opMsg(i, [{ kind: 0, doc: randomBytes(40) }]);
        default:
          return Buffer.concat([header(MAX_MESSAGE_BYTES + i, i, 2013), randomBytes(1024)]);
      }
    };
    const attackers = Array.from({ length: 50 }, async (_, i) => {
      const raw = await connect();
      for (let k = 0; k < 3 && raw.isOpen; k++) await raw.write(garbage(i + k));
      expectErrorOrClosed(await raw.outcome(3000));
      raw.destroy();
    });
    const healthy = (async () => {
      for (let i = 0; i < 20; i++) await bystander.stillServed();
    })();
    await Promise.all([...attackers, healthy]);
    await bystander.connectionsAtMost(before + 2);
    await bystander.stillServed();
  });

  it('answers a burst of 5,000 pipelined requests in order', async () => {
    const raw = await connect();
    const burst = Buffer.concat(
      Array.from({ length: 5000 }, (_, i) => command(i + 1, { ping: 1, $db: 'admin' })),
    );
    const writing = raw.write(burst);
    await bystander.stillServed();
    await writing;
    for (let i = 1; i <= 5000; i++) expectOk(await raw.outcome(5000), i);
    await bystander.stillServed();
  });

  it('stops reading from a client that never reads its replies, instead of buffering them', async function () {
    this.timeout(60_000);
    const big = fx.client.db('bad').collection('big');
    await big.insertOne({ _id: 'big' as never, blob: 'x'.repeat(1024 * 1024) });
    const raw = await connect();
    raw.pauseReading();
    const finds = Buffer.concat(
      Array.from({ length: 200 }, (_, i) => command(i + 1, { find: 'big', $db: 'bad' })),
    );
    const memoryBefore = process.memoryUsage().arrayBuffers;
    void raw.write(finds);
    await new Promise((r) => setTimeout(r, 1000));
    // 200 replies of 1 MB each would be 200 MB if the engine queued them all; it holds a few.
    const grown = process.memoryUsage().arrayBuffers - memoryBefore;
    expect(grown, `${grown} bytes held`).to.be.below(64 * 1024 * 1024);
    await bystander.stillServed();
    raw.resumeReading();
    for (let i = 1; i <= 200; i++)
      expect(expectOk(await raw.outcome(10_000), i).cursor).to.have.property('firstBatch');
    await bystander.stillServed();
  });
});
