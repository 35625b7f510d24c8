import { expect } from 'chai';
import type { Collection, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

describe('engine: let variables', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('letvars');
  });
  after(() => fx.close());

  async function seeded(name: string): Promise<Collection<Document>> {
    const coll = db.collection(name);
    await coll.insertMany([
      { _id: 1 as never, item: 'cake', size: 'M', qty: 3, price: 4 },
      { _id: 2 as never, item: 'pie', size: 'L', qty: 8, price: 10 },
      { _id: 3 as never, item: 'tart', size: 'M', qty: 12, price: 2 },
    ]);
    return coll;
  }

  it('find reads $$variables in $expr, including ones computed by an expression', async () => {
    const coll = await seeded('find');
    const medium = await coll
      .find({ $expr: { $eq: ['$size', '$$wanted'] } }, { let: { wanted: 'M' }, sort: { _id: 1 } })
      .toArray();
    expect(medium.map((d) => d._id)).to.deep.equal([1, 3]);
    const computed = await coll
      .find(
        { $expr: { $gt: [{ $multiply: ['$qty', '$price'] }, '$$threshold'] } },
        { let: { threshold: { $add: [20, 5] } } },
      )
      .toArray();
    expect(computed.map((d) => d._id)).to.deep.equal([2]);
  });

  it('find and findAndModify projections read $$variables', async () => {
    const coll = await seeded('projection');
    const [first] = await coll
      .find({ _id: 1 as never }, { projection: { item: 1, tag: '$$tag' }, let: { tag: 'new' } })
      .toArray();
    expect(first).to.deep.equal({ _id: 1, item: 'cake', tag: 'new' });
    const before = await coll.findOneAndUpdate(
      { _id: 2 as never },
      { $inc: { qty: 1 } },
      { projection: { _id: 0, qty: 1, note: '$$note' }, let: { note: 'was' } },
    );
    expect(before).to.deep.equal({ qty: 8, note: 'was' });
  });

  it('aggregate reads $$variables in $match, in later stages and in a $lookup pipeline', async () => {
    const coll = await seeded('agg');
    const rows = await coll
      .aggregate(
        [
          { $match: { $expr: { $gte: ['$qty', '$$min'] } } },
          { $project: { _id: 1, over: { $subtract: ['$qty', '$$min'] }, label: '$$label' } },
          { $sort: { _id: 1 } },
        ],
        { let: { min: 8, label: 'restock' } },
      )
      .toArray();
    expect(rows).to.deep.equal([
      { _id: 2, over: 0, label: 'restock' },
      { _id: 3, over: 4, label: 'restock' },
    ]);
    await db.collection('suppliers').insertMany([
      { name: 'north', item: 'pie' },
      { name: 'south', item: 'cake' },
    ]);
    const joined = await coll
      .aggregate(
        [
          { $match: { _id: 2 } },
          {
            $lookup: {
              from: 'suppliers',
              pipeline: [{ $match: { $expr: { $eq: ['$name', '$$region'] } } }],
              as: 'from',
            },
          },
        ],
        { let: { region: 'south' } },
      )
      .toArray();
    expect(joined[0].from.map((s: Document) => s.item)).to.deep.equal(['cake']);
  });

  it('update reads $$variables in its filter and in a pipeline update', async () => {
    const coll = await seeded('update');
    const res = await coll.updateMany(
      { $expr: { $eq: ['$size', '$$size'] } },
      [{ $set: { status: '$$status', total: { $multiply: ['$qty', '$$rate'] } } }],
      { let: { size: 'M', status: 'checked', rate: 2 } },
    );
    expect(res.matchedCount).to.equal(2);
    expect(res.modifiedCount).to.equal(2);
    const docs = await coll.find({}, { sort: { _id: 1 } }).toArray();
    expect(docs.map((d) => [d.status, d.total])).to.deep.equal([
      ['checked', 6],
      [undefined, undefined],
      ['checked', 24],
    ]);
  });

  it('an upsert through a pipeline update reads $$variables too', async () => {
    const coll = db.collection('upsert');
    await coll.updateOne({ _id: 'k' as never }, [{ $set: { hits: '$$start' } }], {
      upsert: true,
      let: { start: 1 },
    });
    expect(await coll.findOne({ _id: 'k' as never })).to.deep.equal({ _id: 'k', hits: 1 });
  });

  it('delete reads $$variables in its filter', async () => {
    const coll = await seeded('delete');
    const res = await coll.deleteMany(
      { $expr: { $lt: ['$qty', '$$limit'] } },
      { let: { limit: 10 } },
    );
    expect(res.deletedCount).to.equal(2);
    expect((await coll.find().toArray()).map((d) => d._id)).to.deep.equal([3]);
  });

  it('findAndModify reads $$variables in its query and its pipeline update', async () => {
    const coll = await seeded('fam');
    const after = await coll.findOneAndUpdate(
      { $expr: { $eq: ['$item', '$$name'] } },
      [{ $set: { qty: { $add: ['$qty', '$$extra'] } } }],
      { let: { name: 'pie', extra: 5 }, returnDocument: 'after' },
    );
    expect(after).to.include({ _id: 2, qty: 13 });
    const removed = await coll.findOneAndDelete(
      { $expr: { $eq: ['$item', '$$name'] } },
      { let: { name: 'tart' } },
    );
    expect(removed?._id).to.equal(3);
    expect(await coll.countDocuments()).to.equal(2);
  });

  it('evaluates $$NOW in a let value once for the command', async () => {
    const coll = db.collection('now');
    await coll.insertMany([
      { at: new Date(Date.now() - 60_000) },
      { at: new Date(Date.now() + 3_600_000) },
    ]);
    const past = await coll
      .find({ $expr: { $lt: ['$at', '$$cutoff'] } }, { let: { cutoff: '$$NOW' } })
      .toArray();
    expect(past).to.have.length(1);
  });

  it('refuses variable names MongoDB refuses, and unknown variables, with its codes', async () => {
    const coll = await seeded('names');
    const find = (letVars: Document, filter: Document = { $expr: true }) =>
      errorOf(coll.find(filter, { let: letVars }).toArray());
    const upper = await find({ Bad: 1 });
    expect(upper.code).to.equal(16867);
    expect(upper.errmsg).to.equal(
      "'Bad' starts with an invalid character for a user variable name",
    );
    const dash = await find({ 'a-b': 1 });
    expect(dash.code).to.equal(16868);
    expect((await find({ _x: 1 })).code).to.equal(16867);
    const unknown = await find({ known: 1 }, { $expr: { $eq: ['$qty', '$$unknown'] } });
    expect(unknown.code).to.equal(17276);
    expect(unknown.errmsg).to.equal('Use of undefined variable: unknown');
    const aggregate = await errorOf(
      coll.aggregate([{ $project: { x: '$$nope' } }], { let: { yes: 1 } }).toArray(),
    );
    expect(aggregate.code).to.equal(17276);
  });

  it('answers 17276 for an undefined $$variable in a command without let, whatever reads it', async () => {
    const coll = await seeded('nolet');
    const expr = { $expr: { $eq: ['$qty', '$$missing'] } };
    const failures = [
      await errorOf(coll.find(expr).toArray()),
      await errorOf(coll.aggregate([{ $project: { x: '$$missing' } }]).toArray()),
      await errorOf(coll.updateOne({ _id: 1 as never }, [{ $set: { x: '$$missing' } }])),
      await errorOf(coll.findOneAndUpdate({ _id: 1 as never }, [{ $set: { x: '$$missing' } }])),
      await errorOf(coll.deleteMany(expr)),
      await errorOf(coll.countDocuments(expr)),
    ];
    for (const failure of failures) {
      expect(failure.code).to.equal(17276);
      expect(failure.errmsg).to.equal('Use of undefined variable: missing');
    }
    expect(await coll.countDocuments({ x: { $exists: true } })).to.equal(0);
  });
});
