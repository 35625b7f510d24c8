/**
 * Exclusive ownership of a data directory, so that two engines (or two
 * Journals in one process) never append to the same log: interleaved writers
 * would corrupt it. Like mongod's `mongod.lock`, a `LOCK` file created with
 * O_EXCL holds the owner's pid; a lock whose pid is no longer alive was left by
 * a crash (kill -9, power loss) and is taken over. A zombie (killed, not yet
 * reaped by its parent) still answers signal 0 but will never write again, so
 * it counts as dead.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Name of the lock file inside the data directory. */
export const LOCK_FILE = 'LOCK';

/** A held directory lock; release() is idempotent. */
export interface DirLock {
  release(): void;
}

/** Directories (by real path) locked by this process, to catch double opens. */
const held = new Set<string>();

/** How long an unreadable/empty LOCK is presumed to be mid-creation by a peer. */
const FRESH_LOCK_MS = 2000;

/**
 * Takes the lock on `dir` (which must exist) or throws an Error naming the
 * directory and the owning pid.
 */
export function acquireDirLock(dir: string): DirLock {
  const key = fs.realpathSync(dir);
  const lockPath = path.join(dir, LOCK_FILE);
  if (held.has(key)) {
    throw new Error(`Data directory ${dir} is already open in this process (${lockPath})`);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(lockPath, 'wx', 0o644);
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw err;
      clearStaleLock(dir, lockPath);
      continue;
    }
    try {
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(lockPath, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    held.add(key);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        held.delete(key);
        try {
          if (readPid(lockPath) === process.pid) fs.unlinkSync(lockPath);
        } catch {
          // Already gone or unreadable: nothing left to release.
        }
      },
    };
  }
  throw new Error(
    `Could not lock data directory ${dir}: ${lockPath} keeps reappearing (another engine starting?)`,
  );
}

/** Removes `lockPath` if its owner is gone; throws if the owner is alive. */
function clearStaleLock(dir: string, lockPath: string): void {
  let pid: number | null;
  try {
    pid = readPid(lockPath);
  } catch (err) {
    if (errCode(err) === 'ENOENT') return; // released meanwhile: retry
    throw err;
  }
  if (pid === null) {
    // Empty or garbled: either a peer is between O_EXCL create and write, or a
    // crash hit exactly there. Only an old file is treated as stale.
    let age: number;
    try {
      age = Date.now() - fs.statSync(lockPath).mtimeMs;
    } catch {
      return;
    }
    if (age < FRESH_LOCK_MS) {
      throw new Error(
        `Data directory ${dir} is being locked by another process (${lockPath} is being written)`,
      );
    }
  } else if (pid !== process.pid && isAlive(pid)) {
    // Our own pid without an entry in `held` is a leftover of an earlier
    // process that had the same pid (common in containers), hence stale.
    throw new Error(
      `Data directory ${dir} is locked by running process ${pid} (${lockPath}). ` +
        `Another engine is using it; stop that one first. If pid ${pid} is not an engine, delete ${lockPath}.`,
    );
  }
  try {
    fs.unlinkSync(lockPath);
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw err;
  }
}

/** The pid recorded in a lock file, or null if the content is not a pid. */
function readPid(lockPath: string): number | null {
  const m = /^(\d+)\s*$/.exec(fs.readFileSync(lockPath, 'utf8'));
  return m ? Number(m[1]) : null;
}

/** Whether `pid` is a running process: it exists and is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (errCode(err) !== 'EPERM') return false; // EPERM: exists but belongs to another user
  }
  return !isZombie(pid);
}

/**
 * Whether `pid` has exited but is not reaped yet: state `Z` (or `X`, dead) in
 * `/proc/PID/stat`. The state follows the command name, which is in
 * parentheses and may itself contain `) `, hence the last `)`. Without /proc
 * (not Linux) nothing is known, and the process is presumed alive.
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 1).trim()[0];
  return state === 'Z' || state === 'X';
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}
