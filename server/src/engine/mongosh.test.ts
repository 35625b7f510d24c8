import { expect } from 'chai';
import type { Document } from 'bson';
import { startEngine, type RunningEngine } from './index.js';
import { runMongosh, stepOf, type SessionOutput } from './mongosh-test-support.js';
import { makeTestCertificate, type TestCertificate } from './tls-test-support.js';

/** What an operator types in a first session on the engine: the everyday helpers. */
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
