/**
 * Starts and stops the fan-out benchmark's processes: Quorum (one process on
 * its embedded engine, or several on one standalone engine, as README's
 * "Several processes on one machine"), the bare and naive baselines, and the
 * client workers. Every child runs under tsx with --expose-gc and an IPC
 * channel, so the benchmark reads their CPU, heap and counters without
 * touching the sockets under test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, startTarget, type Target } from '../target.js';
import { ChildChannel, type ServerSample } from './ipc.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export type ServerKind = 'quorum' | 'bare' | 'naive';

/** A child process with its channel, its URL (servers) and a way to stop it. */
export interface Child {
  channel: ChildChannel;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function loader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}

/** Spawns `script` (in this folder) under tsx and waits for its `{ ready }` message. */
export async function spawnChild(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...nodeArgs, '--import', loader(), path.join(HERE, script), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const channel = new ChildChannel(child);
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready within 60 s`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) while starting:\n${stderr}`));
    });
    child.on('message', (m: { ready?: boolean; url?: string; pid?: number }) => {
      if (!m.ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url: m.url ?? '', pid: m.pid ?? child.pid ?? 0 });
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.FANOUT_VERBOSE) process.stderr.write(chunk);
  });
  return {
    channel,
    url: ready.url,
    pid: ready.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      channel.call('stop').catch(() => child.kill('SIGKILL'));
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The servers of one measured run; `engine` is set when Quorum runs on a standalone engine. */
export interface Servers {
  kind: ServerKind;
  processes: Child[];
  engine: Target | null;
  stop(): Promise<void>;
}

const quorumEnv = (jwtSecret: string, mongodbUri: string | null): Record<string, string> => ({
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'error',
  SEED_DEMO: 'false',
  WEB_CLIENT: 'none',
  DATA_DIR: ':memory:',
  JWT_SECRET: jwtSecret,
  // The mail jobs run once at start, before the seeding, and not again within a run: the seeded
  // group's N members would each be mailed about the new discussion and the new poll, collected
  // and sent during the comments (2N single inserts and 3N more commands at N=3,000), which is
  // not the live path measured here. Set MAIL_INTERVAL_MS to include them.
  MAIL_INTERVAL_MS: process.env.MAIL_INTERVAL_MS ?? '3600000',
  ...(mongodbUri ? { MONGODB_URI: mongodbUri } : {}),
});

/**
 * Quorum: one process on its embedded engine (in memory), or `processes`
 * processes on one standalone engine child (in memory), sharing one secret;
 * `engineApart` puts even one process's engine in a child of its own.
 */
export async function startQuorum(
  processes: number,
  nodeArgs: string[] = [],
  engineApart = false,
): Promise<Servers> {
  const secret = randomBytes(32).toString('hex');
  const engine = processes > 1 || engineApart ? await startTarget('process-memory') : null;
  const started: Child[] = [];
  try {
    for (let i = 0; i < processes; i++)
      started.push(
        await spawnChild('quorum-server.ts', [], quorumEnv(secret, engine?.uri ?? null), nodeArgs),
      );
  } catch (error) {
    for (const child of started) await child.stop();
    await engine?.close();
    throw error;
  }
  return {
    kind: 'quorum',
    processes: started,
    engine,
    async stop() {
      for (const child of started) await child.stop();
      await engine?.close();
    },
  };
}

export async function startBaseline(kind: 'bare' | 'naive'): Promise<Servers> {
  const child = await spawnChild('baseline-server.ts', [kind]);
  return { kind, processes: [child], engine: null, stop: () => child.stop() };
}

/** CPU time (user + system, ms) of any process of this machine, from /proc; null elsewhere. */
export function procCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, utime 14, stime 15 (1-based over the whole line).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return null;
  }
}

/** One sample of every server process (and the engine's CPU when it runs apart). */
export interface ServersSample {
  processes: ServerSample[];
  engineCpuMs: number | null;
}

export async function sampleServers(servers: Servers, gc = false): Promise<ServersSample> {
  const processes = await Promise.all(
    servers.processes.map((p) => p.channel.call<ServerSample>(gc ? 'gc' : 'sample')),
  );
  return { processes, engineCpuMs: procCpuMs(servers.engine?.pid ?? null) };
}
