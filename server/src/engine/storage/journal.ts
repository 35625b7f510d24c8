/*
 * Durable storage for the embedded engine. The engine keeps all data in memory;
 * this journal makes it survive restarts without native dependencies, the way
 * mongod's journal does: every committed batch is appended to a log segment as
 * `[uint32 len][uint32 crc32(payload)][payload]` (little-endian) after a 16-byte
 * header (magic, format version, generation, header crc). append() returns only
 * after fs.writeSync has handed the bytes to the kernel's page cache, so an
 * acknowledged write survives kill -9; fdatasync runs every fsyncIntervalMs
 * (100 ms like mongod's journal commit interval; 0 = on every append), which
 * bounds what a power failure can lose. compact() writes the full state as
 * snapshot-N (temp file, fsync, atomic rename) and starts log-N afresh. Open
 * replays the newest snapshot plus its segment, truncates a torn tail, and
 * throws on corruption that has intact records after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FILE_HEADER_SIZE, encodeFileHeader, encodeRecords } from './journal-format.js';
import { acquireDirLock, type DirLock } from './journal-lock.js';
import {
  createSegment,
  fsyncDir,
  logName,
  recover,
  snapshotName,
  writeDurably,
  writeFully,
} from './journal-recover.js';

/** Where and how the journal keeps its files. */
export interface JournalOptions {
  /** Data directory (created if missing); locked exclusively while open. */
  dir: string;
  /** Background fsync period; default 100, 0 = fsync inside every append. */
  fsyncIntervalMs?: number;
}

/** State found on disk at open: what the engine must load before serving. */
export interface Recovered {
  /** Latest snapshot passed to compact(), or null if never compacted. */
  snapshot: Buffer | null;
  /** Records appended after that snapshot, in append order. */
  records: Buffer[];
}

/**
 * Append-only, checksummed write-ahead log with snapshots. Not thread-safe and
 * synchronous by design: the engine calls it from its single commit path.
 */
export class Journal {
  private readonly timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private syncing = false;
  /** Bumped whenever `fd` changes, so late async fsync results are ignored. */
  private epoch = 0;
  private closed = false;
  private failure: Error | null = null;

  private constructor(
    private readonly dir: string,
    private readonly intervalMs: number,
    private readonly lock: DirLock,
    private fd: number,
    private size: number,
    private generation: number,
  ) {
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.backgroundSync(), intervalMs);
      this.timer.unref();
    }
  }

  /**
   * Locks the directory, recovers the newest consistent state (cleaning up
   * leftovers of an interrupted compaction and truncating a torn tail) and
   * returns a journal ready to append after it.
   */
  static open(options: JournalOptions): { journal: Journal; recovered: Recovered } {
    const interval = options.fsyncIntervalMs ?? 100;
    if (!Number.isFinite(interval) || interval < 0) {
      throw new RangeError(`fsyncIntervalMs must be a non-negative number, got ${interval}`);
    }
    const dir = path.resolve(options.dir);
    fs.mkdirSync(dir, { recursive: true });
    const lock = acquireDirLock(dir);
    try {
      const r = recover(dir);
      const journal = new Journal(dir, interval, lock, r.fd, r.size, r.generation);
      return { journal, recovered: { snapshot: r.snapshot, records: r.records } };
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Appends one record; on return it survives a crash of this process. */
  append(record: Buffer): void {
    this.write(encodeRecords([record]));
  }

  /** Appends several records with a single write (one commit, one syscall). */
  appendMany(records: Buffer[]): void {
    if (records.length > 0) this.write(encodeRecords(records));
  }

  /**
   * Replaces snapshot + log by `snapshot` (the caller's full state now) and an
   * empty segment. Crash-safe at every step: the rename of the new snapshot is
   * the commit point; recovery before it sees the old snapshot + old log,
   * after it the new snapshot + (possibly missing, hence empty) new log.
   */
  compact(snapshot: Buffer): void {
    this.assertUsable();
    const next = this.generation + 1;
    const snapPath = path.join(this.dir, snapshotName(next));
    const snapTemp = `${snapPath}.tmp`;
    const logPath = path.join(this.dir, logName(next));
    let newFd: number;
    try {
      writeDurably(snapTemp, [encodeFileHeader('snapshot', next), encodeRecords([snapshot])]);
      newFd = createSegment(logPath, next);
    } catch (err) {
      // Nothing is committed yet: drop the partial files, keep the old log.
      for (const p of [snapTemp, `${logPath}.tmp`, logPath]) {
        try {
          fs.rmSync(p, { force: true });
        } catch {
          // Recovery ignores uncommitted files of a newer generation.
        }
      }
      throw err;
    }
    try {
      fs.renameSync(snapTemp, snapPath);
      fsyncDir(this.dir);
    } catch (err) {
      // The new snapshot may or may not be visible: appending to either log
      // could now be lost, so stop accepting writes.
      fs.closeSync(newFd);
      this.failure = asError(err);
      throw err;
    }
    const oldFd = this.fd;
    const oldGen = this.generation;
    this.fd = newFd;
    this.size = FILE_HEADER_SIZE;
    this.generation = next;
    this.epoch++;
    this.dirty = false;
    try {
      fs.closeSync(oldFd);
      fs.rmSync(path.join(this.dir, logName(oldGen)), { force: true });
      fs.rmSync(path.join(this.dir, snapshotName(oldGen)), { force: true });
      fsyncDir(this.dir);
    } catch {
      // Leftovers of older generations are removed on the next open.
    }
  }

  /** Bytes in the current log segment (header included); drives compaction. */
  get logBytes(): number {
    return this.size;
  }

  /** Forces everything appended so far to stable storage now. */
  flush(): void {
    this.assertUsable();
    this.syncNow();
  }

  /** Flushes, closes the log and releases the directory lock. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.epoch++;
    if (this.timer) clearInterval(this.timer);
    try {
      if (!this.failure) fs.fdatasyncSync(this.fd);
    } finally {
      try {
        fs.closeSync(this.fd);
      } finally {
        this.lock.release();
      }
    }
  }

  private write(buf: Buffer): void {
    this.assertUsable();
    try {
      writeFully(this.fd, buf, this.size);
    } catch (err) {
      // Do not leave a partial record in the middle of the log.
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch (truncErr) {
        this.failure = asError(truncErr);
      }
      throw err;
    }
    this.size += buf.length;
    this.dirty = true;
    if (this.intervalMs === 0) this.syncNow();
  }

  private syncNow(): void {
    try {
      fs.fdatasyncSync(this.fd);
      this.dirty = false;
    } catch (err) {
      // After a failed fsync the kernel may have dropped the dirty pages; the
      // log can no longer be trusted (see PostgreSQL's "fsyncgate").
      this.failure = asError(err);
      throw err;
    }
  }

  /** Timer body: async fdatasync so the event loop never waits on the disk. */
  private backgroundSync(): void {
    if (!this.dirty || this.syncing || this.closed || this.failure) return;
    this.dirty = false;
    this.syncing = true;
    const epoch = this.epoch;
    fs.fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (err && epoch === this.epoch && !this.closed) this.failure = err;
    });
  }

  private assertUsable(): void {
    if (this.closed) throw new Error(`Journal in ${this.dir} is closed`);
    if (this.failure) {
      throw new Error(
        `Journal in ${this.dir} failed earlier and refuses writes: ${this.failure.message}`,
      );
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
