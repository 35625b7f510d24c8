import { expect } from 'chai';
import type { Collection, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/**
 * Filters and pipeline stages mongod refuses when it parses them (MongoDB 7.0's
 * documented operand rules), which would otherwise match nothing, everything,
 * or pass documents through unchanged.
 */
describe('engine: filters and stages refused when parsed, as mongod does', () => {
  let fx: EngineFixture;
  let db: Db;
  let items: Collection;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('parse');
    items = db.collection('items');
    await items.insertMany([
      { _id: 1 as never, n: 4, tags: ['a'], s: 'x' },
      { _id: 2 as never, n: 5, tags: [], s: 'y' },
    ]);
  });
  after(() => fx.close());

  it('refuses malformed query operators with BadValue naming the operator', async () => {
    const cases: [Document, number, string][] = [
      [{ n: { $in: 4 } }, 2, '$in needs an array'],
      [{ n: { $nin: 'x' } }, 2, '$nin needs an array'],
      [{ tags: { $all: 'a' } }, 2, '$all needs an array'],
      [{ n: { $mod: [0, 1] } }, 2, 'divisor cannot be 0'],
      [{ n: { $mod: [2] } }, 2, 'malformed mod, not enough elements'],
      [{ tags: { $size: -1 } }, 2, '$size may not be negative'],
      [{ tags: { $size: 1.5 } }, 2, '$size must be a whole number'],
      [{ $and: [] }, 2, '$and/$or/$nor must be a nonempty array'],
      [{ $or: [1] }, 2, '$or/$and/$nor entries need to be full objects'],
      [{ s: { $not: 'x' } }, 2, '$not needs a regex or a document'],
      [{ $or: [{ s: { $not: {} } }] }, 2, '$not cannot be empty'],
      [{ tags: { $elemMatch: 1 } }, 2, '$elemMatch needs an Object'],
      [{ s: { $regex: 'x', $options: 'iq' } }, 51108, 'invalid flag in regex options: q'],
    ];
    for (const [filter, code, message] of cases) {
      const err = await errorOf(items.find(filter).toArray());
      expect(err, JSON.stringify(filter)).to.include({ code, errmsg: message });
    }
    // Well-formed neighbours still match.
    expect(await items.countDocuments({ n: { $mod: [2, 0] }, tags: { $size: 1 } })).to.equal(1);
    expect(await items.countDocuments({ s: { $not: /x/ } })).to.equal(1);
  });

  it('refuses $sort keys other than 1 and -1, empty $project/$addFields, and $-prefixed output fields', async () => {
    const cases: [Document[], number][] = [
      [[{ $sort: { n: 0 } }], 15975],
      [[{ $sort: {} }], 15976],
      [[{ $project: {} }], 51272],
      [[{ $project: { sub: {} } }], 51270],
      [[{ $addFields: {} }], 40177],
      [[{ $set: { $bad: 1 } }], 16410],
      [[{ $facet: { inner: [{ $sort: { n: 2 } }] } }], 15975],
      [[{ $lookup: { from: 'items', pipeline: [{ $project: {} }], as: 'j' } }], 51272],
    ];
    for (const [pipeline, code] of cases) {
      const err = await errorOf(items.aggregate(pipeline).toArray());
      expect(err.code, JSON.stringify(pipeline)).to.equal(code);
    }
    const findSort = await errorOf(db.command({ find: 'items', sort: { n: 2 } }));
    expect(findSort.code).to.equal(15975);
    // The same stages in an update pipeline are refused too.
    const update = await errorOf(items.updateOne({ _id: 1 as never }, [{ $set: {} }]));
    expect(update.code).to.equal(40177);
    const sorted = await items.aggregate([{ $sort: { n: -1 } }, { $project: { n: 1 } }]).toArray();
    expect(sorted).to.deep.equal([
      { _id: 2, n: 5 },
      { _id: 1, n: 4 },
    ]);
  });
});
