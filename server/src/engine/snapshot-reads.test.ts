import { expect } from 'chai';
import { Timestamp, type ClientSession, type Db, type Document } from 'mongodb';
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

describe('engine: transactions at a cluster time (snapshot, atClusterTime)', () => {
  let fx: EngineFixture;
  let db: Db;
  let session: ClientSession;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('snaptxn');
  });
  after(() => fx.close());
  // Without causal consistency the driver adds no afterClusterTime next to atClusterTime.
  beforeEach(() => (session = fx.client.startSession({ causalConsistency: false })));
  afterEach(() => session.endSession());

  /**
   * Runs `command` in the session's transaction; `at` starts one reading at that
   * time (the driver passes the command's own readConcern on the first command).
   */
  function inTxn(command: Document, at?: Timestamp): Promise<Document> {
    if (!at) return db.command(command, { session });
    session.startTransaction();
    return db.command(
      { ...command, readConcern: { level: 'snapshot', atClusterTime: at } },
      { session },
    );
  }
  const commit = () => session.commitTransaction();

  it('reads every statement as of atClusterTime and commits its own writes', async () => {
    const at = (await db.command({ insert: 'c', documents: [{ _id: 1, v: 'old' }, { _id: 2 }] }))
      .operationTime as Timestamp;
    const coll = db.collection<Doc>('c');
    await coll.updateOne({ _id: 1 }, { $set: { v: 'new' } });
    await coll.deleteOne({ _id: 2 });
    await coll.insertOne({ _id: 3 });

    const found = await inTxn({ find: 'c', filter: {}, sort: { _id: 1 } }, at);
    expect(found.cursor.firstBatch).to.deep.equal([{ _id: 1, v: 'old' }, { _id: 2 }]);
    const one = await inTxn({ find: 'c', filter: { _id: 2 } });
    expect(one.cursor.firstBatch).to.deep.equal([{ _id: 2 }]);
    const counted = await inTxn({ aggregate: 'c', pipeline: [{ $count: 'n' }], cursor: {} });
    expect(counted.cursor.firstBatch).to.deep.equal([{ n: 2 }]);
    await inTxn({ insert: 'c', documents: [{ _id: 4 }] });
    const own = await inTxn({ find: 'c', filter: { _id: { $gte: 3 } } });
    expect(own.cursor.firstBatch).to.deep.equal([{ _id: 4 }]);
    await commit();

    expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 1, v: 'new' },
      { _id: 3 },
      { _id: 4 },
    ]);
  });

  it('refuses with WriteConflict a write to a document changed or deleted after that time', async () => {
    const at = (await db.command({ insert: 'w', documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] }))
      .operationTime as Timestamp;
    const coll = db.collection<Doc>('w');
    await coll.updateOne({ _id: 1 }, { $set: { moved: true } });
    await coll.deleteOne({ _id: 2 });

    for (const id of [1, 2]) {
      const err = await errorOf(
        inTxn({ update: 'w', updates: [{ q: { _id: id }, u: { $set: { txn: true } } }] }, at),
      );
      expect(err).to.include({ code: 112, codeName: 'WriteConflict' });
      expect(err.errorLabels).to.include('TransientTransactionError');
      await session.abortTransaction();
    }
    // A document nobody touched since can be written, and the commit lands.
    await inTxn({ update: 'w', updates: [{ q: { _id: 3 }, u: { $set: { txn: true } } }] }, at);
    await commit();
    expect(await coll.find().sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 1, moved: true },
      { _id: 3, txn: true },
    ]);
  });

  it('refuses a future, too-old, zero or mistyped time, one beside afterClusterTime, and a collection recreated since', async () => {
    const now = (await db.command({ ping: 1 })).operationTime as Timestamp;
    const future = await errorOf(
      inTxn({ find: 'c', filter: {} }, new Timestamp({ t: now.high + 3600, i: 1 })),
    );
    expect(future.code).to.equal(72);
    await session.abortTransaction();
    const tooOld = await errorOf(inTxn({ find: 'c', filter: {} }, new Timestamp({ t: 1, i: 1 })));
    expect(tooOld).to.include({ code: 239, codeName: 'SnapshotTooOld' });
    await session.abortTransaction();
    for (const [at, code] of [
      ['bad', 14],
      [new Timestamp({ t: 0, i: 0 }), 72],
      [new Timestamp({ t: 0, i: 1 }), 72],
    ] as const) {
      const err = await errorOf(inTxn({ find: 'c', filter: {} }, at as Timestamp));
      expect(err.code).to.equal(code);
      // Refused before it began: there is no transaction to abort.
      const abort = await errorOf(
        fx.client.db('admin').command({ abortTransaction: 1 }, { session }),
      );
      expect(abort.code).to.equal(251);
      await session.abortTransaction().catch(() => undefined);
    }
    session.startTransaction();
    const both = await errorOf(
      db.command(
        {
          find: 'c',
          readConcern: { level: 'snapshot', atClusterTime: now, afterClusterTime: now },
        },
        { session },
      ),
    );
    expect(both.code).to.equal(72);
    expect(both.errmsg).to.match(/causally consistent session/);
    await session.abortTransaction().catch(() => undefined);

    const at = (await db.command({ insert: 'again', documents: [{ _id: 1 }] }))
      .operationTime as Timestamp;
    await db.collection('again').drop();
    await db.command({ insert: 'again', documents: [{ _id: 2 }] });
    const recreated = await errorOf(inTxn({ find: 'again', filter: {} }, at));
    expect(recreated.code).to.equal(246);
  });
});
