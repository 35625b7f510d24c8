/**
 * Test support for Quorum as a real process: `server/src/main.ts`, exactly
 * what `npm start` runs, in a child process that a test can stop (SIGTERM),
 * kill and start again on the same port. Either pointed with MONGODB_URI at an
 * embedded engine owned by the test process (several Quorum processes on one
 * database, the engine outliving them), or running its own embedded engine in
 * a DATA_DIR (what an operator stops and starts).
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

  constructor(
    private readonly options: {
      port: number;
      jwtSecret: string;
      /** Either a database shared with the test process... */
      mongodbUri?: string;
      /** ...or the child's own embedded engine, in this directory. */
      dataDir?: string;
      /** More environment (e.g. SHUTDOWN_TIMEOUT_MS). */
      env?: Record<string, string>;
      /** Node flags for the child (benchmarks: `--cpu-prof`). */
      nodeArgs?: string[];
    },
  ) {
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
   * once), once its change feed is open. Only with `mongodbUri`: the test
   * process cannot read a child's own engine.
   */
  async start({ feedOpen = this.options.mongodbUri !== undefined } = {}): Promise<void> {
    const database = this.options.mongodbUri
      ? { MONGODB_URI: this.options.mongodbUri }
      : { DATA_DIR: this.options.dataDir ?? ':memory:' };
    const child = spawn(
      process.execPath,
      [...(this.options.nodeArgs ?? []), '--import', 'tsx', MAIN],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: String(this.options.port),
          PUBLIC_URL: this.url,
          ...database,
          JWT_SECRET: this.options.jwtSecret,
          LOG_LEVEL: 'error',
          ...this.options.env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
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

  /**
   * Sends SIGTERM and measures how long the process takes to exit, and with
   * what code; kills it after `killAfterMs` (then `code` is null), so a stop
   * that hangs fails a test instead of hanging it.
   */
  async terminate(killAfterMs = 30_000): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      throw new Error('Quorum child is not running');
    const exited = once(child, 'exit') as Promise<[number | null]>;
    const started = performance.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const [code] = await exited;
    clearTimeout(timer);
    return { code, ms: Math.round(performance.now() - started) };
  }

  /** What the process wrote to stderr (its errors and warnings). */
  get errors(): string {
    return this.stderr;
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
