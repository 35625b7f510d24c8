import os from 'node:os';
import { expect } from 'chai';
import type { Document } from 'bson';
import { startEngine, type RunningEngine } from './index.js';
import { runMongosh, stepOf, type SessionOutput } from './mongosh-test-support.js';
import { makeTestCertificate, type TestCertificate } from './tls-test-support.js';

/** What an operator types in a first session on the engine: the everyday helpers, views and collations. */
const SESSION = `
use shop
db.items.insertMany([{ n: 1, name: 'pen' }, { n: 2, name: 'ink' }, { n: 3, name: 'pad' }]);
db.items.createIndex({ n: 1 });
begin('showdbs')
show dbs
end('showdbs')
step('dbStats', db.stats());
step('collStats', db.items.stats());
step('serverStatus', db.serverStatus());
step('rsStatus', rs.status());
step('rsConf', rs.conf());
step('currentOp', db.currentOp());
step('explainPlanner', db.items.find({ n: 2 }).explain());
step('explainStats', db.items.find({ n: { $gte: 2 } }).explain('executionStats'));
step('explainScan', db.items.find({ name: 'ink' }).explain('executionStats'));
step('validate', db.items.validate());
step('createView', db.createView('bigItems', 'items', [{ $match: { n: { $gte: 2 } } }, { $project: { _id: 0, n: 1 } }]));
step('viewInfo', db.getCollectionInfos({ name: 'bigItems' })[0]);
step('viewRead', db.bigItems.find().sort({ n: 1 }).toArray());
step('viewExplain', db.bigItems.find({ n: 3 }).explain('executionStats'));
step('systemViews', db.system.views.find().toArray());
begin('showcollections')
show collections
end('showcollections')
step('dbStatsViews', db.stats());
step('hostInfo', db.hostInfo());
db.names.insertMany([{ name: 'alice' }, { name: 'Alice' }, { name: 'ALICE' }, { name: 'bob' }]);
step('caseInsensitive', db.names.find({ name: 'alice' }).collation({ locale: 'en', strength: 2 }).toArray().length);
db.versions.insertMany([{ v: '10' }, { v: '9' }, { v: '100' }]);
step('numericOrder', db.versions.find({}, { _id: 0 }).sort({ v: 1 }).collation({ locale: 'en', numericOrdering: true }).toArray().map((d) => d.v));
const stream = db.events.watch();
db.events.insertOne({ n: 1 });
db.events.updateOne({ n: 1 }, { $set: { n: 2 } });
const seen = [];
for (let i = 0; i < 40 && seen.length < 2; i++) {
  const change = stream.tryNext();
  if (change) seen.push(change.operationType);
}
stream.close();
step('watch', seen);
`;

