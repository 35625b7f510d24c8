import os from 'node:os';
import { expect } from 'chai';
import { calculateObjectSize } from 'bson';
import type { Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

describe('engine: statistics and diagnostics an operator reads', () => {
  let fx: EngineFixture;
  let db: Db;
  const docs = Array.from({ length: 20 }, (_, i) => ({ _id: i, name: `item ${i}`, n: i }));

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('diag');
    await db.collection<{ _id: number }>('items').insertMany(docs);
    await db.collection('items').createIndex({ n: 1 });
    await db.collection('other').insertOne({ x: 1 });
  });
  after(() => fx.close());

  it('collStats reports the exact count, the BSON size of the documents and each index', async () => {
    const stats = await db.command({ collStats: 'items' });
    const size = docs.reduce((n, d) => n + calculateObjectSize(d), 0);
    expect(stats.ns).to.equal('diag.items');
    expect(stats.count).to.equal(20);
    expect(stats.size).to.equal(size);
    expect(stats.avgObjSize).to.equal(Math.trunc(size / 20));
    expect(stats.nindexes).to.equal(2);
    expect(Object.keys(stats.indexSizes)).to.have.members(['_id_', 'n_1']);
    expect(stats.indexSizes.n_1).to.be.greaterThan(0);
    expect(stats.totalIndexSize).to.equal(stats.indexSizes._id_ + stats.indexSizes.n_1);
    const scaled = await db.command({ collStats: 'items', scale: 1024 });
    expect(scaled.size).to.equal(Math.trunc(size / 1024));
    expect(scaled.scaleFactor).to.equal(1024);
  });

  it('collStats on a missing collection is NamespaceNotFound', async () => {
    const err = await errorOf(db.command({ collStats: 'nothing' }));
    expect(err.code).to.equal(26);
  });

  it('$collStats yields storageStats and count, and refuses what it cannot measure', async () => {
    const [stats] = await db
      .collection('items')
      .aggregate([{ $collStats: { storageStats: {}, count: {} } }])
      .toArray();
    expect(stats.ns).to.equal('diag.items');
    expect(stats.count).to.equal(20);
    expect(stats.storageStats.count).to.equal(20);
    expect(stats.storageStats.nindexes).to.equal(2);
    const latency = await errorOf(
      db
        .collection('items')
        .aggregate([{ $collStats: { latencyStats: {} } }])
        .toArray(),
    );
    expect(latency.codeName).to.equal('CommandNotSupported');
    const late = await errorOf(
      db
        .collection('items')
        .aggregate([{ $match: {} }, { $collStats: {} }])
        .toArray(),
    );
    expect(late.code).to.equal(40602);
  });

  it('dbStats adds up the collections of the database', async () => {
    const stats = await db.stats();
    expect(stats.db).to.equal('diag');
    expect(stats.collections).to.equal(2);
    expect(stats.objects).to.equal(21);
    expect(stats.indexes).to.equal(3);
    const items = await db.command({ collStats: 'items' });
    const other = await db.command({ collStats: 'other' });
    expect(stats.dataSize).to.equal(items.size + other.size);
  });

  it('hostInfo describes the machine the engine runs on', async () => {
    const info = await db.admin().command({ hostInfo: 1 });
    expect(info.system.hostname).to.equal(os.hostname());
    expect(info.system.numCores).to.equal(os.cpus().length);
    expect(info.system.numCoresAvailableToProcess).to.equal(os.availableParallelism());
    expect(info.system.memSizeMB).to.equal(Math.floor(os.totalmem() / (1024 * 1024)));
    expect(info.system.memLimitMB).to.be.within(1, info.system.memSizeMB);
    expect(info.system.cpuAddrSize).to.equal(64);
    expect(info.os.type).to.equal(os.type() === 'Windows_NT' ? 'Windows' : os.type());
    expect(info.os.name).to.be.a('string').and.not.equal('');
    if (os.type() === 'Linux') {
      expect(info.os.version).to.be.a('string').and.not.equal('');
      expect(info.extra.kernelVersion).to.equal(os.release());
      expect(info.extra.numPages * info.extra.pageSize).to.be.closeTo(
        os.totalmem(),
        info.extra.pageSize,
      );
    }
  });

  it('serverStatus counts operations and connections and reports memory and uptime', async () => {
    const before = await db.admin().command({ serverStatus: 1 });
    await db.collection('counted').insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    await db.collection('counted').find({}).toArray();
    await db.collection('counted').updateOne({ a: 1 }, { $set: { b: 1 } });
    await db.collection('counted').deleteOne({ a: 2 });
    const after = await db.admin().command({ serverStatus: 1 });
    const delta = (name: string) =>
      Number(after.opcounters[name]) - Number(before.opcounters[name]);
    expect(delta('insert')).to.equal(3);
    expect(delta('query')).to.equal(1);
    expect(delta('update')).to.equal(1);
    expect(delta('delete')).to.equal(1);
    expect(after.connections.current).to.be.at.least(1);
    expect(after.mem.resident).to.be.greaterThan(0);
    expect(after.uptime).to.be.a('number');
    expect(after.version).to.equal('7.0.0');
    expect(after.host).to.match(/:\d+$/);
    expect(after.process).to.equal('mongod');
  });

  it('replSetGetStatus and replSetGetConfig describe the one-node set; both are admin-only', async () => {
    const status = await db.admin().command({ replSetGetStatus: 1 });
    expect(status.set).to.equal('rs0');
    expect(status.members).to.have.length(1);
    expect(status.members[0].stateStr).to.equal('PRIMARY');
    expect(status.members[0].self).to.equal(true);
    const { config } = await db.admin().command({ replSetGetConfig: 1 });
    expect(config._id).to.equal('rs0');
    expect(config.members[0].host).to.equal(status.members[0].name);
    const err = await errorOf(db.command({ replSetGetConfig: 1 }));
    expect(err.code).to.equal(13);
  });

  it('$currentOp lists the operation asking, and idle connections on request', async () => {
    const ops = await fx.client
      .db('admin')
      .aggregate([{ $currentOp: { allUsers: true, idleConnections: true } }])
      .toArray();
    const self = ops.find((op: Document) => op.command?.pipeline?.[0]?.$currentOp);
    expect(self?.active).to.equal(true);
    expect(self?.op).to.equal('command');
    expect(ops.some((op: Document) => op.active === false)).to.equal(true);
    const err = await errorOf(db.aggregate([{ $currentOp: {} }]).toArray());
    expect(err.code).to.equal(73);
  });

  it('$currentOp shows a session holding an open transaction as an idle session', async () => {
    const session = fx.client.startSession();
    try {
      session.startTransaction();
      await db
        .collection<{ _id: number }>('items')
        .updateOne({ _id: 1 }, { $set: { held: true } }, { session });
      const ops = await fx.client
        .db('admin')
        .aggregate([{ $currentOp: { allUsers: true } }])
        .toArray();
      const idle = ops.find((op: Document) => op.type === 'idleSession');
      expect(idle?.lsid.id.toString('hex')).to.equal(session.id!.id.toString('hex'));
      expect(idle?.transaction.parameters.autocommit).to.equal(false);
    } finally {
      await session.abortTransaction();
      await session.endSession();
    }
    const after = await fx.client
      .db('admin')
      .aggregate([{ $currentOp: { allUsers: true } }])
      .toArray();
    expect(after.some((op: Document) => op.type === 'idleSession')).to.equal(false);
  });

  it('$listLocalSessions lists the sessions this node has seen until they end', async () => {
    const session = fx.client.startSession();
    await db.collection('items').findOne({}, { session });
    const id = session.id!.id;
    const listed = await fx.client
      .db('admin')
      .aggregate([{ $listLocalSessions: { allUsers: true } }])
      .toArray();
    expect(listed.some((s: Document) => s._id.id.toString('hex') === id.toString('hex'))).to.equal(
      true,
    );
    await fx.client.db('admin').command({ endSessions: [session.id] });
    const after = await fx.client
      .db('admin')
      .aggregate([{ $listLocalSessions: { allUsers: true } }])
      .toArray();
    expect(after.some((s: Document) => s._id.id.toString('hex') === id.toString('hex'))).to.equal(
      false,
    );
    await session.endSession();
  });

  it('validate checks documents and index keys', async () => {
    const result = await db.command({ validate: 'items' });
    expect(result.valid).to.equal(true);
    expect(result.nrecords).to.equal(20);
    expect(result.keysPerIndex).to.deep.equal({ _id_: 20, n_1: 20 });
    const err = await errorOf(db.command({ validate: 'nothing' }));
    expect(err.code).to.equal(26);
  });

  it('validate checks system.views, and refuses a view as mongod does', async () => {
    await db.createCollection('evens', { viewOn: 'items', pipeline: [{ $match: { n: 2 } }] });
    const result = await db.command({ validate: 'system.views' });
    expect(result).to.include({ ns: `${db.databaseName}.system.views`, valid: true, nrecords: 1 });
    const err = await errorOf(db.command({ validate: 'evens' }));
    expect(err).to.include({ code: 166, codeName: 'CommandNotSupportedOnView' });
    expect(err.message).to.equal('Cannot validate a view');
    await db.dropCollection('evens');
  });

  it('usersInfo answers with no users when the engine runs without authentication', async () => {
    const info = await db.admin().command({ usersInfo: 1 });
    expect(info.users).to.deep.equal([]);
  });

  it('profile: level 0 reads and sets slowms; levels 1 and 2 are refused', async () => {
    const was = await db.command({ profile: -1 });
    expect(was.was).to.equal(0);
    await db.command({ profile: 0, slowms: 250 });
    expect((await db.command({ profile: -1 })).slowms).to.equal(250);
    const err = await errorOf(db.command({ profile: 1 }));
    expect(err.codeName).to.equal('CommandNotSupported');
    expect(String(err.errmsg ?? err.message)).to.match(/level 0/);
  });
});
