/**
 * Test support: the standalone engine (`npm run engine`) in a child process,
 * so a test can kill it with SIGKILL and start it again on the same data
 * directory (what survives is what the journal made durable).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

/** Runs the standalone engine in a child process and resolves with its printed URI. */
export function spawnEngine(dataDir: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '--port', '0', '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line) resolve({ child, uri: line.trim() });
    });
    child.once('exit', (code) => reject(new Error(`engine exited early with ${code}`)));
  });
}

export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