describe('mongosh session on the engine (the npm mongosh package)', function () {
  this.timeout(120_000);
  let engine: RunningEngine;
  let session: SessionOutput;

  before(async () => {
    engine = await startEngine({ dataDir: null });
    session = await runMongosh(engine.uri, SESSION);
  });
  after(() => engine.close());

  it('runs the whole session without a shell error', () => {
    expect(session.stdout, session.stdout).not.to.match(/MongoServerError|TypeError|SyntaxError/);
    expect(session.code, session.stderr).to.equal(0);
  });

  it('show dbs lists the database with its size', () => {
    expect(session.blocks.get('showdbs')).to.match(/^shop\s+\d+(\.\d+)?\s+\S*B/m);
  });

  it('db.stats() and db.items.stats() count documents and indexes', () => {
    const dbStats = stepOf(session, 'dbStats');
    expect(dbStats.db).to.equal('shop');
    expect(dbStats.objects).to.equal(3);
    expect(dbStats.indexes).to.equal(2);
    const collStats = stepOf(session, 'collStats');
    expect(collStats.ns).to.equal('shop.items');
    expect(collStats.count).to.equal(3);
    expect(collStats.nindexes).to.equal(2);
    expect(Object.keys(collStats.indexSizes as Document)).to.have.members(['_id_', 'n_1']);
    expect(collStats.size).to.be.greaterThan(0);
  });

  it('db.serverStatus() reports counters, connections, memory and uptime', () => {
    const status = stepOf(session, 'serverStatus');
    expect(status.opcounters.insert).to.be.at.least(3);
    expect(status.connections.current).to.be.at.least(1);
    expect(status.mem.resident).to.be.greaterThan(0);
    expect(status.uptime).to.be.a('number');
    expect(status.version).to.equal('7.0.0');
  });

  it('rs.status() and rs.conf() describe the one-node replica set', () => {
    const status = stepOf(session, 'rsStatus');
    expect(status.set).to.equal('rs0');
    expect(status.members[0].stateStr).to.equal('PRIMARY');
    const conf = stepOf(session, 'rsConf');
    expect(conf._id).to.equal('rs0');
    expect(conf.members[0].host).to.equal(status.members[0].name);
  });

  it('db.currentOp() shows the operation that asks', () => {
    const ops = stepOf(session, 'currentOp').inprog as Document[];
    expect(ops.some((op) => op.command?.pipeline?.[0]?.$currentOp)).to.equal(true);
  });

  it('explain() in queryPlanner and executionStats verbosity shows the index and what it examined', () => {
    const planner = stepOf(session, 'explainPlanner');
    expect(planner.queryPlanner.winningPlan.inputStage.indexName).to.equal('n_1');
    expect(planner).not.to.have.property('executionStats');
    const stats = stepOf(session, 'explainStats').executionStats;
    expect(stats.nReturned).to.equal(2);
    expect(stats.totalKeysExamined).to.equal(2);
    expect(stats.totalDocsExamined).to.equal(2);
    const scan = stepOf(session, 'explainScan');
    expect(scan.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect(scan.executionStats.totalDocsExamined).to.equal(3);
  });

  it('db.items.validate() finds the collection valid', () => {
    const result = stepOf(session, 'validate');
    expect(result.valid).to.equal(true);
    expect(result.nrecords).to.equal(3);
  });

  it('db.createView() makes a view that reads through its pipeline', () => {
    expect(stepOf(session, 'createView').ok).to.equal(1);
    const info = stepOf(session, 'viewInfo');
    expect(info.type).to.equal('view');
    expect(info.options.viewOn).to.equal('items');
    expect(stepOf(session, 'viewRead')).to.deep.equal([{ n: 2 }, { n: 3 }]);
  });

  it('explain() on a view shows the aggregate on the collection, through its index', () => {
    const plan = stepOf(session, 'viewExplain');
    const [cursor, ...after] = plan.stages as Document[];
    expect(cursor.$cursor.queryPlanner.namespace).to.equal('shop.items');
    expect(cursor.$cursor.queryPlanner.winningPlan.inputStage.indexName).to.equal('n_1');
    expect(cursor.$cursor.executionStats.totalDocsExamined).to.equal(2);
    expect(after.map((stage) => Object.keys(stage)[0])).to.deep.equal(['$project', '$match']);
    expect(Number(after[1].nReturned)).to.equal(1);
  });

  it('system.views holds the view’s definition; show collections and db.stats() count it', () => {
    expect(stepOf(session, 'systemViews')).to.deep.equal([
      {
        _id: 'shop.bigItems',
        viewOn: 'items',
        pipeline: [{ $match: { n: { $gte: 2 } } }, { $project: { _id: 0, n: 1 } }],
      },
    ]);
    const shown = session.blocks
      .get('showcollections')!
      .split('\n')
      .map((line) => line.trim());
    expect(shown).to.include.members(['items', 'system.views']);
    expect(
      shown.some((line) => /^bigItems\s+\[view\]$/.test(line)),
      shown.join('\n'),
    ).to.equal(true);
    const stats = stepOf(session, 'dbStatsViews');
    expect(stats.views).to.equal(1);
    expect(stats.collections).to.equal(2);
    expect(stats.objects).to.equal(3 + 1);
  });

  it('db.hostInfo() reports the machine: cores, memory and the system', () => {
    const info = stepOf(session, 'hostInfo');
    expect(info.system.numCores).to.equal(os.cpus().length);
    expect(info.system.memSizeMB).to.equal(Math.floor(os.totalmem() / (1024 * 1024)));
    expect(info.os.type).to.equal(os.type() === 'Windows_NT' ? 'Windows' : os.type());
  });

  it('a find with .collation({strength: 2}) matches regardless of case', () => {
    expect(stepOf<number>(session, 'caseInsensitive')).to.equal(3);
  });

  it('a sort with .collation({numericOrdering: true}) orders numeric strings by value', () => {
    expect(stepOf(session, 'numericOrder')).to.deep.equal(['9', '10', '100']);
  });

  it('a watch loop sees the insert and the update', () => {
    expect(stepOf(session, 'watch')).to.deep.equal(['insert', 'update']);
  });
});

describe('mongosh authenticates with SCRAM-SHA-256 over TLS', function () {
  this.timeout(120_000);
  let engine: RunningEngine;
  let cert: TestCertificate;

  before(async () => {
    cert = makeTestCertificate();
    engine = await startEngine({
      dataDir: null,
      users: [{ user: 'operator', password: 'a long enough password' }],
      tls: { cert: cert.cert, key: cert.key },
    });
  });
  after(async () => {
    await engine.close();
    cert.remove();
  });

  it('connects with -u/-p and --tls, and the server knows who it is', async () => {
    const port = engine.port;
    const session = await runMongosh(
      `mongodb://127.0.0.1:${port}/?replicaSet=rs0`,
      "step('status', db.runCommand({ connectionStatus: 1 }));\nstep('count', db.getSiblingDB('x').y.countDocuments());",
      [
        '--tls',
        '--tlsCAFile',
        cert.certFile,
        '-u',
        'operator',
        '-p',
        'a long enough password',
        '--authenticationDatabase',
        'admin',
      ],
    );
    const status = stepOf(session, 'status');
    expect(status.authInfo.authenticatedUsers).to.deep.equal([{ user: 'operator', db: 'admin' }]);
    expect(stepOf<number>(session, 'count')).to.equal(0);
  });

  it('is refused with a wrong password', async () => {
    const session = await runMongosh(
      `mongodb://127.0.0.1:${engine.port}/?replicaSet=rs0`,
      "step('status', db.runCommand({ ping: 1 }));",
      ['--tls', '--tlsCAFile', cert.certFile, '-u', 'operator', '-p', 'not the password!'],
    );
    expect(session.steps.has('status')).to.equal(false);
    expect(session.stdout + session.stderr).to.match(/Authentication failed/);
  });
});
