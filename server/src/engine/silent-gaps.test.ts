import { expect } from 'chai';
import {
  Binary,
  ObjectId,
  Timestamp,
  type CollationOptions,
  type Db,
  type Document,
} from 'mongodb';
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

  describe('an update operator on a field of a type it cannot change', () => {
    before(async () => {
      await db.collection('typed').insertOne({
        _id: 1 as never,
        s: 'text',
        n: 1.5,
        none: null,
        list: [1],
      });
    });

    it('refuses $inc, $mul, $push, $addToSet, $pull, $pullAll, $pop and $bit, changing nothing', async () => {
      const typed = db.collection('typed');
      const cases: [Document, number, string][] = [
        [
          { $inc: { s: 1 } },
          14,
          "Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 's' of non-numeric type string",
        ],
        [
          { $mul: { none: 2 } },
          14,
          "Cannot apply $mul to a value of non-numeric type. {_id: 1} has the field 'none' of non-numeric type null",
        ],
        [
          { $push: { s: 1 } },
          2,
          "The field 's' must be an array but is of type string in document {_id: 1}",
        ],
        [
          { $addToSet: { n: 1 } },
          2,
          "Cannot apply $addToSet to non-array field. Field named 'n' has non-array type double",
        ],
        [{ $pull: { s: 'x' } }, 2, 'Cannot apply $pull to a non-array value'],
        [{ $pullAll: { s: ['x'] } }, 2, 'Cannot apply $pull to a non-array value'],
        [{ $pop: { s: 1 } }, 14, "Path 's' contains an element of non-array type 'string'"],
        [
          { $bit: { n: { and: 1 } } },
          2,
          'Cannot apply $bit to a value of non-integral type.{_id: 1} has the field n of non-integer type double',
        ],
      ];
      cases.push(
        [{ $set: { 's.$[]': 1 } }, 2, 'Cannot apply array updates to non-array element s: "text"'],
        [{ $inc: { 'n.$[]': 1 } }, 2, 'Cannot apply array updates to non-array element n: 1.5'],
      );
      for (const [update, code, message] of cases) {
        const err = await errorOf(typed.updateOne({ _id: 1 as never }, update));
        expect(err, JSON.stringify(update)).to.include({ code, errmsg: message });
      }
      // Missing fields are no error: the operator creates them, or has nothing to remove.
      await typed.updateOne({ _id: 1 as never }, {
        $inc: { count: 1 },
        $pull: { gone: 1 },
      } as Document);
      expect(await typed.findOne({ _id: 1 as never })).to.deep.equal({
        _id: 1,
        s: 'text',
        n: 1.5,
        none: null,
        list: [1],
        count: 1,
      });
    });

    it('refuses empty field names in update paths (56 EmptyFieldName)', async () => {
      const typed = db.collection('typed');
      for (const update of [
        { $set: { '': 1 } },
        { $set: { 'a..b': 1 } },
        { $rename: { s: 'x.' } },
      ]) {
        const err = await errorOf(typed.updateOne({ _id: 1 as never }, update));
        expect(err, JSON.stringify(update)).to.include({ code: 56, codeName: 'EmptyFieldName' });
      }
    });

    it('stores a BSON timestamp for $currentDate with $type timestamp', async () => {
      const typed = db.collection('typed');
      await typed.updateOne({ _id: 1 as never }, {
        $currentDate: { at: { $type: 'timestamp' }, on: true },
      } as Document);
      const doc = await typed.findOne({ _id: 1 as never });
      expect(doc?.at).to.be.instanceOf(Timestamp);
      expect(doc?.on).to.be.instanceOf(Date);
      expect(await typed.countDocuments({ at: { $type: 'timestamp' } })).to.equal(1);
    });

    it('$type knows every BSON type name and number, and refuses an unknown one', async () => {
      const kinds = db.collection('kinds');
      await kinds.insertMany([
        { _id: 1 as never, v: new ObjectId() },
        { _id: 2 as never, v: 2.5 },
        { _id: 3 as never, v: 7 },
        { _id: 4 as never, v: [new Date(0), 'x'] },
        { _id: 5 as never, v: new Binary(Buffer.from('hi')) },
      ]);
      const ids = async (type: unknown) =>
        (await kinds.find({ v: { $type: type } } as Document, { sort: { _id: 1 } }).toArray()).map(
          (d) => d._id,
        );
      expect(await ids('objectId')).to.deep.equal([1]);
      expect(await ids(7)).to.deep.equal([1]);
      expect(await ids('number')).to.deep.equal([2, 3]);
      expect(await ids('double')).to.deep.equal([2]);
      expect(await ids(['int', 'binData'])).to.deep.equal([3, 5]);
      // An array matches by its elements' types, and as an array.
      expect(await ids('date')).to.deep.equal([4]);
      expect(await ids('array')).to.deep.equal([4]);
      const err = await errorOf(kinds.find({ v: { $type: 'objectid' } }).toArray());
      expect(err).to.include({ code: 2, errmsg: 'Unknown type name alias: objectid' });
    });
  });

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
