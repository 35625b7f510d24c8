/**
 * The engine in a process of its own (`server/src/engine/cli.ts`, in memory),
 * so a benchmark's clients in this process neither slow the database down nor
 * are slowed by it, and its CPU can be reported apart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../server/src/realtime/test-process.js';
import { REPO_ROOT } from './target.js';

export interface EngineProcess {
  uri: string;
  child: ChildProcess;
  /** CPU seconds (user + system) the engine has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) of a process, from /proc. */
export function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `cpuProfDir`: writes a V8 CPU profile of the engine's whole life there (on stop).
 * `dataDir`: keeps the data there (another engine, e.g. Quorum's embedded one, can open it after).
 */
export async function startEngineProcess(
  options: { cpuProfDir?: string; dataDir?: string } = {},
): Promise<EngineProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []),
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'server/src/engine/cli.ts'),
      ...(options.dataDir ? ['--data', options.dataDir] : ['--memory']),
      '--port',
      String(await freePort()),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    uri: line.toString().trim(),
    child,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
