import { expect } from 'chai';
import { ObjectId, type Db, type UpdateFilter, type Document } from 'mongodb';
import { startTestEngine, type EngineFixture } from './testing.js';

describe('engine: CRUD through the official driver', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('crud');
  });
  after(() => fx.close());

  it('answers the handshake as a replica-set primary', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).to.equal(true);
    expect(hello.setName).to.equal('rs0');
    expect(hello.logicalSessionTimeoutMinutes).to.equal(30);
  });

  it('inserts and finds documents with generated ids', async () => {
    const coll = db.collection('people');
    const res = await coll.insertMany([
      { name: 'Ada', age: 36 },
      { name: 'Grace', age: 45 },
      { name: 'Linus', age: 28 },
    ]);
    expect(res.insertedCount).to.equal(3);
    const found = await coll
      .find({ age: { $gt: 30 } })
      .sort({ age: -1 })
      .toArray();
    expect(found.map((d) => d.name)).to.deep.equal(['Grace', 'Ada']);
    expect(found[0]._id).to.be.instanceOf(ObjectId);
  });

  it('applies every common update operator', async () => {
    const coll = db.collection('ops');
    const { insertedId } = await coll.insertOne({
      n: 1,
      tags: ['a'],
      nested: { x: 1 },
      gone: true,
      list: [1, 2, 3],
    });
    await coll.updateOne({ _id: insertedId }, {
      $set: { 'nested.y': 2, title: 't' },
      $inc: { n: 4 },
      $push: { tags: { $each: ['b', 'c'] } },
      $unset: { gone: '' },
      $pull: { list: 2 },
      $currentDate: { touched: true },
    } as unknown as UpdateFilter<Document>);
    await coll.updateOne(
      { _id: insertedId },
      {
        $addToSet: { tags: 'a' },
        $max: { n: 3 },
        $mul: { 'nested.x': 10 },
        $rename: { title: 'heading' },
      },
    );
    const doc = await coll.findOne({ _id: insertedId });
    expect(doc).to.include({ n: 5, heading: 't' });
    expect(doc!.tags).to.deep.equal(['a', 'b', 'c']);
    expect(doc!.nested).to.deep.equal({ x: 10, y: 2 });
    expect(doc!.list).to.deep.equal([1, 3]);
    expect(doc).not.to.have.property('gone');
    expect(doc!.touched).to.be.instanceOf(Date);
  });

  it('updates array elements with arrayFilters and the positional operator', async () => {
    const coll = db.collection('arrays');
    const { insertedId } = await coll.insertOne({
      grades: [{ g: 80 }, { g: 95 }, { g: 70 }],
      xs: [1, 2, 3],
    });
    await coll.updateOne(
      { _id: insertedId },
      { $set: { 'grades.$[low].low': true } },
      { arrayFilters: [{ 'low.g': { $lt: 85 } }] },
    );
    await coll.updateOne({ _id: insertedId, xs: 2 }, { $set: { 'xs.$': 20 } });
    const doc = await coll.findOne({ _id: insertedId });
    expect(doc!.grades).to.deep.equal([{ g: 80, low: true }, { g: 95 }, { g: 70, low: true }]);
    expect(doc!.xs).to.deep.equal([1, 20, 3]);
  });

  it('upserts with $setOnInsert and seeds from the query', async () => {
    const coll = db.collection('upserts');
    const first = await coll.updateOne(
      { key: 'k1' },
      { $set: { v: 1 }, $setOnInsert: { created: 'now' } },
      { upsert: true },
    );
    expect(first.upsertedCount).to.equal(1);
    const second = await coll.updateOne(
      { key: 'k1' },
      { $set: { v: 2 }, $setOnInsert: { created: 'later' } },
      { upsert: true },
    );
    expect(second.matchedCount).to.equal(1);
    expect(second.upsertedCount).to.equal(0);
    const doc = await coll.findOne({ key: 'k1' });
    expect(doc).to.include({ key: 'k1', v: 2, created: 'now' });
  });

  it('runs pipeline updates and replacements', async () => {
    const coll = db.collection('pipelines');
    const { insertedId } = await coll.insertOne({ a: 2, b: 3 });
    await coll.updateOne({ _id: insertedId }, [{ $set: { sum: { $add: ['$a', '$b'] } } }]);
    expect(await coll.findOne({ _id: insertedId })).to.include({ sum: 5 });
    await coll.replaceOne({ _id: insertedId }, { only: true });
    expect(await coll.findOne({ _id: insertedId })).to.deep.equal({ _id: insertedId, only: true });
    const err = await coll
      .replaceOne({ _id: insertedId }, { _id: 'other' })
      .catch((e: unknown) => e);
    expect(err).to.have.property('code', 66);
  });

  it('deletes one or many', async () => {
    const coll = db.collection('deletes');
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await coll.deleteOne({ k: 1 })).deletedCount).to.equal(1);
    expect((await coll.deleteMany({})).deletedCount).to.equal(2);
  });

  it('findOneAndUpdate returns the before or after image', async () => {
    const coll = db.collection('fam');
    await coll.insertOne({ _id: 'c' as unknown as ObjectId, n: 1 });
    const before = await coll.findOneAndUpdate(
      { _id: 'c' as unknown as ObjectId },
      { $inc: { n: 1 } },
    );
    expect(before).to.include({ n: 1 });
    const after = await coll.findOneAndUpdate(
      { _id: 'c' as unknown as ObjectId },
      { $inc: { n: 1 } },
      { returnDocument: 'after' },
    );
    expect(after).to.include({ n: 3 });
    const removed = await coll.findOneAndDelete({ n: 3 });
    expect(removed).to.include({ n: 3 });
    const upserted = await coll.findOneAndUpdate(
      { k: 'new' },
      { $set: { v: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).to.include({ k: 'new', v: 1 });
  });

  it('hands out large results in batches through getMore', async () => {
    const coll = db.collection('many');
    await coll.insertMany(Array.from({ length: 1050 }, (_, i) => ({ i })));
    const all = await coll.find({}, { batchSize: 100 }).sort({ i: 1 }).toArray();
    expect(all).to.have.length(1050);
    expect(all[1049].i).to.equal(1049);
    expect(await coll.countDocuments({ i: { $gte: 1000 } })).to.equal(50);
    expect(await coll.estimatedDocumentCount()).to.equal(1050);
  });

  it('distinct unwinds arrays', async () => {
    const coll = db.collection('distinct');
    await coll.insertMany([{ t: ['a', 'b'] }, { t: 'b' }, { t: 'c' }]);
    expect((await coll.distinct('t')).sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('aggregates with $lookup, $group and $sort', async () => {
    await db.collection('authors').insertMany([
      { _id: 1 as unknown as ObjectId, name: 'A' },
      { _id: 2 as unknown as ObjectId, name: 'B' },
    ]);
    await db.collection('books').insertMany([
      { author: 1, pages: 100 },
      { author: 1, pages: 50 },
      { author: 2, pages: 10 },
    ]);
    const rows = await db
      .collection('books')
      .aggregate([
        { $group: { _id: '$author', pages: { $sum: '$pages' } } },
        { $lookup: { from: 'authors', localField: '_id', foreignField: '_id', as: 'author' } },
        { $sort: { pages: -1 } },
      ])
      .toArray();
    expect(rows.map((r) => [r.author[0].name, r.pages])).to.deep.equal([
      ['A', 150],
      ['B', 10],
    ]);
  });

  it('lists, creates and drops collections and databases', async () => {
    const scratch = fx.client.db('scratch');
    await scratch.createCollection('c1');
    const err = await scratch.createCollection('c1').catch((e: unknown) => e);
    expect(err).to.have.property('code', 48);
    expect((await scratch.listCollections().toArray()).map((c) => c.name)).to.include('c1');
    expect(await scratch.collection('c1').drop()).to.equal(true);
    await scratch.collection('c2').insertOne({});
    const dbs = await fx.client.db().admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).to.include('scratch');
    await scratch.dropDatabase();
    expect(await scratch.listCollections().toArray()).to.have.length(0);
  });
});
