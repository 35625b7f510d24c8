import { expect } from 'chai';
import type { Collection, Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/** The first stage of `plan` (or of its inputs) named `stage`. */
function findStage(plan: Document | undefined, stage: string): Document | undefined {
  for (let node = plan; node; node = node.inputStage as Document | undefined)
    if (node.stage === stage) return node;
  return undefined;
}

describe('engine: explain tells the plan the engine really runs', () => {
  let fx: EngineFixture;
  let db: Db;
  let items: Collection<{ _id: number } & Document>;

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('explain');
    items = db.collection<{ _id: number } & Document>('items');
    const docs = Array.from({ length: 50 }, (_, i) => ({
      _id: i,
      n: i,
      group: i % 5,
      tag: `t${i % 10}`,
    }));
    await items.insertMany(docs);
    await items.createIndex({ n: 1 });
    await items.createIndex({ group: 1, tag: 1 });
  });
  after(() => fx.close());

  it('find on an indexed equality: IXSCAN under FETCH, naming the index and its bounds', async () => {
    const plan = await items.find({ n: 7 }).explain('queryPlanner');
    const winning = plan.queryPlanner.winningPlan;
    expect(plan.queryPlanner.namespace).to.equal('explain.items');
    expect(winning.stage).to.equal('FETCH');
    const ixscan = findStage(winning, 'IXSCAN')!;
    expect(ixscan.indexName).to.equal('n_1');
    expect(ixscan.keyPattern).to.deep.equal({ n: 1 });
    expect(ixscan.indexBounds).to.deep.equal({ n: ['[7, 7]'] });
    expect(plan).not.to.have.property('executionStats');
  });

  it('executionStats counts the keys and documents the index lookup touched', async () => {
    const plan = await items.find({ n: { $gte: 10, $lt: 20 } }).explain('executionStats');
    const stats = plan.executionStats;
    expect(stats.nReturned).to.equal(10);
    expect(stats.totalKeysExamined).to.equal(10);
    expect(stats.totalDocsExamined).to.equal(10);
    expect(stats.executionTimeMillis).to.be.a('number');
    expect(findStage(stats.executionStages, 'IXSCAN')!.keysExamined).to.equal(10);
  });

  it('an unindexed filter is a COLLSCAN that examines every document', async () => {
    const plan = await items.find({ tag: 't3' }).explain('executionStats');
    expect(plan.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect(plan.executionStats.totalDocsExamined).to.equal(50);
    expect(plan.executionStats.totalKeysExamined).to.equal(0);
    expect(plan.executionStats.nReturned).to.equal(5);
  });

  it('a compound prefix uses the compound index; _id equality is IDHACK', async () => {
    const compound = await items.find({ group: 2, tag: 't2' }).explain('executionStats');
    const ixscan = findStage(compound.queryPlanner.winningPlan, 'IXSCAN')!;
    expect(ixscan.indexName).to.equal('group_1_tag_1');
    expect(ixscan.indexBounds).to.deep.equal({ group: ['[2, 2]'], tag: ['["t2", "t2"]'] });
    expect(compound.executionStats.nReturned).to.equal(5);
    expect(compound.executionStats.totalDocsExamined).to.equal(5);

    const byId = await items.find({ _id: 4 }).explain('executionStats');
    expect(byId.queryPlanner.winningPlan.stage).to.equal('IDHACK');
    expect(byId.executionStats.totalDocsExamined).to.equal(1);
    expect(byId.executionStats.nReturned).to.equal(1);
  });

  it('sort, skip, limit and projection appear above the scan; nReturned is what find returns', async () => {
    const cursor = items
      .find({ n: { $gte: 0 } })
      .sort({ n: -1 })
      .skip(5)
      .limit(3)
      .project({ n: 1 });
    const plan = await cursor.explain('executionStats');
    const top = plan.queryPlanner.winningPlan;
    expect(top.stage).to.equal('PROJECTION_DEFAULT');
    expect(findStage(top, 'LIMIT')!.limitAmount).to.equal(3);
    expect(findStage(top, 'SKIP')!.skipAmount).to.equal(5);
    expect(findStage(top, 'SORT')!.sortPattern).to.deep.equal({ n: -1 });
    expect(plan.executionStats.nReturned).to.equal(3);
    expect(plan.executionStats.totalDocsExamined).to.equal(50);
  });

  it('the driver default verbosity (allPlansExecution) includes executionStats', async () => {
    const plan = await items.find({ n: 1 }).explain();
    expect(plan.executionStats.nReturned).to.equal(1);
    expect(plan.executionStats.allPlansExecution).to.deep.equal([]);
  });

  it('explains count and distinct through the explain command', async () => {
    const count = await db.command({
      explain: { count: 'items', query: { group: 1 } },
      verbosity: 'executionStats',
    });
    expect(count.queryPlanner.winningPlan.stage).to.equal('COUNT');
    expect(findStage(count.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal(
      'group_1_tag_1',
    );
    expect(count.executionStats.executionStages.nCounted).to.equal(10);

    const distinct = await db.command({
      explain: { distinct: 'items', key: 'tag', query: { n: { $lt: 10 } } },
      verbosity: 'queryPlanner',
    });
    expect(findStage(distinct.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal('n_1');
  });

  it('explains update and delete without writing anything', async () => {
    const update = await items.updateMany(
      { group: 3 },
      { $set: { touched: true } },
      { explain: 'executionStats' },
    );
    const updateStats = (update as unknown as Document).executionStats;
    expect(updateStats.executionStages.stage).to.equal('UPDATE');
    expect(updateStats.executionStages.nMatched).to.equal(10);
    expect(updateStats.executionStages.nWouldModify).to.equal(10);
    const remove = (await items.deleteOne(
      { n: 3 },
      { explain: 'executionStats' },
    )) as unknown as Document;
    expect(remove.executionStats.executionStages.stage).to.equal('DELETE');
    expect(remove.executionStats.executionStages.nWouldDelete).to.equal(1);
    expect(findStage(remove.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal('n_1');
    expect(await items.countDocuments({ touched: true })).to.equal(0);
    expect(await items.countDocuments({ n: 3 })).to.equal(1);
  });

  it('aggregate: a lone $match is planned like find; later stages report what they returned', async () => {
    const matchOnly = await items
      .aggregate([{ $match: { n: { $lt: 4 } } }])
      .explain('queryPlanner');
    expect(findStage(matchOnly.queryPlanner.winningPlan, 'IXSCAN')!.indexName).to.equal('n_1');

    const grouped = await items
      .aggregate([{ $match: { n: { $lt: 20 } } }, { $group: { _id: '$group', c: { $sum: 1 } } }])
      .explain('executionStats');
    const [cursorStage, groupStage] = grouped.stages as Document[];
    expect(cursorStage.$cursor.executionStats.totalKeysExamined).to.equal(20);
    expect(Number(cursorStage.nReturned)).to.equal(20);
    expect(groupStage.$group).to.deep.equal({ _id: '$group', c: { $sum: 1 } });
    expect(Number(groupStage.nReturned)).to.equal(5);
  });

  it('refuses an unknown verbosity, a batch of several writes and unsupported commands', async () => {
    const verbosity = await errorOf(
      db.command({ explain: { find: 'items' }, verbosity: 'everything' }),
    );
    expect(verbosity.code).to.equal(2);
    const batch = await errorOf(
      db.command({
        explain: {
          delete: 'items',
          deletes: [
            { q: {}, limit: 1 },
            { q: {}, limit: 1 },
          ],
        },
      }),
    );
    expect(batch.code).to.equal(16);
    const insert = await errorOf(db.command({ explain: { insert: 'items', documents: [{}] } }));
    expect(insert.codeName).to.equal('CommandNotSupported');
  });

  it('explain is refused inside a transaction', async () => {
    const session = fx.client.startSession();
    try {
      session.startTransaction();
      await items.findOne({}, { session });
      const err = await errorOf(
        db.command({ explain: { find: 'items' }, verbosity: 'queryPlanner' }, { session }),
      );
      expect(err.code).to.equal(263);
    } finally {
      await session.abortTransaction().catch(() => {});
      await session.endSession();
    }
  });
});
