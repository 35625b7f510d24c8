import { expect } from 'chai';
import type { Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

type Doc = { _id: unknown } & Document;

describe('engine: $out and $merge', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('outmerge');
    await db.collection<Doc>('sales').insertMany([
      { _id: 1, item: 'apple', qty: 5 },
      { _id: 2, item: 'pear', qty: 2 },
      { _id: 3, item: 'apple', qty: 3 },
    ]);
  });
  after(() => fx.close());

  const totals = [{ $group: { _id: '$item', total: { $sum: '$qty' } } }, { $sort: { _id: 1 } }];

  describe('$out', () => {
    it('writes the result to a new collection and returns an empty cursor', async () => {
      const returned = await db
        .collection('sales')
        .aggregate([...totals, { $out: 'totals' }])
        .toArray();
      expect(returned).to.deep.equal([]);
      expect(await db.collection('totals').find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 'apple', total: 8 },
        { _id: 'pear', total: 2 },
      ]);
    });

    it('replaces an existing collection’s contents and keeps its indexes', async () => {
      await db.collection('totals').createIndex({ total: 1 });
      await db.collection<Doc>('totals').insertOne({ _id: 'stale', total: 0 });
      await db
        .collection('sales')
        .aggregate([{ $match: { item: 'pear' } }, { $project: { qty: 1 } }, { $out: 'totals' }])
        .toArray();
      expect(await db.collection('totals').find().toArray()).to.deep.equal([{ _id: 2, qty: 2 }]);
      expect((await db.collection('totals').indexes()).map((i) => i.name)).to.deep.equal([
        '_id_',
        'total_1',
      ]);
    });

    it('gives documents without _id a new ObjectId, and writes to another database', async () => {
      await db
        .collection('sales')
        .aggregate([
          { $project: { _id: 0, item: 1 } },
          { $out: { db: 'outmerge_other', coll: 'items' } },
        ])
        .toArray();
      const items = await fx.client.db('outmerge_other').collection('items').find().toArray();
      expect(items).to.have.length(3);
      for (const item of items) expect(item._id?.constructor.name).to.equal('ObjectId');
    });

    it('leaves the target untouched when the result breaks a unique index', async () => {
      await db.collection<Doc>('uniq').insertOne({ _id: 'keep', item: 'x' });
      await db.collection('uniq').createIndex({ item: 1 }, { unique: true });
      const err = await errorOf(
        db
          .collection('sales')
          .aggregate([{ $project: { item: 1 } }, { $out: 'uniq' }])
          .toArray(),
      );
      expect(err.code).to.equal(11000);
      expect(await db.collection('uniq').find().toArray()).to.deep.equal([
        { _id: 'keep', item: 'x' },
      ]);
      const leftovers = await db.listCollections({ name: /^tmp\./ }).toArray();
      expect(leftovers).to.deep.equal([]);
    });

    it('must be the last stage, and is refused in a transaction', async () => {
      const middle = await errorOf(
        db
          .collection('sales')
          .aggregate([{ $out: 'x' }, { $match: {} }])
          .toArray(),
      );
      expect(middle.code).to.equal(40601);
      const session = fx.client.startSession();
      try {
        session.startTransaction();
        const inTxn = await errorOf(
          db
            .collection('sales')
            .aggregate([{ $out: 'x' }], { session })
            .toArray(),
        );
        expect(inTxn.code).to.equal(263);
        await session.abortTransaction().catch(() => undefined);
      } finally {
        await session.endSession();
      }
    });

    it('is refused inside $facet, $lookup and $unionWith sub-pipelines', async () => {
      const facet = await errorOf(
        db
          .collection('sales')
          .aggregate([{ $facet: { a: [{ $out: 'x' }] } }])
          .toArray(),
      );
      expect(facet.code).to.equal(40600);
      const lookup = await errorOf(
        db
          .collection('sales')
          .aggregate([{ $lookup: { from: 'sales', pipeline: [{ $merge: 'x' }], as: 'y' } }])
          .toArray(),
      );
      expect(lookup.code).to.equal(51047);
      expect(await db.listCollections({ name: 'x' }).toArray()).to.deep.equal([]);
    });

    it('invalidates a stream on the replaced collection, as a rename over it does', async () => {
      await db.collection<Doc>('watched_out').insertOne({ _id: 1 });
      const stream = db.collection('watched_out').watch([], { maxAwaitTimeMS: 50 });
      await stream.tryNext();
      await db
        .collection('sales')
        .aggregate([{ $out: 'watched_out' }])
        .toArray();
      const first = await stream.next();
      const second = await stream.next();
      expect([first.operationType, second.operationType]).to.deep.equal(['rename', 'invalidate']);
      await stream.close();
    });
  });

  describe('$merge', () => {
    beforeEach(async () => {
      await db.collection('summary').deleteMany({});
      await db.collection<Doc>('summary').insertMany([
        { _id: 'apple', total: 1, note: 'old' },
        { _id: 'plum', total: 9 },
      ]);
    });

    it('defaults to merging matched documents and inserting the rest', async () => {
      await db
        .collection('sales')
        .aggregate([...totals, { $merge: 'summary' }])
        .toArray();
      expect(await db.collection('summary').find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 'apple', total: 8, note: 'old' },
        { _id: 'pear', total: 2 },
        { _id: 'plum', total: 9 },
      ]);
    });

    it('replaces, keeps existing or discards as asked', async () => {
      await db
        .collection('sales')
        .aggregate([
          ...totals,
          { $merge: { into: 'summary', whenMatched: 'replace', whenNotMatched: 'discard' } },
        ])
        .toArray();
      expect(await db.collection('summary').find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 'apple', total: 8 },
        { _id: 'plum', total: 9 },
      ]);
      await db
        .collection('sales')
        .aggregate([...totals, { $merge: { into: 'summary', whenMatched: 'keepExisting' } }])
        .toArray();
      expect(await db.collection('summary').findOne({ _id: 'pear' as never })).to.deep.equal({
        _id: 'pear',
        total: 2,
      });
      expect(await db.collection('summary').findOne({ _id: 'apple' as never })).to.deep.equal({
        _id: 'apple',
        total: 8,
      });
    });

    it('runs a whenMatched pipeline with $$new and let variables', async () => {
      await db
        .collection('sales')
        .aggregate([
          ...totals,
          {
            $merge: {
              into: 'summary',
              let: { bonus: 100 },
              whenMatched: [{ $set: { total: { $add: ['$total', '$$new.total', '$$bonus'] } } }],
            },
          },
        ])
        .toArray();
      const apple = await db.collection('summary').findOne({ _id: 'apple' as never });
      expect(apple).to.deep.equal({ _id: 'apple', total: 109, note: 'old' });
    });

    it('fails as asked: whenMatched fail (11000) and whenNotMatched fail (13113)', async () => {
      const matched = await errorOf(
        db
          .collection('sales')
          .aggregate([...totals, { $merge: { into: 'summary', whenMatched: 'fail' } }])
          .toArray(),
      );
      expect(matched.code).to.equal(11000);
      const notMatched = await errorOf(
        db
          .collection('sales')
          .aggregate([...totals, { $merge: { into: 'summary', whenNotMatched: 'fail' } }])
          .toArray(),
      );
      expect(notMatched.code).to.equal(13113);
    });

    it('matches on other fields only with a unique index on them', async () => {
      await db.collection<Doc>('by_sku').insertOne({ _id: 1, sku: 'apple', stock: 0 });
      const noIndex = await errorOf(
        db
          .collection('sales')
          .aggregate([
            ...totals,
            { $project: { _id: 0, sku: '$_id', stock: '$total' } },
            { $merge: { into: 'by_sku', on: 'sku' } },
          ])
          .toArray(),
      );
      expect(noIndex.code).to.equal(51183);
      await db.collection('by_sku').createIndex({ sku: 1 }, { unique: true });
      await db
        .collection('sales')
        .aggregate([
          ...totals,
          { $project: { _id: 0, sku: '$_id', stock: '$total' } },
          { $merge: { into: 'by_sku', on: 'sku' } },
        ])
        .toArray();
      const rows = await db
        .collection('by_sku')
        .find({}, { projection: { _id: 0 } })
        .sort({ sku: 1 })
        .toArray();
      expect(rows).to.deep.equal([
        { sku: 'apple', stock: 8 },
        { sku: 'pear', stock: 2 },
      ]);
      expect(await db.collection('by_sku').countDocuments({ _id: 1 as never })).to.equal(1);
    });

    it('refuses unknown options and a view as target', async () => {
      const unknown = await errorOf(
        db
          .collection('sales')
          .aggregate([{ $merge: { into: 'summary', colour: 'red' } }])
          .toArray(),
      );
      expect(unknown.code).to.equal(40415);
      await db.createCollection('sales_view', { viewOn: 'sales' });
      const view = await errorOf(
        db
          .collection('sales')
          .aggregate([{ $merge: { into: 'sales_view' } }])
          .toArray(),
      );
      expect(view.code).to.equal(166);
    });

    it('reports its writes to change streams as inserts and updates', async () => {
      const stream = db.collection('summary').watch([], { maxAwaitTimeMS: 50 });
      await stream.tryNext();
      await db
        .collection('sales')
        .aggregate([...totals, { $merge: 'summary' }])
        .toArray();
      const update = await stream.next();
      const insert = await stream.next();
      await stream.close();
      expect(update.operationType).to.equal('update');
      expect(
        (update as { updateDescription: Document }).updateDescription.updatedFields,
      ).to.deep.equal({
        total: 8,
      });
      expect(insert.operationType).to.equal('insert');
    });
  });
});
