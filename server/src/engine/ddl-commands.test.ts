import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';
import { killed, spawnEngine } from './test-engine-process.js';

interface Item {
  _id: number;
  qty?: number;
  name?: string;
  at?: Date;
}

describe('engine: renameCollection and collMod', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('ddl');
  });
  after(() => fx.close());

  describe('renameCollection', () => {
    it('moves documents and indexes to the new name', async () => {
      const from = db.collection<Item>('drafts');
      await from.insertMany([
        { _id: 1, name: 'a' },
        { _id: 2, name: 'b' },
      ]);
      await from.createIndex({ name: 1 }, { unique: true });
      await from.rename('published');
      const names = (await db.listCollections().toArray()).map((c) => c.name);
      expect(names).to.include('published').and.not.include('drafts');
      const to = db.collection<Item>('published');
      expect(await to.find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 1, name: 'a' },
        { _id: 2, name: 'b' },
      ]);
      expect((await to.indexes()).map((i) => i.name)).to.deep.equal(['_id_', 'name_1']);
      // The unique index came along and still holds.
      const dup = await errorOf(to.insertOne({ _id: 3, name: 'a' }));
      expect(dup.code).to.equal(11000);
      expect(await db.collection('drafts').countDocuments()).to.equal(0);
    });

    it('refuses an existing target unless dropTarget, which replaces it', async () => {
      await db.collection<Item>('old').insertOne({ _id: 1, name: 'old' });
      await db.collection<Item>('new').insertOne({ _id: 1, name: 'new' });
      const exists = await errorOf(db.collection('new').rename('old'));
      expect(exists.code).to.equal(48);
      expect(exists.codeName).to.equal('NamespaceExists');
      await db.collection('new').rename('old', { dropTarget: true });
      expect(await db.collection('old').find().toArray()).to.deep.equal([{ _id: 1, name: 'new' }]);
      expect(await db.listCollections({ name: 'new' }).toArray()).to.deep.equal([]);
    });

    it('renames across databases', async () => {
      await db.collection<Item>('mover').insertOne({ _id: 1 });
      await fx.client.db('admin').command({ renameCollection: 'ddl.mover', to: 'ddl_other.moved' });
      expect(await fx.client.db('ddl_other').collection('moved').countDocuments()).to.equal(1);
      expect(await db.collection('mover').countDocuments()).to.equal(0);
    });

    it('answers MongoDB’s errors for a missing source, a view and a non-admin database', async () => {
      const missing = await errorOf(db.collection('nothing_here').rename('x'));
      expect(missing.code).to.equal(26);
      expect(missing.codeName).to.equal('NamespaceNotFound');
      await db.createCollection('a_view', { viewOn: 'old' });
      const view = await errorOf(db.collection('a_view').rename('b_view'));
      expect(view.code).to.equal(166);
      const notAdmin = await errorOf(db.command({ renameCollection: 'ddl.old', to: 'ddl.older' }));
      expect(notAdmin.code).to.equal(13);
    });
  });

  describe('collMod', () => {
    it('adds a validator: failing inserts and updates get 121 DocumentValidationFailure', async () => {
      const coll = db.collection<Item>('stock');
      await coll.insertOne({ _id: 1, qty: -5 });
      await db.command({ collMod: 'stock', validator: { qty: { $gte: 0 } } });
      const [info] = await db.listCollections({ name: 'stock' }, { nameOnly: false }).toArray();
      expect(info.options).to.deep.include({ validator: { qty: { $gte: 0 } } });
      const insert = await errorOf(coll.insertOne({ _id: 2, qty: -1 }));
      expect(insert.code).to.equal(121);
      expect(
        (insert as { errInfo?: { failingDocumentId?: unknown } }).errInfo?.failingDocumentId,
      ).to.equal(2);
      await coll.insertOne({ _id: 3, qty: 4 });
      const update = await errorOf(coll.updateOne({ _id: 3 }, { $inc: { qty: -10 } }));
      expect(update.code).to.equal(121);
      expect(await coll.findOne({ _id: 3 })).to.deep.equal({ _id: 3, qty: 4 });
      // bypassDocumentValidation lets the write through.
      await coll.insertOne({ _id: 4, qty: -2 }, { bypassDocumentValidation: true });
      expect(await coll.countDocuments({ _id: 4 })).to.equal(1);
    });

    it('honours validationLevel moderate and validationAction warn', async () => {
      const coll = db.collection<Item>('stock');
      // _id 1 (qty -5) already breaks the rule: moderate leaves updates to it alone.
      const strict = await errorOf(coll.updateOne({ _id: 1 }, { $set: { name: 'x' } }));
      expect(strict.code).to.equal(121);
      await db.command({ collMod: 'stock', validationLevel: 'moderate' });
      await coll.updateOne({ _id: 1 }, { $set: { name: 'x' } });
      expect((await coll.findOne({ _id: 1 }))?.name).to.equal('x');
      const stillChecked = await errorOf(coll.insertOne({ _id: 5, qty: -1 }));
      expect(stillChecked.code).to.equal(121);
      await db.command({ collMod: 'stock', validationAction: 'warn' });
      await coll.insertOne({ _id: 5, qty: -1 });
      expect(await coll.countDocuments({ _id: 5 })).to.equal(1);
      const bad = await errorOf(db.command({ collMod: 'stock', validationLevel: 'sometimes' }));
      expect(bad.code).to.equal(2);
    });

    it('changes an index’s expireAfterSeconds and reports old and new', async () => {
      const coll = db.collection<Item>('sessions');
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
      const reply = await db.command({
        collMod: 'sessions',
        index: { keyPattern: { at: 1 }, expireAfterSeconds: 60 },
      });
      expect(reply).to.include({ expireAfterSeconds_old: 3600, expireAfterSeconds_new: 60 });
      const index = (await coll.indexes()).find((i) => i.name === 'at_1');
      expect(index?.expireAfterSeconds).to.equal(60);
      const missing = await errorOf(
        db.command({ collMod: 'sessions', index: { name: 'nope', expireAfterSeconds: 1 } }),
      );
      expect(missing.code).to.equal(27);
    });

    it('enables changeStreamPreAndPostImages', async () => {
      await db.createCollection('audited');
      await db.command({ collMod: 'audited', changeStreamPreAndPostImages: { enabled: true } });
      const [info] = await db.listCollections({ name: 'audited' }, { nameOnly: false }).toArray();
      expect(info.options).to.deep.equal({ changeStreamPreAndPostImages: { enabled: true } });
    });

    it('changes a view’s definition', async () => {
      await db.collection<Item>('numbers').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
      await db.createCollection('some_numbers', { viewOn: 'numbers', pipeline: [] });
      await db.command({
        collMod: 'some_numbers',
        viewOn: 'numbers',
        pipeline: [{ $match: { _id: { $gt: 1 } } }],
      });
      expect(await db.collection('some_numbers').countDocuments()).to.equal(2);
    });

    it('is refused inside a transaction, like renameCollection', async () => {
      const session = fx.client.startSession();
      try {
        session.startTransaction();
        await db.collection<Item>('stock').findOne({}, { session });
        const collMod = await errorOf(db.command({ collMod: 'stock', validator: {} }, { session }));
        expect(collMod.code).to.equal(263);
      } finally {
        await session.abortTransaction().catch(() => undefined);
        await session.endSession();
      }
    });

    it('refuses unknown fields and missing collections', async () => {
      const unknown = await errorOf(db.command({ collMod: 'stock', colour: 'red' }));
      expect(unknown.code).to.equal(40415);
      const missing = await errorOf(db.command({ collMod: 'ghost', validator: {} }));
      expect(missing.code).to.equal(26);
    });
  });
});

