import { expect } from 'chai';
import type { CollationOptions, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

const S2: CollationOptions = { locale: 'en', strength: 2 };

describe('engine: answers MongoDB gives instead of silent no-ops', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('silent');
  });
  after(() => fx.close());

  describe('an update path through a scalar or an array field (28 PathNotViable)', () => {
    beforeEach(async () => {
      await db.collection('paths').deleteMany({});
      await db.collection('paths').insertMany([
        { _id: 1 as never, x: 5 },
        { _id: 2 as never, x: 'a' },
        { _id: 3 as never, x: null },
        { _id: 4 as never, arr: [1, 2] },
        { _id: 5 as never, arr: [{ a: 1 }, 7] },
      ]);
    });

    it('refuses $set, $inc, $push, $addToSet, $min and $currentDate under a scalar', async () => {
      const paths = db.collection('paths');
      const updates: Document[] = [
        { $set: { 'x.y': 1 } },
        { $inc: { 'x.y': 1 } },
        { $push: { 'x.y': 1 } },
        { $addToSet: { 'x.y': 1 } },
        { $min: { 'x.y': 1 } },
        { $currentDate: { 'x.y': true } },
      ];
      for (const update of updates) {
        const err = await errorOf(paths.updateOne({ _id: 1 as never }, update));
        expect(err.code, JSON.stringify(update)).to.equal(28);
        expect(err.codeName).to.equal('PathNotViable');
        expect(err.errmsg).to.equal("Cannot create field 'y' in element {x: 5}");
      }
      const str = await errorOf(paths.updateOne({ _id: 2 as never }, { $set: { 'x.y.z': 1 } }));
      expect(str.code).to.equal(28);
      expect(str.errmsg).to.equal('Cannot create field \'y\' in element {x: "a"}');
      const nul = await errorOf(paths.updateOne({ _id: 3 as never }, { $set: { 'x.y': 1 } }));
      expect(nul.errmsg).to.equal("Cannot create field 'y' in element {x: null}");
      expect(await paths.findOne({ _id: 1 as never })).to.deep.equal({ _id: 1, x: 5 });
    });

    it('refuses a non-numeric field of an array, and a field under a scalar element', async () => {
      const paths = db.collection('paths');
      const named = await errorOf(paths.updateOne({ _id: 4 as never }, { $set: { 'arr.foo': 1 } }));
      expect(named.code).to.equal(28);
      expect(named.errmsg).to.equal("Cannot create field 'foo' in element {arr: [ 1, 2 ]}");
      const element = await errorOf(
        paths.updateOne({ _id: 5 as never }, { $set: { 'arr.1.b': 1 } }),
      );
      expect(element.code).to.equal(28);
      expect(element.errmsg).to.equal("Cannot create field 'b' in element {1: 7}");
      // What MongoDB does allow still works: an index, a field of a document element, a new branch.
      await paths.updateOne({ _id: 5 as never }, { $set: { 'arr.0.b': 2, 'arr.3': 9, 'n.m': 1 } });
      expect(await paths.findOne({ _id: 5 as never })).to.deep.equal({
        _id: 5,
        arr: [{ a: 1, b: 2 }, 7, null, 9],
        n: { m: 1 },
      });
    });

    it('reports a write error per document in updateMany, and keeps removals as no-ops', async () => {
      const paths = db.collection('paths');
      const err = await errorOf(paths.updateMany({}, { $set: { 'x.y': 1 } }));
      expect(err.code).to.equal(28);
      // $unset, $pop and $pull through a scalar change nothing and are not errors in MongoDB.
      const removal = await paths.updateOne({ _id: 1 as never }, {
        $unset: { 'x.y': '' },
        $pop: { 'x.z': 1 },
        $pull: { 'x.w': 1 },
      } as Document);
      expect(removal.matchedCount).to.equal(1);
      expect(removal.modifiedCount).to.equal(0);
    });

    it('refuses it in findAndModify and in upserts (the query seeds the scalar)', async () => {
      const paths = db.collection('paths');
      const fam = await errorOf(
        paths.findOneAndUpdate({ _id: 1 as never }, { $inc: { 'x.y': 1 } }),
      );
      expect(fam.code).to.equal(28);
      const upsert = await errorOf(
        paths.updateOne({ _id: 9 as never, x: 5 }, { $set: { 'x.y': 1 } }, { upsert: true }),
      );
      expect(upsert.code).to.equal(28);
      expect(upsert.errmsg).to.equal("Cannot create field 'y' in element {x: 5}");
      const onInsert = await errorOf(
        paths.updateOne(
          { _id: 10 as never, x: 'a' },
          { $setOnInsert: { 'x.y': 1 } },
          { upsert: true },
        ),
      );
      expect(onInsert.code).to.equal(28);
      expect(await paths.countDocuments({ _id: { $in: [9, 10] as never[] } })).to.equal(0);
    });
  });

  describe('a non-simple collation where the engine cannot apply it (115)', () => {
    before(async () => {
      await db.collection('words').insertMany([
        { _id: 1 as never, w: 'apple', tags: ['A'] },
        { _id: 2 as never, w: 'Apple', tags: ['a'] },
        { _id: 3 as never, w: 'pear', tags: ['B'] },
      ]);
    });

    it('applies it in $sortByCount: groups differing only by case are one', async () => {
      const words = db.collection('words');
      const counted = await words.aggregate([{ $sortByCount: '$w' }], { collation: S2 }).toArray();
      expect(counted.map((d) => d.count)).to.deep.equal([2, 1]);
      expect(String(counted[0]._id).toLowerCase()).to.equal('apple');
      // Without a collation the comparison is binary: three groups.
      expect(await words.aggregate([{ $sortByCount: '$w' }]).toArray()).to.have.length(3);
    });

    it('refuses $bucket, $bucketAuto, $addToSet, set expressions and $indexOfArray', async () => {
      const words = db.collection('words');
      const pipelines: [string, Document[]][] = [
        ['$bucket', [{ $bucket: { groupBy: '$w', boundaries: ['a', 'z'], default: 'zz' } }]],
        ['$bucketAuto', [{ $bucketAuto: { groupBy: '$w', buckets: 2 } }]],
        ['$addToSet', [{ $group: { _id: null, all: { $addToSet: '$w' } } }]],
        ['$setUnion', [{ $project: { u: { $setUnion: ['$tags', ['a']] } } }]],
        ['$setIsSubset', [{ $match: { $expr: { $setIsSubset: ['$tags', ['a']] } } }]],
        ['$indexOfArray', [{ $project: { i: { $indexOfArray: ['$tags', 'a'] } } }]],
        [
          '$setEquals',
          [{ $facet: { inner: [{ $project: { e: { $setEquals: ['$tags', ['a']] } } }] } }],
        ],
      ];
      for (const [name, pipeline] of pipelines) {
        const err = await errorOf(words.aggregate(pipeline, { collation: S2 }).toArray());
        expect(err.code, name).to.equal(115);
        expect(err.codeName).to.equal('CommandNotSupported');
        expect(err.errmsg).to.contain(name);
        // The simple collation (and none at all) compares binary, as MongoDB does: answered.
        await words.aggregate(pipeline, { collation: { locale: 'simple' } }).toArray();
        await words.aggregate(pipeline).toArray();
      }
    });

    it('refuses them in a find filter and a pipeline update under the collation', async () => {
      const words = db.collection('words');
      const find = await errorOf(
        words.find({ $expr: { $setIsSubset: [['a'], '$tags'] } }, { collation: S2 }).toArray(),
      );
      expect(find.code).to.equal(115);
      const update = await errorOf(
        words.updateOne({ _id: 1 as never }, [{ $set: { u: { $setUnion: ['$tags', ['a']] } } }], {
          collation: S2,
        }),
      );
      expect(update.code).to.equal(115);
      expect(await words.findOne({ _id: 1 as never })).to.not.have.property('u');
      // A $literal holding an operator name is data, not an operator.
      const literal = await words
        .aggregate([{ $project: { v: { $literal: { $setUnion: 1 } } } }], { collation: S2 })
        .toArray();
      expect(literal[0].v).to.deep.equal({ $setUnion: 1 });
    });
  });
});
