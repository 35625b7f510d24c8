import { expect } from 'chai';
import type { Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/** The first stage of `plan` (or of its inputs) named `stage`. */
function findStage(plan: Document | undefined, stage: string): Document | undefined {
  for (let node = plan; node; node = node.inputStage as Document | undefined)
    if (node.stage === stage) return node;
  return undefined;
}

/** The `$cursor` stage of an aggregate explain, and the names of the stages after it. */
function split(plan: Document): { cursor: Document; after: string[] } {
  const [first, ...rest] = plan.stages as Document[];
  return {
    cursor: first.$cursor as Document,
    after: rest.map((stage) => Object.keys(stage).find((k) => k.startsWith('$'))!),
  };
}

const STRENGTH_2 = { locale: 'en', strength: 2 };

describe('engine: explain of views and under collations', () => {
  let fx: EngineFixture;
  let db: Db;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('explainviews');
    const people = db.collection<{ _id: number } & Document>('people');
    await people.insertMany(
      Array.from({ length: 40 }, (_, i) => ({
        _id: i,
        age: 20 + i,
        city: i % 4 === 0 ? 'London' : 'Paris',
        name: ['alice', 'Alice', 'ALICE', 'bob'][i % 4],
      })),
    );
    await people.createIndex({ age: 1 });
    await people.createIndex({ name: 1 }, { name: 'name_ci', collation: STRENGTH_2 });
    await db.createCollection('adults', {
      viewOn: 'people',
      pipeline: [{ $match: { age: { $gte: 50 } } }, { $project: { _id: 0, age: 1, city: 1 } }],
    });
    await db.createCollection('everyone', { viewOn: 'people', pipeline: [] });
    await db.createCollection('alices', {
      viewOn: 'people',
      pipeline: [{ $match: { name: 'alice' } }],
      collation: STRENGTH_2,
    });
  });
  after(() => fx.close());

  it('explains a find on a view as the aggregate it resolves to on the backing collection', async () => {
    const view = db.collection('adults');
    const found = await view.find({ city: 'London' }).sort({ age: 1 }).toArray();
    const plan = await view.find({ city: 'London' }).sort({ age: 1 }).explain('executionStats');
    const { cursor, after } = split(plan);
    expect(cursor.queryPlanner.namespace).to.equal('explainviews.people');
    const ixscan = findStage(cursor.queryPlanner.winningPlan, 'IXSCAN')!;
    expect(ixscan.indexName).to.equal('age_1');
    expect(ixscan.indexBounds).to.deep.equal({ age: ['[50, inf.0]'] });
    expect(cursor.executionStats.totalKeysExamined).to.equal(10);
    expect(cursor.executionStats.totalDocsExamined).to.equal(10);
    expect(after).to.deep.equal(['$project', '$match', '$sort']);
    const last = (plan.stages as Document[]).at(-1)!;
    expect(Number(last.nReturned)).to.equal(found.length);
    expect(found.length).to.equal(2);
    expect(plan.command.aggregate).to.equal('people');
    expect(plan.command.pipeline).to.deep.equal([
      { $match: { age: { $gte: 50 } } },
      { $project: { _id: 0, age: 1, city: 1 } },
      { $match: { city: 'London' } },
      { $sort: { age: 1 } },
    ]);
  });

  it('a view of no stages plans the find’s own filter on the backing collection’s index', async () => {
    const plan = await db
      .collection('everyone')
      .find({ age: { $lt: 25 } })
      .explain('executionStats');
    expect(plan.queryPlanner.namespace).to.equal('explainviews.people');
    expect(findStage(plan.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal('age_1');
    expect(plan.executionStats.nReturned).to.equal(5);
    expect(plan.executionStats.totalDocsExamined).to.equal(5);
  });

  it('explains count, distinct and aggregate on a view through the view’s pipeline', async () => {
    const count = await db.command({
      explain: { count: 'adults', query: { city: 'Paris' } },
      verbosity: 'executionStats',
    });
    expect(split(count).after).to.deep.equal(['$project', '$match', '$count']);
    expect(Number((count.stages as Document[]).at(-1)!.nReturned)).to.equal(1);

    const distinct = await db.command({
      explain: { distinct: 'adults', key: 'city' },
      verbosity: 'executionStats',
    });
    expect(split(distinct).after).to.deep.equal(['$project', '$unwind', '$group']);

    const grouped = await db
      .collection('adults')
      .aggregate([{ $group: { _id: '$city', n: { $sum: 1 } } }])
      .explain('executionStats');
    const { cursor, after } = split(grouped);
    expect(cursor.executionStats.nReturned).to.equal(10);
    expect(after).to.deep.equal(['$project', '$group']);
    expect(Number((grouped.stages as Document[]).at(-1)!.nReturned)).to.equal(2);
  });

  it('reads and explains a collated view under its collation, through the index of that collation', async () => {
    const view = db.collection('alices');
    expect(await view.countDocuments()).to.equal(30);
    const plan = await view.find({ city: 'PARIS' }).explain('executionStats');
    const { cursor } = split(plan);
    const ixscan = findStage(cursor.queryPlanner.winningPlan, 'IXSCAN')!;
    expect(ixscan.indexName).to.equal('name_ci');
    expect(cursor.executionStats.nReturned).to.equal(30);
    expect(Number((plan.stages as Document[]).at(-1)!.nReturned)).to.equal(20);
    expect(plan.command.collation).to.deep.include({ locale: 'en', strength: 2 });
  });

  it('refuses to override a view’s collation (167), and explained writes on a view (166)', async () => {
    const read = await errorOf(
      db
        .collection('alices')
        .find({}, { collation: { locale: 'fr' } })
        .toArray(),
    );
    expect(read.code).to.equal(167);
    expect(read.codeName).to.equal('OptionNotSupportedOnView');
    const explained = await errorOf(
      db.command({ explain: { find: 'alices', collation: { locale: 'fr' } } }),
    );
    expect(explained.code).to.equal(167);
    const same = await db.collection('alices').find({}, { collation: STRENGTH_2 }).toArray();
    expect(same).to.have.length(30);
    const update = await errorOf(
      db.command({ explain: { update: 'adults', updates: [{ q: {}, u: { $set: { a: 1 } } }] } }),
    );
    expect(update.code).to.equal(166);
  });

  it('counts a collection scan under the command’s collation when no index has that collation', async () => {
    const people = db.collection('people');
    const plan = await people
      .find({ city: 'london' }, { collation: STRENGTH_2 })
      .explain('executionStats');
    expect(plan.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect(plan.executionStats.nReturned).to.equal(10);
    expect(plan.executionStats.totalDocsExamined).to.equal(40);
  });

  it('uses a collated index only for a query of that collation', async () => {
    const people = db.collection('people');
    const collated = await people
      .find({ name: 'alice' }, { collation: STRENGTH_2 })
      .explain('executionStats');
    expect(findStage(collated.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal('name_ci');
    expect(collated.executionStats.nReturned).to.equal(30);
    expect(collated.executionStats.totalKeysExamined).to.equal(30);

    const binary = await people.find({ name: 'alice' }).explain('executionStats');
    expect(binary.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect(binary.executionStats.nReturned).to.equal(10);
  });

  it('explains under a collection’s default collation when the command gives none', async () => {
    const words = db.collection('words');
    await db.createCollection('words', { collation: STRENGTH_2 });
    await words.insertMany([{ w: 'Apple' }, { w: 'apple' }, { w: 'APPLE' }, { w: 'pear' }]);
    await words.createIndex({ w: 1 });
    const plan = await words.find({ w: 'apple' }).explain('executionStats');
    expect(findStage(plan.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal('w_1');
    expect(plan.executionStats.nReturned).to.equal(3);
    const count = await db.command({
      explain: { count: 'words', query: { w: 'APPLE' } },
      verbosity: 'executionStats',
    });
    expect(count.executionStats.executionStages.nCounted).to.equal(3);
    const removal = (await words.deleteMany(
      { w: 'apple' },
      { explain: 'executionStats' },
    )) as unknown as Document;
    expect(removal.executionStats.executionStages.nWouldDelete).to.equal(3);
  });
});