describe('engine: renameCollection, collMod and views survive a restart', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-ddl-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps rename, dropTarget and collMod across a restart', async () => {
    let fx = await startTestEngine({ dataDir });
    let db = fx.client.db('ddl');
    await db.collection<Item>('a').insertOne({ _id: 1, qty: 1 });
    await db.collection<Item>('b').insertOne({ _id: 2, qty: 2 });
    await db.collection('a').createIndex({ at: 1 }, { expireAfterSeconds: 10 });
    await db.collection('a').rename('b', { dropTarget: true });
    await db.command({
      collMod: 'b',
      validator: { qty: { $gt: 0 } },
      index: { name: 'at_1', expireAfterSeconds: 20 },
    });
    await fx.close();
    fx = await startTestEngine({ dataDir });
    db = fx.client.db('ddl');
    try {
      expect((await db.listCollections().toArray()).map((c) => c.name)).to.deep.equal(['b']);
      expect(await db.collection('b').find().toArray()).to.deep.equal([{ _id: 1, qty: 1 }]);
      const index = (await db.collection('b').indexes()).find((i) => i.name === 'at_1');
      expect(index?.expireAfterSeconds).to.equal(20);
      const err = await errorOf(db.collection<Item>('b').insertOne({ _id: 3, qty: 0 }));
      expect(err.code).to.equal(121);
    } finally {
      await fx.close();
    }
  });

  it('replays them from the journal after kill -9', async () => {
    const first = await spawnEngine(dataDir);
    let client = new MongoClient(first.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    let db = client.db('ddl');
    await db.collection<Item>('a').insertOne({ _id: 1, qty: 1 });
    await db.collection<Item>('b').insertOne({ _id: 2, qty: 2 });
    await db.collection('a').createIndex({ at: 1 }, { expireAfterSeconds: 10 });
    await db.collection('a').rename('b', { dropTarget: true });
    await db.command({
      collMod: 'b',
      validator: { qty: { $gt: 0 } },
      index: { name: 'at_1', expireAfterSeconds: 20 },
    });
    await db.createCollection('positive', { viewOn: 'b', pipeline: [{ $match: { qty: 1 } }] });
    await client.close();
    await killed(first.child);

    const second = await spawnEngine(dataDir);
    client = new MongoClient(second.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    db = client.db('ddl');
    try {
      const infos = await db.listCollections({}, { nameOnly: false }).toArray();
      expect(infos.map((c) => [c.name, c.type]).sort()).to.deep.equal([
        ['b', 'collection'],
        ['positive', 'view'],
        ['system.views', 'collection'],
      ]);
      expect(await db.collection('b').find().toArray()).to.deep.equal([{ _id: 1, qty: 1 }]);
      expect(await db.collection('positive').countDocuments()).to.equal(1);
      const index = (await db.collection('b').indexes()).find((i) => i.name === 'at_1');
      expect(index?.expireAfterSeconds).to.equal(20);
      const err = await errorOf(db.collection<Item>('b').insertOne({ _id: 3, qty: 0 }));
      expect(err.code).to.equal(121);
    } finally {
      await client.close();
      await killed(second.child);
    }
  });
});
