import { expect } from 'chai';
import { startEngine, type RunningEngine } from './index.js';
import { runMongosh, stepOf, type SessionOutput } from './mongosh-test-support.js';

/**
 * The session steps that rest on views (helper e16c's work) and collation
 * (helper e16b's): db.createView and reading the view back, a case-insensitive
 * find and a numeric-ordering sort with .collation(). They pass once those
 * branches are merged with this one.
 */
const SESSION = `
use shop
db.items.insertMany([{ n: 1, name: 'pen' }, { n: 2, name: 'ink' }, { n: 3, name: 'pad' }]);
step('createView', db.createView('bigItems', 'items', [{ $match: { n: { $gte: 2 } } }, { $project: { _id: 0, n: 1 } }]));
step('viewInfo', db.getCollectionInfos({ name: 'bigItems' })[0]);
step('viewRead', db.bigItems.find().sort({ n: 1 }).toArray());
db.names.insertMany([{ name: 'alice' }, { name: 'Alice' }, { name: 'ALICE' }, { name: 'bob' }]);
step('caseInsensitive', db.names.find({ name: 'alice' }).collation({ locale: 'en', strength: 2 }).toArray().length);
db.versions.insertMany([{ v: '10' }, { v: '9' }, { v: '100' }]);
step('numericOrder', db.versions.find({}, { _id: 0 }).sort({ v: 1 }).collation({ locale: 'en', numericOrdering: true }).toArray().map((d) => d.v));
`;

describe('mongosh session: createView and collation (after merging e16b collation and e16c views)', function () {
  this.timeout(120_000);
  let engine: RunningEngine;
  let session: SessionOutput;

  before(async () => {
    engine = await startEngine({ dataDir: null });
    session = await runMongosh(engine.uri, SESSION);
  });
  after(() => engine.close());

  it('db.createView() makes a view that reads through its pipeline (e16c)', () => {
    expect(stepOf(session, 'createView').ok).to.equal(1);
    const info = stepOf(session, 'viewInfo');
    expect(info.type).to.equal('view');
    expect(info.options.viewOn).to.equal('items');
    expect(stepOf(session, 'viewRead')).to.deep.equal([{ n: 2 }, { n: 3 }]);
  });

  it('a find with .collation({strength: 2}) matches regardless of case (e16b)', () => {
    expect(stepOf<number>(session, 'caseInsensitive')).to.equal(3);
  });

  it('a sort with .collation({numericOrdering: true}) orders numeric strings by value (e16b)', () => {
    expect(stepOf(session, 'numericOrder')).to.deep.equal(['9', '10', '100']);
  });
});
