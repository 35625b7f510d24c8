import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { ApiErrorBody } from '../../../shared/api.js';
import { createApp } from '../app.js';
import type { Logger } from '../logger.js';
import { Outbox } from '../mail/mailer.js';
import { MAX_INPUT_DEPTH } from './validate.js';

/**
 * Bodies an attacker can send before any route runs: each must be a 4xx with
 * a stable id, with nothing logged as an unhandled error (no 500, no stack).
 */
describe('JSON bodies that are malformed, deep or badly encoded', () => {
  let server: Server;
  let url: string;
  const unhandled: unknown[] = [];

  before(async () => {
    const logger: Logger = {
      error: (_message, error) => unhandled.push(error),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
    };
    const app = createApp({
      config: {
        nodeEnv: 'test',
        trustProxy: false,
        publicUrl: 'http://localhost:3000',
        jwtSecret: 'x'.repeat(32),
      },
      mailer: new Outbox(null),
      health: () => Promise.resolve({ mode: 'embedded', reachable: true, latencyMs: 0.4 }),
      logger,
    });
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    expect(unhandled.splice(0), 'nothing reached the error log').to.deep.equal([]);
  });

  async function post(
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; error: ApiErrorBody['error'] }> {
    const res = await fetch(`${url}/api/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, error: ((await res.json()) as ApiErrorBody).error };
  }

  const nested = (levels: number, open: string, close: string, inner = '1') =>
    open.repeat(levels) + inner + close.repeat(levels);

  it('answers JSON nested tens of thousands of levels with 400 validation_error', async () => {
    for (const body of [nested(40_000, '[', ']'), nested(40_000, '{"a":', '}')]) {
      const { status, error } = await post(body);
      expect(status).to.equal(400);
      expect(error.id).to.equal('validation_error');
      expect(error.message).to.include(`more than ${MAX_INPUT_DEPTH} levels`);
      expect(error.field).to.match(/^(0|a)(\.(0|a))*$/);
    }
  });

  it('lets ordinary nesting through to the route (here: no route, 404)', async () => {
    const { status } = await post(nested(MAX_INPUT_DEPTH - 1, '{"a":', '}'));
    expect(status).to.equal(404);
  });

  it('answers an invalid br, gzip or deflate body with 400 invalid_request', async () => {
    for (const encoding of ['br', 'gzip', 'deflate']) {
      const { status, error } = await post(Buffer.from('not compressed at all'), {
        'content-encoding': encoding,
      });
      expect(status, encoding).to.equal(400);
      expect(error.id, encoding).to.equal('invalid_request');
    }
  });

  it('decodes valid br and gzip bodies (their operator keys are refused like any other)', async () => {
    const json = JSON.stringify({ title: { $gt: '' } });
    for (const [encoding, body] of [
      ['br', brotliCompressSync(json)],
      ['gzip', gzipSync(json)],
    ] as const) {
      const { status, error } = await post(body, { 'content-encoding': encoding });
      expect(status, encoding).to.equal(400);
      expect(error, encoding).to.include({ id: 'validation_error', field: 'title.$gt' });
    }
  });

  it('answers an unknown encoding or charset with 400 invalid_request', async () => {
    const unknownEncoding = await post('{}', { 'content-encoding': 'compress' });
    expect(unknownEncoding.status).to.equal(400);
    expect(unknownEncoding.error.id).to.equal('invalid_request');
    const unknownCharset = await post('{}', {
      'content-type': 'application/json; charset=klingon',
    });
    expect(unknownCharset.status).to.equal(400);
    expect(unknownCharset.error.id).to.equal('invalid_request');
  });

  it('answers a body that decompresses beyond the limit with 413 payload_too_large', async () => {
    const bomb = gzipSync(JSON.stringify({ text: 'a'.repeat(2 * 1024 * 1024) }));
    const { status, error } = await post(bomb, { 'content-encoding': 'gzip' });
    expect(status).to.equal(413);
    expect(error.id).to.equal('payload_too_large');
  });
});
