/**
 * Test support for several Quorum processes on one database: an embedded
 * engine owned by the test process (so it outlives the app processes), and
 * Quorum itself (`server/src/main.ts`, exactly what `npm start` runs) in a
 * child process pointed at it with MONGODB_URI, which a test can kill and start
 * again on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FeedPositionModel } from '../models/feed-position.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A port free right now (the OS picks it), so a child can be restarted on the same one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A JWT secret shared by every process of a test, so a session from one is valid on all. */
export const sharedSecret = () => randomBytes(32).toString('hex');

async function until(check: () => Promise<boolean>, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A Quorum server in a child process. */
export class QuorumChild {
  private child: ChildProcess | null = null;
  private stderr = '';
  readonly url: string;

  constructor(private readonly options: { mongodbUri: string; port: number; jwtSecret: string }) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  /** The operating system's id of the running process (benchmarks read its CPU time), or null. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** This process's change feed position (see realtime/index.ts), by which a test knows its feed is open. */
  get feedId(): string {
    return `realtime:${hostname()}:${this.options.port}`;
  }

  /**
   * Starts the process and resolves once it answers HTTP and, when `feedOpen`
   * (a first start: the feed starts "from now" and persists that position at
   * once), once its change feed is open.
   */
  async start({ feedOpen = true } = {}): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(this.options.port),
        PUBLIC_URL: this.url,
        MONGODB_URI: this.options.mongodbUri,
        JWT_SECRET: this.options.jwtSecret,
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const exited = once(child, 'exit').then(() => {
      throw new Error(`Quorum child exited while starting:\n${this.stderr}`);
    });
    const ready = until(
      async () => (await fetch(`${this.url}/api/health`)).status === 200,
      'Quorum child answering',
      20_000,
    ).then(() =>
      feedOpen
        ? until(
            async () => (await FeedPositionModel.findById(this.feedId).lean()) !== null,
            'child change feed open',
            10_000,
          )
        : undefined,
    );
    await Promise.race([ready, exited]);
  }

  /** Kills the process at once (no graceful shutdown, nothing persisted on the way out). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the process gracefully (SIGTERM), or kills it if it does not stop in time. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
