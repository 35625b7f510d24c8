import { expect } from 'chai';
import type { Collection, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/**
 * The operators that pick values by their order ($min, $max, $minN, $maxN,
 * $top, $bottom, $topN, $bottomN, $sortArray) under a collation, as MongoDB
 * documents them: strings compare by the collation, not by code point.
 */
describe('engine: ordering operators under a collation', () => {
  let fx: EngineFixture;
  let db: Db;
  let fruit: Collection<Document>;
  const english = { locale: 'en' };

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('collation_ordering');
    fruit = db.collection('fruit');
    // Binary order: 'Banana' < 'Cherry' < 'apple'; English: apple < Banana < Cherry.
    await fruit.insertMany([
      { _id: 1 as never, kind: 'x', name: 'Banana', size: '10', pair: ['Banana', 'apple'] },
      { _id: 2 as never, kind: 'x', name: 'apple', size: '9', pair: ['Cherry', 'apple'] },
      { _id: 3 as never, kind: 'x', name: 'Cherry', size: '100', pair: ['apple', 'Banana'] },
    ]);
  });
  after(() => fx.close());

  async function grouped(accumulators: Document, collation: Document = english) {
    const [out] = await fruit
      .aggregate([{ $group: { _id: '$kind', ...accumulators } }], { collation })
      .toArray();
    return out;
  }

  it('takes $min and $max of strings by the collation, in $group and as expressions', async () => {
    const out = await grouped({ low: { $min: '$name' }, high: { $max: '$name' } });
    expect(out).to.include({ low: 'apple', high: 'Cherry' });
    const binary = await grouped(
      { low: { $min: '$name' }, high: { $max: '$name' } },
      { locale: 'simple' },
    );
    expect(binary).to.include({ low: 'Banana', high: 'apple' });
    const projected = await fruit
      .aggregate(
        [
          { $sort: { _id: 1 } },
          { $project: { low: { $min: '$pair' }, high: { $max: ['$name', 'banana'] } } },
        ],
        { collation: english },
      )
      .toArray();
    expect(projected.map((d) => d.low)).to.deep.equal(['apple', 'apple', 'apple']);
    expect(projected.map((d) => d.high)).to.deep.equal(['Banana', 'banana', 'Cherry']);
  });

  it('orders numbers inside strings by value in $max with numericOrdering', async () => {
    const numeric = { locale: 'en', numericOrdering: true };
    expect(await grouped({ high: { $max: '$size' } }, numeric)).to.include({ high: '100' });
    expect(await grouped({ high: { $max: '$size' } })).to.include({ high: '9' });
  });

  it('keeps the n smallest and largest by the collation in $minN and $maxN', async () => {
    const out = await grouped({
      low: { $minN: { input: '$name', n: 2 } },
      high: { $maxN: { input: '$name', n: 2 } },
    });
    expect(out.low).to.deep.equal(['apple', 'Banana']);
    expect(out.high).to.deep.equal(['Cherry', 'Banana']);
    const [doc] = await fruit
      .aggregate(
        [
          { $match: { _id: 1 } },
          { $project: { low: { $minN: { input: ['b', 'C', 'a', null], n: 2 } } } },
        ],
        { collation: english },
      )
      .toArray();
    expect(doc.low).to.deep.equal(['a', 'b']);
  });

  it('sorts $top, $bottom, $topN and $bottomN by the collation and answers $top with one value', async () => {
    const out = await grouped({
      first: { $top: { sortBy: { name: 1 }, output: '$_id' } },
      last: { $bottom: { sortBy: { name: 1 }, output: '$_id' } },
      firstTwo: { $topN: { n: 2, sortBy: { name: 1 }, output: '$name' } },
      lastTwo: { $bottomN: { n: 2, sortBy: { name: -1 }, output: '$name' } },
    });
    expect(out.first).to.equal(2);
    expect(out.last).to.equal(3);
    expect(out.firstTwo).to.deep.equal(['apple', 'Banana']);
    expect(out.lastTwo).to.deep.equal(['Banana', 'apple']);
    const binary = await grouped(
      { first: { $top: { sortBy: { name: 1 }, output: '$_id' } } },
      { locale: 'simple' },
    );
    expect(binary.first).to.equal(1);
  });

  it('sorts $sortArray by the collation, of values and of documents by a field', async () => {
    const [doc] = await fruit
      .aggregate(
        [
          { $match: { _id: 1 } },
          {
            $project: {
              values: { $sortArray: { input: ['b', 'C', 'a'], sortBy: 1 } },
              reversed: { $sortArray: { input: ['b', 'C', 'a'], sortBy: -1 } },
              docs: {
                $sortArray: { input: [{ n: 'b' }, { n: 'C' }, { n: 'a' }], sortBy: { n: 1 } },
              },
            },
          },
        ],
        { collation: english },
      )
      .toArray();
    expect(doc.values).to.deep.equal(['a', 'b', 'C']);
    expect(doc.reversed).to.deep.equal(['C', 'b', 'a']);
    expect(doc.docs).to.deep.equal([{ n: 'a' }, { n: 'b' }, { n: 'C' }]);
  });

  it('applies the collation to ordering operators in a find $expr and a pipeline update', async () => {
    const found = await fruit
      .find({ $expr: { $eq: [{ $max: ['$name', 'banana'] }, '$name'] } }, { collation: english })
      .toArray();
    expect(found.map((d) => d._id).sort()).to.deep.equal([1, 3]);
    const scratch = db.collection('scratch');
    await scratch.insertOne({ _id: 1 as never, names: ['b', 'C', 'a'] });
    await scratch.updateOne({ _id: 1 as never }, [{ $set: { top: { $max: '$names' } } }], {
      collation: english,
    });
    expect((await scratch.findOne({ _id: 1 as never }))?.top).to.equal('C');
  });

  it('refuses $setWindowFields, $densify, $fill and $graphLookup under a non-simple collation', async () => {
    const stages: Document[] = [
      { $setWindowFields: { sortBy: { name: 1 }, output: { rank: { $rank: {} } } } },
      { $densify: { field: 'n', range: { step: 1, bounds: 'full' } } },
      { $fill: { sortBy: { name: 1 }, output: { size: { method: 'locf' } } } },
      {
        $graphLookup: {
          from: 'fruit',
          startWith: '$name',
          connectFromField: 'name',
          connectToField: 'name',
          as: 'graph',
        },
      },
    ];
    for (const stage of stages) {
      const failure = await errorOf(fruit.aggregate([stage], { collation: english }).toArray());
      expect(failure.code).to.equal(115);
      expect(failure.codeName).to.equal('CommandNotSupported');
      expect(failure.errmsg).to.contain(Object.keys(stage)[0]);
    }
    const ranked = await fruit.aggregate([stages[0]]).toArray();
    expect(ranked.map((d) => d.rank)).to.deep.equal([1, 2, 3]);
  });
});
