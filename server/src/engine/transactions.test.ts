import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { startTestEngine, type EngineFixture } from './testing.js';

describe('engine: sessions and transactions', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('txn');
  });
  after(() => fx.close());

  it('commits every write of a transaction atomically', async () => {
    const accounts = db.collection('accounts');
    await accounts.insertMany([
      { _id: 'a' as never, balance: 100 },
      { _id: 'b' as never, balance: 0 },
    ]);
    const session = fx.client.startSession();
    await session.withTransaction(async () => {
      await accounts.updateOne({ _id: 'a' as never }, { $inc: { balance: -30 } }, { session });
      // Outside the transaction nothing is visible yet.
      expect((await accounts.findOne({ _id: 'a' as never }))!.balance).to.equal(100);
      // Inside it, its own write is.
      expect((await accounts.findOne({ _id: 'a' as never }, { session }))!.balance).to.equal(70);
      await accounts.updateOne({ _id: 'b' as never }, { $inc: { balance: 30 } }, { session });
    });
    await session.endSession();
    const rows = await accounts.find().sort({ _id: 1 }).toArray();
    expect(rows.map((r) => r.balance)).to.deep.equal([70, 30]);
  });

  it('makes an aborted transaction invisible', async () => {
    const coll = db.collection('aborted');
    const session = fx.client.startSession();
    session.startTransaction();
    await coll.insertOne({ x: 1 }, { session });
    await coll.insertOne({ x: 2 }, { session });
    await session.abortTransaction();
    await session.endSession();
    expect(await coll.countDocuments()).to.equal(0);
  });

  it('reads from its snapshot, not from later commits', async () => {
    const coll = db.collection('snapshot');
    await coll.insertOne({ _id: 1 as never, v: 'old' });
    const session = fx.client.startSession();
    session.startTransaction();
    expect((await coll.findOne({ _id: 1 as never }, { session }))!.v).to.equal('old');
    await coll.updateOne({ _id: 1 as never }, { $set: { v: 'new' } });
    await coll.insertOne({ _id: 2 as never, v: 'late' });
    expect((await coll.findOne({ _id: 1 as never }, { session }))!.v).to.equal('old');
    expect(await coll.countDocuments({}, { session })).to.equal(1);
    await session.abortTransaction();
    await session.endSession();
  });

  it('resolves two concurrent transactions on one document: both end, no update is lost', async () => {
    const coll = db.collection('counter');
    await coll.insertOne({ _id: 'c' as never, n: 0 });
    let attempts = 0;
    const increment = async () => {
      const session = fx.client.startSession();
      try {
        await session.withTransaction(async () => {
          attempts++;
          const doc = await coll.findOne({ _id: 'c' as never }, { session });
          await new Promise((resolve) => setTimeout(resolve, 20));
          await coll.updateOne({ _id: 'c' as never }, { $set: { n: doc!.n + 1 } }, { session });
        });
      } finally {
        await session.endSession();
      }
    };
    await Promise.all([increment(), increment()]);
    expect((await coll.findOne({ _id: 'c' as never }))!.n).to.equal(2);
    expect(attempts).to.be.greaterThan(2);
  });

  it('reports a duplicate key inside a transaction and rolls everything back', async () => {
    const coll = db.collection('txnunique');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'taken@example.org' });
    const session = fx.client.startSession();
    const err = await session
      .withTransaction(async () => {
        await coll.insertOne({ email: 'fresh@example.org' }, { session });
        await coll.insertOne({ email: 'taken@example.org' }, { session });
      })
      .catch((e: unknown) => e);
    await session.endSession();
    expect(err).to.have.property('code', 11000);
    expect(await coll.countDocuments()).to.equal(1);
  });

  it('refuses an _id equal under the collection collation at the insert itself (11000), not at commit', async () => {
    await db.createCollection('txncollated', { collation: { locale: 'en', strength: 2 } });
    const coll = db.collection<{ _id: string }>('txncollated');
    await coll.insertOne({ _id: 'committed' });
    const session = fx.client.startSession();
    try {
      session.startTransaction();
      const clash = await coll
        .insertOne({ _id: 'COMMITTED' }, { session })
        .catch((e: unknown) => e);
      expect(clash).to.include({ code: 11000 });
      expect((clash as Error).message).to.match(/_id_ dup key/);
      await session.abortTransaction();

      session.startTransaction();
      await coll.insertOne({ _id: 'staged' }, { session });
      const staged = await coll.insertOne({ _id: 'Staged' }, { session }).catch((e: unknown) => e);
      expect(staged).to.include({ code: 11000 });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await coll.find().toArray()).to.deep.equal([{ _id: 'committed' }]);
  });

  it("supports mongoose's connection.transaction()", async () => {
    const conn = await mongoose
      .createConnection(fx.engine.uri, { dbName: 'txn-mongoose' })
      .asPromise();
    try {
      const Item = conn.model('Item', new mongoose.Schema({ name: String, qty: Number }));
      await Item.init();
      await conn.transaction(async (session) => {
        await Item.create([{ name: 'a', qty: 1 }], { session });
        await Item.updateOne({ name: 'a' }, { $inc: { qty: 1 } }, { session });
      });
      expect((await Item.findOne({ name: 'a' }).lean())!.qty).to.equal(2);
      const failed = await conn
        .transaction(async (session) => {
          await Item.create([{ name: 'b', qty: 1 }], { session });
          throw new Error('changed my mind');
        })
        .catch((e: Error) => e.message);
      expect(failed).to.equal('changed my mind');
      expect(await Item.countDocuments({ name: 'b' })).to.equal(0);
    } finally {
      await conn.close();
    }
  });
});
