import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { connectDatabase, databaseHealth, type Database, type DatabaseConfig } from './connect.js';

const base: DatabaseConfig = {
  mongodbUri: null,
  dataDir: null,
  dbName: 'quorum_connect_test',
  engineHistoryRetentionHours: 24,
};

describe('connectDatabase', () => {
  let db: Database | undefined;
  let engine: RunningEngine | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await db?.close();
    await engine?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    [db, engine, dir] = [undefined, undefined, undefined];
  });

  it('starts the embedded engine when MONGODB_URI is unset and reports it healthy', async () => {
    db = await connectDatabase(base);
    expect(db.mode).to.equal('embedded');
    expect(db.connection.name).to.equal('quorum_connect_test');
    const health = await databaseHealth(db);
    expect(health).to.include({ mode: 'embedded', reachable: true });
    expect(health.latencyMs).to.be.a('number').and.to.be.at.least(0);
  });

  it('keeps embedded data in DATA_DIR across a restart', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quorum-connect-'));
    db = await connectDatabase({ ...base, dataDir: dir });
    await db.connection.collection('notes').insertOne({ text: 'kept' });
    await db.close();
    db = await connectDatabase({ ...base, dataDir: dir });
    const note = await db.connection.collection('notes').findOne({ text: 'kept' });
    expect(note?.text).to.equal('kept');
  });

  it('connects to MONGODB_URI without starting an engine of its own', async () => {
    engine = await startEngine({ port: 0, dataDir: null });
    db = await connectDatabase({ ...base, mongodbUri: engine.uri });
    expect(db.mode).to.equal('external');
    expect(await databaseHealth(db)).to.include({ mode: 'external', reachable: true });
  });

  it('reports an unreachable database after close, without throwing', async () => {
    db = await connectDatabase(base);
    const closed = db;
    await closed.close();
    db = undefined;
    expect(mongoose.connection.readyState).to.equal(mongoose.ConnectionStates.disconnected);
    expect(await databaseHealth(closed, 200)).to.deep.equal({
      mode: 'embedded',
      reachable: false,
      latencyMs: null,
    });
  });

  it('closes the engine it started when the caller closes', async () => {
    db = await connectDatabase(base);
    const { host, port } = db.connection;
    await db.close();
    db = undefined;
    const probe = new mongoose.Mongoose();
    let failed = false;
    try {
      await probe.connect(`mongodb://${host}:${port}/?replicaSet=rs0`, {
        serverSelectionTimeoutMS: 300,
      });
    } catch {
      failed = true;
    } finally {
      await probe.disconnect();
    }
    expect(failed).to.equal(true);
  });
});
