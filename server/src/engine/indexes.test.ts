import { expect } from 'chai';
import { ObjectId, type Db, type Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

async function dupError(promise: Promise<unknown>): Promise<Document> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e as Document,
  );
  expect(err, 'expected a duplicate key error').to.not.equal(null);
  expect(err!.code).to.equal(11000);
  return err!;
}

describe('engine: indexes', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine({ ttlIntervalMs: 100 });
    db = fx.client.db('idx');
  });
  after(() => fx.close());

  it('keeps _id unique', async () => {
    const coll = db.collection('ids');
    await coll.insertOne({ _id: 1 as never });
    await dupError(coll.insertOne({ _id: 1 as never }));
    // 1 and 1.0 are the same key.
    await dupError(coll.insertOne({ _id: 1.0 as never }));
  });

  it('enforces a unique index on insert, update, upsert and findAndModify, with keyPattern and keyValue', async () => {
    const coll = db.collection('unique');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany([{ email: 'a' }, { email: 'b' }]);
    const err = await dupError(coll.insertOne({ email: 'a' }));
    expect(err.keyPattern).to.deep.equal({ email: 1 });
    expect(err.keyValue).to.deep.equal({ email: 'a' });
    await dupError(coll.updateOne({ email: 'b' }, { $set: { email: 'a' } }));
    await dupError(coll.updateOne({ email: 'zz' }, { $set: { email: 'a' } }, { upsert: true }));
    await dupError(coll.findOneAndUpdate({ email: 'b' }, { $set: { email: 'a' } }));
    await dupError(coll.replaceOne({ email: 'b' }, { email: 'a' }));
    // Nothing was half applied.
    expect((await coll.find().sort({ email: 1 }).toArray()).map((d) => d.email)).to.deep.equal([
      'a',
      'b',
    ]);
  });

  it('stops an ordered insertMany at the first duplicate, continues an unordered one', async () => {
    const coll = db.collection('batch');
    await coll.createIndex({ k: 1 }, { unique: true });
    const ordered = await errorOf(coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]));
    expect(ordered.code).to.equal(11000);
    expect(await coll.countDocuments()).to.equal(1);
    await coll
      .insertMany([{ k: 3 }, { k: 3 }, { k: 4 }], { ordered: false })
      .catch(() => undefined);
    expect(await coll.countDocuments()).to.equal(3);
  });

  it('enforces compound unique keys on the combination', async () => {
    const coll = db.collection('compound');
    await coll.createIndex({ group: 1, user: 1 }, { unique: true });
    await coll.insertMany([
      { group: 1, user: 1 },
      { group: 1, user: 2 },
      { group: 2, user: 1 },
    ]);
    const err = await dupError(coll.insertOne({ group: 1, user: 2 }));
    expect(err.keyValue).to.deep.equal({ group: 1, user: 2 });
  });

  it('treats a missing field as null unless the index is sparse', async () => {
    const dense = db.collection('dense');
    await dense.createIndex({ handle: 1 }, { unique: true });
    await dense.insertOne({});
    await dupError(dense.insertOne({}));
    const sparse = db.collection('sparse');
    await sparse.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{}, {}, { handle: 'x' }]);
    await dupError(sparse.insertOne({ handle: 'x' }));
  });

  it('applies a partial unique index only to matching documents', async () => {
    const coll = db.collection('partial');
    await coll.createIndex(
      { email: 1 },
      { unique: true, partialFilterExpression: { active: true } },
    );
    await coll.insertMany([
      { email: 'a', active: false },
      { email: 'a', active: false },
      { email: 'a', active: true },
    ]);
    await dupError(coll.insertOne({ email: 'a', active: true }));
    await dupError(coll.updateOne({ active: false }, { $set: { active: true } }));
  });

  it('matches a partial filter as queries do, $type aliases included', async () => {
    const coll = db.collection('partial_type');
    await coll.createIndex(
      { ref: 1 },
      { unique: true, partialFilterExpression: { ref: { $type: 'objectId' } } },
    );
    const ref = new ObjectId();
    await coll.insertMany([{ ref: 'x' }, { ref: 'x' }, { ref }]);
    await dupError(coll.insertOne({ ref }));
  });

  it('indexes each array element (multikey)', async () => {
    const coll = db.collection('multikey');
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['a', 'b'] });
    await dupError(coll.insertOne({ tags: ['c', 'b'] }));
    await coll.insertOne({ tags: ['c'] });
    expect(await coll.countDocuments({ tags: 'b' })).to.equal(1);
  });

  it('fails an index build over existing duplicates and leaves no index behind', async () => {
    const coll = db.collection('build');
    await coll.insertMany([{ v: 1 }, { v: 1 }]);
    const err = await errorOf(coll.createIndex({ v: 1 }, { unique: true }));
    expect(err.code).to.equal(11000);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
  });

  it('answers equality and range queries through an index with the right documents', async () => {
    const coll = db.collection('ranges');
    await coll.createIndex({ n: 1 });
    await coll.insertMany(Array.from({ length: 200 }, (_, i) => ({ n: i, s: String(i) })));
    await coll.insertOne({ n: 'text' });
    expect(await coll.countDocuments({ n: 42 })).to.equal(1);
    expect(await coll.countDocuments({ n: { $gte: 10, $lt: 20 } })).to.equal(10);
    expect(await coll.countDocuments({ n: { $in: [1, 2, 500] } })).to.equal(2);
    expect(await coll.countDocuments({ n: { $gt: 190 } })).to.equal(9);
    await coll.updateMany({ n: { $lt: 5 } }, { $set: { n: 1000 } });
    expect(await coll.countDocuments({ n: 1000 })).to.equal(5);
    expect(await coll.countDocuments({ n: { $lt: 5 } })).to.equal(0);
  });

  it('lists and drops indexes', async () => {
    const coll = db.collection('dropping');
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ b: -1 }, { name: 'b_desc' });
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).to.deep.equal([
      '_id_',
      'a_1',
      'b_desc',
    ]);
    await coll.dropIndex('a_1');
    await coll.dropIndex({ b: -1 } as never);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    const err = await errorOf(coll.dropIndex('nope'));
    expect(err.code).to.equal(27);
  });

  it('expires documents through a TTL index, visibly to change streams', async () => {
    const coll = db.collection('ttl');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    const stream = coll.watch([], { maxAwaitTimeMS: 50 });
    await stream.tryNext();
    await coll.insertMany([
      { at: new Date(Date.now() - 5000), old: true },
      { at: new Date(Date.now() + 60_000) },
      { noDate: true },
    ]);
    const deadline = Date.now() + 3000;
    while ((await coll.countDocuments({ old: true })) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await coll.countDocuments()).to.equal(2);
    const kinds: string[] = [];
    while (kinds.length < 4) {
      const change = await stream.tryNext();
      if (change) kinds.push(change.operationType);
    }
    await stream.close();
    expect(kinds).to.deep.equal(['insert', 'insert', 'insert', 'delete']);
  });
});
