/**
 * Bad input inside well-framed messages, from raw sockets: invalid BSON, bad
 * checksums, malformed sections, flags, legacy OP_QUERY, oversized and deeply
 * nested documents. A message that was read whole gets a MongoDB-shaped error and
 * leaves its connection usable, unless mongod itself would drop the connection.
 */
import { expect } from 'chai';
import { serialize, type Document } from 'bson';
import { startTestEngine, type EngineFixture } from './testing.js';
import {
  Bystander,
  RawClient,
  command,
  expectClosed,
  expectMongoError,
  expectOk,
  opMsg,
  opQuery,
} from './wire/raw-client.js';

const MORE_TO_COME = 1 << 1;
const ping = Buffer.from(serialize({ ping: 1, $db: 'admin' }));

/** `{ s: 'xxx…' }` of exactly `size` bytes, built by hand (bson's serializer stops near 17 MB). */
function bsonOfSize(size: number): Buffer {
  const doc = Buffer.alloc(size, 0x78);
  doc.writeInt32LE(size, 0);
  doc[4] = 0x02; // string
  doc.write('s\0', 5);
  doc.writeInt32LE(size - 12, 7); // string length including its NUL
  doc[size - 2] = 0;
  doc[size - 1] = 0;
  return doc;
}

function nested(levels: number): Document {
  let doc: Document = { leaf: true };
  for (let i = 0; i < levels; i++) doc = { a: doc };
  return doc;
}

