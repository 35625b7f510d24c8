import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiErrorBody, DatabaseHealth, HealthResponse } from '../../shared/api.js';
import { createApp, type AppDeps } from './app.js';
import { silentLogger } from './logger.js';
import { Outbox } from './mail/mailer.js';

/**
 * These tests inject the health probe (dependency injection, not a database
 * mock): they check what the app does with each answer. The probe against a
 * real database is tested with the engine.
 */
describe('createApp', () => {
  let server: Server | undefined;

  async function start(overrides: Partial<AppDeps> = {}): Promise<string> {
    const app = createApp({
      config: {
        nodeEnv: 'test',
        trustProxy: false,
        publicUrl: 'http://localhost:3000',
        jwtSecret: 'x'.repeat(32),
      },
      mailer: new Outbox(null),
      health: () => Promise.resolve({ mode: 'embedded', reachable: true, latencyMs: 0.4 }),
      logger: silentLogger,
      ...overrides,
    });
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  afterEach(async () => {
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  describe('GET /api/health', () => {
    it('answers 200 with the database state when it is reachable', async () => {
      const url = await start();
      const res = await fetch(`${url}/api/health`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('no-store');
      expect(await res.json()).to.deep.equal({
        status: 'ok',
        database: { mode: 'embedded', reachable: true, latencyMs: 0.4 },
      } satisfies HealthResponse);
    });

    it('answers 503 when the database is unreachable', async () => {
      const down: DatabaseHealth = { mode: 'external', reachable: false, latencyMs: null };
      const url = await start({ health: () => Promise.resolve(down) });
      const res = await fetch(`${url}/api/health`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({
        status: 'unavailable',
        database: down,
      } satisfies HealthResponse);
    });

    it('answers 503 service_unavailable when the probe itself fails', async () => {
      const url = await start({ health: () => Promise.reject(new Error('secret detail')) });
      const res = await fetch(`${url}/api/health`);
      expect(res.status).to.equal(503);
      const body = (await res.json()) as ApiErrorBody;
      expect(body.error.id).to.equal('service_unavailable');
      expect(JSON.stringify(body)).not.to.include('secret detail');
    });
  });

  it('does not announce Express', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/health`);
    expect(res.headers.has('x-powered-by')).to.equal(false);
  });

  it('answers unknown /api paths with a JSON not_found', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/no-such-thing?x=1`, { method: 'POST' });
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await res.json()).to.deep.equal({
      error: { id: 'not_found', message: 'No API route for POST /api/no-such-thing' },
    } satisfies ApiErrorBody);
  });

  it('answers malformed JSON with invalid_request', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated":',
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as ApiErrorBody).error.id).to.equal('invalid_request');
  });

  it('answers an oversized body with payload_too_large', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a'.repeat(300 * 1024) }),
    });
    expect(res.status).to.equal(413);
    expect(((await res.json()) as ApiErrorBody).error.id).to.equal('payload_too_large');
  });

  it('reports validation errors with their field', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/test/slow?ms=nope`);
    expect(res.status).to.equal(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error).to.include({ id: 'validation_error', field: 'ms' });
  });

  it('mounts test-only routes only when NODE_ENV=test', async () => {
    const url = await start({
      config: {
        nodeEnv: 'production',
        trustProxy: false,
        publicUrl: 'http://localhost:3000',
        jwtSecret: 'x'.repeat(32),
      },
    });
    const res = await fetch(`${url}/api/test/slow?ms=0`);
    expect(res.status).to.equal(404);
  });
});
