import { expect } from 'chai';
import type { CollationOptions, Collection, Db, Document } from 'mongodb';
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

  async function grouped(accumulators: Document, collation: CollationOptions = english) {
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

  it('applies the collation to a find projection’s $elemMatch and expressions', async () => {
    const baskets = db.collection('baskets');
    await baskets.insertOne({
      _id: 1 as never,
      name: 'Banana',
      items: [{ n: 'Cherry' }, { n: 'apple' }],
      pair: ['Banana', 'apple'],
    });
    const [doc] = await baskets
      .find(
        { _id: 1 as never },
        {
          collation: { locale: 'en', strength: 2 },
          projection: {
            items: { $elemMatch: { n: 'APPLE' } },
            same: { $eq: ['$name', 'BANANA'] },
            high: { $max: '$pair' },
          },
        },
      )
      .toArray();
    expect(doc.items).to.deep.equal([{ n: 'apple' }]);
    expect(doc.same).to.equal(true);
    expect(doc.high).to.equal('Banana');
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

  describe('locale defaults and maxVariable', () => {
    async function echoed(name: string, collation: CollationOptions): Promise<Document> {
      await db.createCollection(name, { collation });
      const [info] = await db.listCollections({ name }).toArray();
      const [index] = await db.collection(name).listIndexes().toArray();
      expect(index.collation).to.deep.equal((info as Document).options.collation);
      return (info as Document).options.collation as Document;
    }

    it('fills what a locale leaves out with its own rules, and reports them', async () => {
      expect(await echoed('danish', { locale: 'da' })).to.include({
        caseFirst: 'upper',
        alternate: 'non-ignorable',
        backwards: false,
      });
      expect(await echoed('maltese', { locale: 'mt' })).to.include({ caseFirst: 'upper' });
      expect(await echoed('thai', { locale: 'th' })).to.include({
        caseFirst: 'off',
        alternate: 'shifted',
        maxVariable: 'punct',
        normalization: true,
      });
      expect(await echoed('vietnamese', { locale: 'vi' })).to.include({ normalization: true });
      expect(await echoed('greek', { locale: 'el' })).to.include({ normalization: true });
      expect(await echoed('german_search', { locale: 'de@collation=search' })).to.include({
        normalization: true,
      });
      expect(await echoed('canadian', { locale: 'fr_CA' })).to.include({ backwards: true });
      expect(await echoed('english', { locale: 'en' })).to.include({
        caseFirst: 'off',
        alternate: 'non-ignorable',
        normalization: false,
        backwards: false,
      });
      expect(await echoed('danish_off', { locale: 'da', caseFirst: 'off' })).to.include({
        caseFirst: 'off',
      });
    });

    it('sorts by the locale defaults: upper case first in Danish, lower case first in English', async () => {
      const letters = db.collection('letters');
      await letters.insertMany([{ s: 'a' }, { s: 'A' }, { s: 'b' }, { s: 'B' }]);
      const sorted = async (collation: CollationOptions) =>
        (await letters.find({}, { sort: { s: 1 }, collation }).toArray()).map((d) => d.s);
      expect(await sorted({ locale: 'da' })).to.deep.equal(['A', 'a', 'B', 'b']);
      expect(await sorted({ locale: 'en' })).to.deep.equal(['a', 'A', 'b', 'B']);
      // Danish at strength 1 takes its caseFirst without complaint; a stated one is refused.
      expect(await sorted({ locale: 'da', strength: 1 })).to.have.length(4);
      const stated = await errorOf(sorted({ locale: 'en', strength: 1, caseFirst: 'upper' }));
      expect(stated.code).to.equal(2);
    });

    it('ignores only white space with alternate shifted and maxVariable space', async () => {
      const words = db.collection('words');
      await words.insertMany([{ w: 'ab' }, { w: 'a b' }, { w: 'a-b' }]);
      const matching = async (collation: CollationOptions) =>
        (await words.find({ w: 'ab' }, { collation }).toArray()).map((d) => d.w).sort();
      expect(
        await matching({ locale: 'en', alternate: 'shifted', maxVariable: 'space' }),
      ).to.deep.equal(['a b', 'ab']);
      expect(await matching({ locale: 'en', alternate: 'shifted' })).to.deep.equal([
        'a b',
        'a-b',
        'ab',
      ]);
      expect(await matching({ locale: 'en' })).to.deep.equal(['ab']);
      // Thai shifts by its own rules.
      expect(await matching({ locale: 'th' })).to.deep.equal(['a b', 'a-b', 'ab']);
    });
  });
});
