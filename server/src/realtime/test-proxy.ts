/**
 * Test support: a small round-robin load balancer (Node's `http` and `net`
 * only) in front of several Quorum processes, for the tests of the production
 * shape README describes. Each new client goes to the next process in turn.
 * With `sticky`, the proxy behaves like HAProxy's `cookie SERVERID insert`:
 * it answers a client's first request with a cookie naming the process, and
 * sends every later request carrying that cookie (long-polling requests and
 * the WebSocket upgrade alike) to the same process. Without it, every request
 * is balanced on its own, which is what breaks Socket.IO's long-polling.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export const BACKEND_COOKIE = 'quorum_backend';

export interface TestProxy {
  url: string;
  /** Which backend (index into the targets) answered each request, in order, with its path. */
  readonly log: Array<{ backend: number; path: string; upgrade: boolean }>;
  /** Cuts every connection through the proxy (as a balancer restart or a network blip would). */
  dropAll(): void;
  close(): Promise<void>;
}

function cookieBackend(req: IncomingMessage, count: number): number | null {
  const match = new RegExp(`(?:^|;\\s*)${BACKEND_COOKIE}=(\\d+)`).exec(req.headers.cookie ?? '');
  const index = match ? Number(match[1]) : NaN;
  return Number.isInteger(index) && index < count ? index : null;
}

/** Starts the proxy on a free loopback port in front of `targets` (base URLs such as http://127.0.0.1:4001). */
export async function startTestProxy(options: {
  targets: string[];
  sticky: boolean;
}): Promise<TestProxy> {
  const targets = options.targets.map((t) => new URL(t));
  const log: TestProxy['log'] = [];
  const open = new Set<Socket>();
  let next = 0;
  const choose = (req: IncomingMessage, upgrade: boolean) => {
    const pinned = options.sticky ? cookieBackend(req, targets.length) : null;
    const backend = pinned ?? next++ % targets.length;
    log.push({ backend, path: req.url ?? '', upgrade });
    return { backend, fresh: pinned === null };
  };
  const stickyCookie = (backend: number) => `${BACKEND_COOKIE}=${backend}; Path=/; HttpOnly`;

  const server: Server = createServer((req, res) => {
    const { backend, fresh } = choose(req, false);
    const target = targets[backend];
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (options.sticky && fresh) {
          const cookies = headers['set-cookie'] ?? [];
          headers['set-cookie'] = [...cookies, stickyCookie(backend)];
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });

  // WebSocket: choose a backend, replay the upgrade request to it, then splice the two sockets.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const { backend } = choose(req, true);
    const target = targets[backend];
    const upstream = connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    dropAll() {
      for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