describe('engine: bad input inside wire messages', function () {
  let fx: EngineFixture;
  let bystander: Bystander;
  const raws: RawClient[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  const count = (coll: string) => fx.client.db('bad').collection(coll).countDocuments();

  const connect = async () => {
    const raw = await RawClient.connect(fx.engine.port);
    raws.push(raw);
    return raw;
  };

  /** The socket that got an error answer still works for a well-formed request. */
  async function stillUsable(raw: RawClient): Promise<void> {
    expectOk(await raw.request(command(99, { ping: 1, $db: 'admin' })), 99);
  }

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

  it('answers InvalidBSON (22) for a body with an unknown element type, and keeps the connection', async () => {
    const raw = await connect();
    const body = Buffer.from(ping);
    body[4] = 0x20; // type byte of the first element
    expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc: body }])), 22);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers InvalidBSON (22) for a body whose inner or outer lengths are wrong', async () => {
    const raw = await connect();
    const doc = Buffer.from(serialize({ insert: 'lengths', documents: [{ a: 'xy' }], $db: 'bad' }));
    doc.writeInt32LE(9999, doc.indexOf('documents\0') + 'documents\0'.length); // the array's own length
    expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc }])), 22);
    const longer = Buffer.from(ping);
    longer.writeInt32LE(ping.length + 50, 0); // claims more bytes than the section holds
    expectMongoError(await raw.request(opMsg(2, [{ kind: 0, doc: longer }])), 22);
    const tiny = Buffer.from(ping);
    tiny.writeInt32LE(3, 0);
    expectMongoError(await raw.request(opMsg(3, [{ kind: 0, doc: tiny }])), 22);
    expect(await count('lengths')).to.equal(0);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers InvalidBSON (22) for a string that is not UTF-8, and stores nothing', async () => {
    const raw = await connect();
    const doc = Buffer.from(serialize({ insert: 'utf8', documents: [{ s: 'ok' }], $db: 'bad' }));
    doc[doc.indexOf('ok\0')] = 0xc3; // a lead byte followed by an ASCII byte
    expectMongoError(await raw.request(opMsg(1, [{ kind: 0, doc }])), 22);
    expect(await count('utf8')).to.equal(0);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('closes the connection on a wrong CRC-32C checksum and applies nothing, as mongod does', async () => {
    const raw = await connect();
    const good = opMsg(
      1,
      [{ kind: 0, doc: { insert: 'crc', documents: [{ n: 1 }], $db: 'bad' } }],
      { checksum: true },
    );
    const bad = Buffer.from(good);
    bad.writeUInt32LE((good.readUInt32LE(good.length - 4) ^ 1) >>> 0, good.length - 4);
    expectClosed(await raw.request(bad));
    expect(await count('crc')).to.equal(0);
    await bystander.stillServed();
  });

  it('answers an OP_MSG that carries a correct CRC-32C checksum', async () => {
    const raw = await connect();
    const msg = opMsg(
      5,
      [{ kind: 0, doc: { insert: 'crcok', documents: [{ n: 1 }], $db: 'bad' } }],
      { checksum: true },
    );
    expect(expectOk(await raw.request(msg), 5).n).to.equal(1);
    expect(await count('crcok')).to.equal(1);
    await bystander.stillServed();
  });

  it('answers an error (40430) for two body sections and applies neither', async () => {
    const raw = await connect();
    const body = { insert: 'twobodies', documents: [{ n: 1 }], $db: 'bad' };
    expectMongoError(
      await raw.request(
        opMsg(1, [
          { kind: 0, doc: body },
          { kind: 0, doc: body },
        ]),
      ),
      40430,
    );
    expect(await count('twobodies')).to.equal(0);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers an error (40432) for an unknown section kind', async () => {
    const raw = await connect();
    expectMongoError(
      await raw.request(
        opMsg(1, [
          { kind: 0, doc: ping },
          { kind: 2, raw: ping },
        ]),
      ),
      40432,
    );
    expectMongoError(await raw.request(opMsg(2, [{ kind: 0x7f, raw: ping }])), 40432);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers an error (40587) for an OP_MSG with a document sequence but no body', async () => {
    const raw = await connect();
    expectMongoError(
      await raw.request(opMsg(1, [{ kind: 1, id: 'documents', docs: [{ n: 1 }] }])),
      40587,
    );
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers an error for a document sequence with a bad size, or duplicating a body field', async () => {
    const raw = await connect();
    const seq = Buffer.concat([Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('documents\0')]);
    expectMongoError(
      await raw.request(
        opMsg(1, [
          { kind: 0, doc: ping },
          { kind: 1, raw: seq },
        ]),
      ),
    );
    const body = { insert: 'dupseq', documents: [{ n: 0 }], $db: 'bad' };
    const dup = opMsg(2, [
      { kind: 0, doc: body },
      { kind: 1, id: 'documents', docs: [{ n: 1 }] },
    ]);
    expectMongoError(await raw.request(dup), 40433);
    expect(await count('dupseq')).to.equal(0);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('closes the connection on unknown required flag bits (IllegalOpMsgFlag)', async () => {
    const raw = await connect();
    expectClosed(await raw.request(opMsg(1, [{ kind: 0, doc: ping }], { flags: 1 << 5 })));
    await bystander.stillServed();
  });

  it('runs an insert flagged moreToCome without sending any reply', async () => {
    const raw = await connect();
    await raw.write(
      command(
        1,
        { insert: 'w0', documents: [{ _id: 'w0' }], $db: 'bad', writeConcern: { w: 0 } },
        MORE_TO_COME,
      ),
    );
    // The next reply on the socket answers the ping, not the fire-and-forget insert.
    expectOk(await raw.request(command(2, { ping: 1, $db: 'admin' })), 2);
    expect(await fx.client.db('bad').collection('w0').findOne({})).to.deep.equal({ _id: 'w0' });
    await bystander.stillServed();
  });

  it('closes the connection on a malformed moreToCome message, which cannot be answered', async () => {
    const raw = await connect();
    const body = Buffer.from(serialize({ insert: 'w0bad', documents: [{ n: 1 }], $db: 'bad' }));
    body[4] = 0x20;
    expectClosed(await raw.request(opMsg(1, [{ kind: 0, doc: body }], { flags: MORE_TO_COME })));
    expect(await count('w0bad')).to.equal(0);
    await bystander.stillServed();
  });

  it('answers a legacy OP_QUERY isMaster on admin.$cmd with OP_REPLY', async () => {
    const raw = await connect();
    const outcome = await raw.request(opQuery(3, 'admin.$cmd', { isMaster: 1 }));
    expect(expectOk(outcome, 3).ismaster).to.equal(true);
    expect(outcome.kind === 'reply' && outcome.reply.opCode).to.equal(1);
    await bystander.stillServed();
  });

  it('answers other OP_QUERY commands and invalid OP_QUERY bodies with an error in an OP_REPLY', async () => {
    const raw = await connect();
    const find = await raw.request(opQuery(4, 'bad.$cmd', { find: 'sentinel' }));
    expectMongoError(find, 352);
    expect(find.kind === 'reply' && find.reply.opCode).to.equal(1);
    expectMongoError(await raw.request(opQuery(5, 'bad.sentinel', { _id: 1 })), 352);
    const insert = await raw.request(
      opQuery(6, 'bad.$cmd', { insert: 'legacy', documents: [{ n: 1 }] }),
    );
    expectMongoError(insert, 352);
    expect(await count('legacy')).to.equal(0);
    const broken = opQuery(7, 'admin.$cmd', { isMaster: 1 });
    broken.writeInt32LE(9999, broken.length - serialize({ isMaster: 1 }).length);
    const invalid = await raw.request(broken);
    expectMongoError(invalid, 22);
    expect(invalid.kind === 'reply' && invalid.reply.opCode).to.equal(1);
    await bystander.stillServed();
  });

  it('answers an empty command document with an error', async () => {
    const raw = await connect();
    expectMongoError(await raw.request(command(1, {})));
    expectMongoError(await raw.request(command(2, { $db: 'admin' })));
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers BSONObjectTooLarge (10334) for a 17 MB document in an insert, and stores nothing', async function () {
    this.timeout(60_000);
    const raw = await connect();
    const doc = bsonOfSize(17 * 1024 * 1024);
    const insert = opMsg(1, [
      { kind: 0, doc: { insert: 'huge', $db: 'bad' } },
      { kind: 1, id: 'documents', docs: [doc] },
    ]);
    expectMongoError(await raw.request(insert, 10_000), 10334);
    expect(await count('huge')).to.equal(0);
    await stillUsable(raw);
    await bystander.stillServed();
  });

  it('answers Overflow (15) for documents nested past 200 levels, even 100,000 deep', async () => {
    const raw = await connect();
    const deep = command(1, { insert: 'deep', documents: [nested(250)], $db: 'bad' });
    expectMongoError(await raw.request(deep), 15);
    // 100,000 levels would overflow a recursive decoder's stack: built by hand, 8 bytes a level.
    const levels = 100_000;
    const bomb = Buffer.alloc(levels * 8 + 5); // zero-filled: the innermost {} and every terminator
    for (let i = 0; i < levels; i++) {
      bomb.writeInt32LE((levels - i) * 8 + 5, i * 7);
      bomb.write('\x03a\0', i * 7 + 4, 'latin1');
    }
    bomb.writeInt32LE(5, levels * 7);
    const msg = opMsg(2, [
      { kind: 0, doc: { insert: 'deep', $db: 'bad' } },
      { kind: 1, id: 'documents', docs: [bomb] },
    ]);
    expectMongoError(await raw.request(msg), 15);
    expect(await count('deep')).to.equal(0);
    await stillUsable(raw);
    await bystander.stillServed();
  });
});
