import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from './config.js';
import { silentLogger } from './logger.js';
import { startServer, type RunningServer } from './server.js';

describe('startServer', () => {
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.graceful.shutdown('test over');
    running = undefined;
  });

  it('serves health from the real embedded engine and shuts down cleanly', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: ':memory:',
    });
    running = await startServer(config, silentLogger);
    expect(running.databaseMode).to.equal('embedded');
    expect(running.url).to.equal(`http://127.0.0.1:${running.port}`);

    const res = await fetch(`${running.url}/api/health`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { status: string; database: Record<string, unknown> };
    expect(body.status).to.equal('ok');
    expect(body.database).to.include({ mode: 'embedded', reachable: true });

    const result = await running.graceful.shutdown('test');
    expect(result).to.include({ forced: false });
    expect(result.error).to.equal(undefined);
    expect(running.httpServer.listening).to.equal(false);
  });

  it('closes everything it opened when start-up fails, so the next start works', async () => {
    // An access-log "directory" that is a file fails start-up after the database and the jobs.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'quorum-start-'));
    const notADir = path.join(tmp, 'file');
    writeFileSync(notADir, '');
    const env = { NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: ':memory:' };
    try {
      let failure: unknown;
      await startServer(loadConfig({ ...env, ACCESS_LOG_DIR: notADir }), silentLogger).catch(
        (error: unknown) => (failure = error),
      );
      expect(failure, 'start-up failed').to.be.instanceOf(Error);
      expect(mongoose.connection.readyState).to.equal(mongoose.ConnectionStates.disconnected);

      running = await startServer(loadConfig(env), silentLogger);
      expect((await fetch(`${running.url}/api/health`)).status).to.equal(200);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
