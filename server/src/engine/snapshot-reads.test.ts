import { expect } from 'chai';
import { Timestamp, type Db, type Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

type Doc = { _id: number } & Document;

describe('engine: snapshot reads', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('snap');
  });
  after(() => fx.close());

  /** Runs a write command and returns its operationTime (the cluster time it committed at). */
  async function write(command: Document): Promise<Timestamp> {
    const reply = await db.command(command);
    return reply.operationTime as Timestamp;
  }

  function readAt(command: Document, atClusterTime?: Timestamp): Promise<Document> {
    return db.command({
      ...command,
      readConcern: atClusterTime ? { level: 'snapshot', atClusterTime } : { level: 'snapshot' },
    });
  }

  it('reads find, aggregate and distinct as of atClusterTime, naming that time in the reply', async () => {
    const t1 = await write({
      insert: 'accounts',
      documents: [
        { _id: 1, owner: 'ann', balance: 100 },
        { _id: 2, owner: 'bob', balance: 50 },
      ],
    });
    await write({
      update: 'accounts',
      updates: [{ q: { _id: 1 }, u: { $inc: { balance: -30 } } }],
    });
    await write({ delete: 'accounts', deletes: [{ q: { _id: 2 }, limit: 1 }] });
    await write({ insert: 'accounts', documents: [{ _id: 3, owner: 'cy', balance: 7 }] });

    const found = await readAt({ find: 'accounts', sort: { _id: 1 } }, t1);
    expect(found.cursor.firstBatch).to.deep.equal([
      { _id: 1, owner: 'ann', balance: 100 },
      { _id: 2, owner: 'bob', balance: 50 },
    ]);
    expect(found.cursor.atClusterTime.equals(t1)).to.equal(true);

    const summed = await readAt(
      {
        aggregate: 'accounts',
        pipeline: [{ $group: { _id: null, total: { $sum: '$balance' } } }],
        cursor: {},
      },
      t1,
    );
    expect(summed.cursor.firstBatch).to.deep.equal([{ _id: null, total: 150 }]);
    expect(summed.cursor.atClusterTime.equals(t1)).to.equal(true);

    const owners = await readAt({ distinct: 'accounts', key: 'owner' }, t1);
    expect(owners.values.sort()).to.deep.equal(['ann', 'bob']);
    expect(owners.atClusterTime.equals(t1)).to.equal(true);

    // The present is unchanged by reading the past.
    expect(await db.collection<Doc>('accounts').find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 1, owner: 'ann', balance: 70 },
      { _id: 3, owner: 'cy', balance: 7 },
    ]);
  });

  it('without atClusterTime reads the latest state and reports the time it read at', async () => {
    await write({ insert: 'latest', documents: [{ _id: 1 }] });
    const reply = await readAt({ find: 'latest' });
    expect(reply.cursor.firstBatch).to.deep.equal([{ _id: 1 }]);
    expect(reply.cursor.atClusterTime).to.be.instanceOf(Timestamp);
    await write({ insert: 'latest', documents: [{ _id: 2 }] });
    const again = await readAt({ find: 'latest' }, reply.cursor.atClusterTime as Timestamp);
    expect(again.cursor.firstBatch).to.deep.equal([{ _id: 1 }]);
  });

  it('keeps a snapshot session on the time of its first read', async () => {
    const coll = db.collection<Doc>('session_reads');
    await coll.insertMany([
      { _id: 1, v: 'a' },
      { _id: 2, v: 'b' },
    ]);
    const session = fx.client.startSession({ snapshot: true });
    try {
      const first = await coll.find({}, { session }).sort({ _id: 1 }).toArray();
      expect(first.map((d) => d.v)).to.deep.equal(['a', 'b']);
      await coll.updateOne({ _id: 1 }, { $set: { v: 'changed' } });
      await coll.insertOne({ _id: 3, v: 'c' });
      const second = await coll.find({}, { session }).sort({ _id: 1 }).toArray();
      expect(second.map((d) => d.v)).to.deep.equal(['a', 'b']);
      expect(await coll.countDocuments()).to.equal(3);
      expect(await coll.distinct('v', {}, { session })).to.have.members(['a', 'b']);
      const [agg] = await coll.aggregate([{ $count: 'n' }], { session }).toArray();
      expect(agg.n).to.equal(2);
    } finally {
      await session.endSession();
    }
  });

  it('hands out the rest of a snapshot cursor unchanged by later writes', async () => {
    const coll = db.collection<Doc>('batched');
    await coll.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, v: i })));
    const session = fx.client.startSession({ snapshot: true });
    try {
      const cursor = coll.find({}, { session, batchSize: 2 }).sort({ _id: 1 });
      const firstTwo = [await cursor.next(), await cursor.next()];
      await coll.deleteMany({});
      const rest = await cursor.toArray();
      expect([...firstTwo, ...rest].map((d) => d?._id)).to.deep.equal([0, 1, 2, 3, 4]);
    } finally {
      await session.endSession();
    }
  });

  it('answers MongoDB’s errors: unsupported command, atClusterTime misuse, future and too-old times', async () => {
    const count = await errorOf(readAt({ count: 'accounts' }));
    expect(count.code).to.equal(72);
    const noLevel = await errorOf(
      db.command({
        find: 'accounts',
        readConcern: { level: 'majority', atClusterTime: new Timestamp({ t: 1, i: 1 }) },
      }),
    );
    expect(noLevel.code).to.equal(72);
    const now = (await db.command({ ping: 1 })).operationTime as Timestamp;
    const future = await errorOf(
      readAt({ find: 'accounts' }, new Timestamp({ t: now.high + 3600, i: 1 })),
    );
    expect(future.code).to.equal(72);
    const tooOld = await errorOf(readAt({ find: 'accounts' }, new Timestamp({ t: 1, i: 1 })));
    expect(tooOld.code).to.equal(239);
    expect(tooOld.codeName).to.equal('SnapshotTooOld');
    const out = await errorOf(
      readAt({ aggregate: 'accounts', pipeline: [{ $out: 'x' }], cursor: {} }),
    );
    expect(out.code).to.equal(72);
  });

  it('refuses a time before its collection was dropped and created again (246 SnapshotUnavailable)', async () => {
    const t = await write({ insert: 'recreated', documents: [{ _id: 1 }] });
    await db.collection('recreated').drop();
    await write({ insert: 'recreated', documents: [{ _id: 2 }] });
    const err = await errorOf(readAt({ find: 'recreated' }, t));
    expect(err.code).to.equal(246);
  });
});

describe('engine: snapshot history is bounded', () => {
  let fx: EngineFixture;
  before(async () => {
    fx = await startTestEngine({ snapshotHistoryMaxVersions: 3 });
  });
  after(() => fx.close());

  it('answers SnapshotTooOld once the versions a time needs have been let go', async () => {
    const db = fx.client.db('snapcap');
    const first = await db.command({ insert: 'c', documents: [{ _id: 0, v: 0 }] });
    const t0 = first.operationTime as Timestamp;
    const atT0 = { find: 'c', readConcern: { level: 'snapshot', atClusterTime: t0 } };
    expect((await db.command(atT0)).cursor.firstBatch).to.deep.equal([{ _id: 0, v: 0 }]);
    for (let v = 1; v <= 5; v++)
      await db.command({ update: 'c', updates: [{ q: { _id: 0 }, u: { $set: { v } } }] });
    const err = await errorOf(db.command(atT0));
    expect(err.code).to.equal(239);
  });
});
