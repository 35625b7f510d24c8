/**
 * The engine under test, started in one of four modes:
 *   memory          startEngine() in this process, no data directory;
 *   data            startEngine() in this process, durable journal in a temp dir;
 *   process-memory  server/src/engine/cli.ts in a child process (--memory);
 *   process-data    the same with --data <temp dir>.
 * Child-process modes keep the benchmark client's CPU off the engine's event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEngine } from '../../server/src/engine/index.js';

export const MODES = ['memory', 'data', 'process-memory', 'process-data'] as const;
export type Mode = (typeof MODES)[number];

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'server/src/engine/cli.ts');

export interface Target {
  mode: Mode;
  uri: string;
  /** Data directory when journaling, else null. */
  dataDir: string | null;
  /** Bytes currently in the data directory (0 in memory). */
  diskBytes(): number;
  /** The engine's process id in the process-* modes (to read its CPU time), else null. */
  pid: number | null;
  close(): Promise<void>;
}

export function isProcessMode(mode: Mode): boolean {
  return mode.startsWith('process-');
}

export function usesJournal(mode: Mode): boolean {
  return mode === 'data' || mode === 'process-data';
}

/** `nodeArgs`: extra flags for the engine child's node (e.g. --cpu-prof); ignored in-process. */
export async function startTarget(mode: Mode, nodeArgs: string[] = []): Promise<Target> {
  const dataDir = usesJournal(mode)
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'quorum-bench-'))
    : null;
  const cleanup = () => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (isProcessMode(mode)) {
      const child = await startChild(dataDir, nodeArgs);
      return {
        mode,
        uri: child.uri,
        dataDir,
        diskBytes: () => dirBytes(dataDir),
        pid: child.process.pid ?? null,
        async close() {
          await stopChild(child.process);
          cleanup();
        },
      };
    }
    const engine = await startEngine({ port: 0, dataDir });
    return {
      mode,
      uri: engine.uri,
      dataDir,
      diskBytes: () => dirBytes(dataDir),
      pid: null,
      async close() {
        await engine.close();
        cleanup();
      },
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** Runs cli.ts under tsx's loader in a plain node child (no extra tsx supervisor process). */
async function startChild(
  dataDir: string | null,
  nodeArgs: string[],
): Promise<{ uri: string; process: ChildProcess }> {
  let loader = 'tsx';
  try {
    loader = import.meta.resolve('tsx');
  } catch {
    // fall back to resolving 'tsx' from the child's working directory
  }
  const args = [...nodeArgs, '--import', loader, CLI, '--port', '0'];
  args.push(...(dataDir ? ['--data', dataDir] : ['--memory']));
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let started = false;
  child.stderr.on('data', (chunk: Buffer) => {
    if (started) process.stderr.write(chunk);
    else stderr += chunk.toString();
  });
  const lines = readline.createInterface({ input: child.stdout });
  // Anything the engine prints after its URI (warnings, --trace-gc, ...) goes to our stderr.
  lines.on('line', (line) => {
    if (started) process.stderr.write(`[engine] ${line}\n`);
  });
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error('engine child did not print its URI within 30 s')),
      30_000,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    };
    child.once('exit', (code, signal) =>
      fail(new Error(`engine child exited (${code ?? signal})`)),
    );
    lines.on('line', (line) => {
      const trimmed = line.trim();
      if (!trimmed.startsWith('mongodb://')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      started = true;
      resolve(trimmed);
    });
  });
  return { uri, process: child };
}

/** SIGTERM (cli.ts closes the engine cleanly), SIGKILL if it has not exited after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function dirBytes(dir: string | null): number {
  if (!dir || !fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : fs.statSync(full).size;
  }
  return total;
}
