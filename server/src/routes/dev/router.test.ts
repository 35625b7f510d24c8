import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createApp } from '../../app.js';
import type { Config } from '../../config.js';
import { demoExposureWarning, isLoopbackAddress } from '../../http/loopback.js';
import { cspDirectives } from '../../http/security-headers.js';
import { silentLogger } from '../../logger.js';
import { Outbox } from '../../mail/mailer.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** A raw GET (fetch cannot set Host), answered as status, headers and text. */
function get(
  address: string,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; csp: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? '',
          csp: String(res.headers['content-security-policy'] ?? ''),
          text,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A non-loopback address of this machine, to reach the server from "elsewhere". */
function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;
}

describe('GET /api/dev/outbox', () => {
  let server: Server | undefined;
  let port: number;
  const outbox = new Outbox(null);

  async function start(
    nodeEnv: Config['nodeEnv'],
    options: { trustProxy?: boolean; host?: string } = {},
  ): Promise<void> {
    const app = createApp({
      config: {
        nodeEnv,
        trustProxy: options.trustProxy ?? false,
        publicUrl: 'http://localhost:3000',
        jwtSecret: 'x'.repeat(32),
      },
      mailer: outbox,
      health: () => Promise.resolve({ mode: 'embedded', reachable: true, latencyMs: 0.4 }),
      logger: silentLogger,
    });
    server = createServer(app).listen(0, options.host ?? '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  }

  before(async () => {
    await outbox.send({
      to: 'ada@example.org',
      subject: `Reset your password ${HOSTILE}`,
      text: `Hello ${HOSTILE}\nReset it at http://localhost:3000/reset?token=abc&x=1.\njavascript:alert(3)`,
      headers: { 'List-Unsubscribe': '<http://localhost:3000/unsubscribe/t>' },
    });
  });
  async function stop(): Promise<void> {
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  }
  afterEach(stop);

  it('serves JSON to the developer on this machine, in development', async () => {
    await start('development');
    const res = await get('127.0.0.1', port, '/api/dev/outbox', { host: `localhost:${port}` });
    expect(res.status).to.equal(200);
    const body = JSON.parse(res.text) as { transport: string; items: { to: string }[] };
    expect(body.transport).to.equal('outbox');
    expect(body.items.map((m) => m.to)).to.deep.equal(['ada@example.org']);
  });

  it('serves a readable page: escaped, links clickable, no inline script or style under the CSP', async () => {
    await start('development');
    const res = await get('127.0.0.1', port, '/api/dev/outbox', { accept: 'text/html' });
    expect(res.status).to.equal(200);
    expect(res.type).to.match(/^text\/html/);
    expect(res.text).not.to.include('<script').and.not.include('<img').and.not.include('style=');
    expect(res.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).to.include(
      '<a href="http://localhost:3000/reset?token=abc&amp;x=1" rel="noopener noreferrer">',
    );
    expect(res.text).not.to.include('href="javascript:');
    expect(res.text).to.include('<a href="#mail-0">');
    // Its only style comes from the same origin, which the CSP's style-src 'self' allows.
    expect(cspDirectives({ publicUrl: 'http://localhost:3000' })['style-src']).to.deep.equal([
      "'self'",
    ]);
    expect(res.csp).to.include("style-src 'self'");
    const css = await get('127.0.0.1', port, '/api/dev/outbox.css');
    expect(css.status).to.equal(200);
    expect(css.type).to.match(/^text\/css/);
    expect(res.text).to.include('<link rel="stylesheet" href="/api/dev/outbox.css">');
  });

  it('does not exist (the API 404) for requests relayed by a proxy, whatever trust proxy says', async () => {
    await start('development', { trustProxy: true });
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': '127.0.0.1' },
      { forwarded: 'for=127.0.0.1' },
      { 'x-real-ip': '127.0.0.1' },
    ];
    for (const headers of relayed) {
      const res = await get('127.0.0.1', port, '/api/dev/outbox', headers);
      expect(res.status, JSON.stringify(headers)).to.equal(404);
      expect(JSON.parse(res.text)).to.deep.equal({
        error: { id: 'not_found', message: 'No API route for GET /api/dev/outbox' },
      });
    }
  });

  it('does not exist for a page whose domain was rebound to 127.0.0.1 (Host is not this machine)', async () => {
    await start('development');
    const res = await get('127.0.0.1', port, '/api/dev/outbox', { host: 'evil.example:3000' });
    expect(res.status).to.equal(404);
    const css = await get('127.0.0.1', port, '/api/dev/outbox.css', { host: 'evil.example' });
    expect(css.status).to.equal(404);
  });

  it('does not exist for a request from another machine', async function () {
    const address = externalAddress();
    if (address === undefined) this.skip(); // no network interface besides loopback
    await start('development', { host: '0.0.0.0' });
    const res = await get(address, port, '/api/dev/outbox', { host: `localhost:${port}` });
    expect(res.status).to.equal(404);
    // The same server answers this machine.
    expect((await get('127.0.0.1', port, '/api/dev/outbox')).status).to.equal(200);
  });

  it('does not exist in production or in tests, even from this machine', async () => {
    for (const nodeEnv of ['production', 'test'] as const) {
      await start(nodeEnv);
      expect((await get('127.0.0.1', port, '/api/dev/outbox')).status, nodeEnv).to.equal(404);
      await stop();
    }
  });
});

describe('loopback and the demo', () => {
  it('knows loopback addresses, also IPv4 mapped into IPv6', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address), address).to.equal(true);
    }
    for (const address of ['10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '::', undefined]) {
      expect(isLoopbackAddress(address), String(address)).to.equal(false);
    }
  });

  it('warns, naming the demo password, when HOST is widened and the demo is seeded', () => {
    const widened = demoExposureWarning({
      host: '0.0.0.0',
      seedDemo: true,
      nodeEnv: 'development',
    });
    expect(widened).to.include('quorum-demo').and.include('HOST=0.0.0.0');
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(demoExposureWarning({ host, seedDemo: true, nodeEnv: 'development' }), host).to.equal(
        null,
      );
    }
    expect(
      demoExposureWarning({ host: '0.0.0.0', seedDemo: false, nodeEnv: 'development' }),
    ).to.equal(null);
  });
});
