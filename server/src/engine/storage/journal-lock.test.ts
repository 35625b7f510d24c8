import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireDirLock, LOCK_FILE } from './journal-lock.js';

/** The state letter of `pid` in /proc (R, S, Z ...), or null once it is gone. */
function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  } catch {
    return null;
  }
}

/**
 * A real zombie: a shell starts a child that exits shortly, then becomes
 * `sleep` (exec), which never reaps it. The child outlives the exec, or the
 * shell itself would reap it. Resolves with the parent (to kill after the
 * test) and the zombie's pid.
 */
async function spawnZombie(): Promise<{ parent: ChildProcess; zombie: number }> {
  const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 60'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    parent.once('error', reject);
  });
  const zombie = Number(line.trim());
  for (let i = 0; i < 100 && procState(zombie) !== 'Z'; i++) await sleep(20);
  return { parent, zombie };
}

describe('storage/journal-lock', () => {
  let dir: string;
  let parent: ChildProcess | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quorum-lock-'));
  });
  afterEach(() => {
    parent?.kill('SIGKILL');
    parent = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a lock whose owner is a zombie (exited, not yet reaped)', async function () {
    if (!fs.existsSync('/proc/self/stat')) this.skip(); // zombies are read from /proc (Linux)
    const spawned = await spawnZombie();
    parent = spawned.parent;
    expect(procState(spawned.zombie), 'the owner is a zombie').to.equal('Z');
    expect(() => process.kill(spawned.zombie, 0), 'signal 0 still reaches it').not.to.throw();
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${spawned.zombie}\n`);

    const lock = acquireDirLock(dir);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).to.equal(String(process.pid));
    lock.release();
  });

  it('still refuses a lock whose owner is running (the zombie parent, sleeping)', async function () {
    if (!fs.existsSync('/proc/self/stat')) this.skip();
    const spawned = await spawnZombie();
    parent = spawned.parent;
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${spawned.parent.pid}\n`);
    expect(() => acquireDirLock(dir)).to.throw(
      `is locked by running process ${spawned.parent.pid}`,
    );
  });
});
