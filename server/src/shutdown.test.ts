import { expect } from 'chai';
import { EventEmitter, once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { silentLogger } from './logger.js';
import {
  createGracefulShutdown,
  exitOnSignals,
  reserveFor,
  type GracefulShutdown,
} from './shutdown.js';

interface Reply {
  status: number;
  body: string;
  connection: string | undefined;
}

/** A GET through Node's own client, so the test controls keep-alive. */
function get(port: number, path: string, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown', () => {
  let server: Server;
  let port: number;
  let events: string[];
  let graceful: GracefulShutdown;
  let agent: Agent;

  /**
   * `/slow?ms=N` answers after N ms; anything else at once. An upgrade request
   * (a WebSocket, say) is switched and then held open, as a live client does.
   */
  async function start(timeoutMs: number, closeConnections?: () => void): Promise<void> {
    server = createServer((req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      events.push(`start ${req.url}`);
      setTimeout(() => {
        events.push(`end ${req.url}`);
        res.end('done');
      }, ms);
    });
    server.on('upgrade', (req, socket) => {
      events.push(`upgrade ${req.url}`);
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n',
      );
    });
    graceful = createGracefulShutdown({
      server,
      timeoutMs,
      logger: silentLogger,
      closeConnections,
      closeResources: () => {
        events.push('resources closed');
        return Promise.resolve();
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  }

  beforeEach(() => {
    events = [];
    agent = new Agent({ keepAlive: true });
  });
  afterEach(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  });

  it('lets an in-flight request finish, then closes resources', async () => {
    await start(5000);
    const slow = get(port, '/slow?ms=300', agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await graceful.shutdown('test');
    const reply = await slow;
    expect(reply).to.include({ status: 200, body: 'done', connection: 'close' });
    expect(result.forced).to.equal(false);
    expect(result.error).to.equal(undefined);
    expect(events).to.deep.equal(['start /slow?ms=300', 'end /slow?ms=300', 'resources closed']);
  });

  it('refuses new connections once shutting down', async () => {
    await start(5000);
    const slow = get(port, '/slow?ms=200');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const done = graceful.shutdown('test');
    let refused: unknown;
    try {
      await get(port, '/late');
    } catch (error) {
      refused = error;
    }
    expect((refused as NodeJS.ErrnoException | undefined)?.code).to.equal('ECONNREFUSED');
    await slow;
    await done;
  });

  it('does not wait for idle keep-alive connections', async () => {
    await start(5000);
    await get(port, '/quick', agent);
    const started = Date.now();
    await graceful.shutdown('test');
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('cuts requests that outlive the timeout and still closes resources', async () => {
    await start(200);
    const stuck = get(port, '/slow?ms=10000', agent).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await graceful.shutdown('test');
    expect(result.forced).to.equal(true);
    expect(await stuck).to.be.instanceOf(Error);
    expect(events).to.include('resources closed');
  });

  /** An upgraded connection (as a WebSocket is), open until the server cuts it. */
  async function upgraded(): Promise<{ closed: Promise<void> }> {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /live HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
    await once(socket, 'data');
    return { closed: once(socket, 'close').then(() => undefined) };
  }

  it('cuts upgraded connections (WebSockets) too when the time runs out, and is done within the timeout', async () => {
    await start(400);
    const { closed: cut } = await upgraded();
    const started = performance.now();
    const result = await graceful.shutdown('test');
    await cut;
    expect(result.forced).to.equal(true);
    expect(performance.now() - started).to.be.below(400 + 200);
    expect(events).to.deep.equal(['upgrade /live', 'resources closed']);
  });

  it('ends live connections as soon as it stops listening, so nothing waits for them', async () => {
    await start(5000, () => {
      events.push('live connections closed');
      // What Socket.IO does with its own: close them at the transport.
      for (const socket of open) socket.destroy();
    });
    const open: Duplex[] = [];
    server.on('upgrade', (_req, socket) => open.push(socket));
    const { closed: live } = await upgraded();
    const started = performance.now();
    const result = await graceful.shutdown('test');
    await live;
    expect(result.forced).to.equal(false);
    expect(performance.now() - started).to.be.below(1000);
    expect(events).to.deep.equal(['upgrade /live', 'live connections closed', 'resources closed']);
  });

  it('gives closing resources what is left of the timeout, and reports it if they take longer', async () => {
    server = createServer();
    const stuck = createGracefulShutdown({
      server,
      timeoutMs: 1000,
      logger: silentLogger,
      closeResources: () => new Promise<void>(() => undefined),
    });
    const started = performance.now();
    const result = await stuck.shutdown('test');
    expect(performance.now() - started).to.be.below(1000 + 200);
    expect((result.error as Error).message).to.match(/^closing resources did not finish within/);
    expect(reserveFor(10_000)).to.deep.equal({ drainMs: 8000, closeMs: 2000 });
    expect(reserveFor(0)).to.deep.equal({ drainMs: 0, closeMs: 500 });
  });

  it('returns the same shutdown to every caller', async () => {
    await start(1000);
    expect(graceful.shutdown('a')).to.equal(graceful.shutdown('b'));
    await graceful.shutdown('c');
  });

  it('reports a failure to close resources', async () => {
    server = createServer();
    const failing = createGracefulShutdown({
      server,
      timeoutMs: 1000,
      logger: silentLogger,
      closeResources: () => Promise.reject(new Error('engine would not close')),
    });
    const result = await failing.shutdown('test');
    expect((result.error as Error).message).to.equal('engine would not close');
  });

  describe('exitOnSignals', () => {
    it('exits 0 after a clean shutdown and 1 on a second signal', async () => {
      await start(1000);
      const target = new EventEmitter();
      const codes: number[] = [];
      const exited = new Promise<void>((resolve) => {
        exitOnSignals({
          shutdown: graceful,
          logger: silentLogger,
          target,
          exit: (c) => (codes.push(c), resolve()),
        });
      });
      target.emit('SIGTERM');
      target.emit('SIGINT');
      await exited;
      await graceful.shutdown('wait');
      await new Promise((resolve) => setImmediate(resolve));
      expect(codes).to.deep.equal([1, 0]);
    });
  });
});
