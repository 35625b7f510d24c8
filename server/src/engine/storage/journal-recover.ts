/**
 * File-level mechanics of the journal: naming of generations, recovery of the
 * newest consistent state at open, and the durable file primitives (temp file
 * + fsync + rename, directory fsync) that compaction relies on for atomicity.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  FILE_HEADER_SIZE,
  checkFileHeader,
  decodeSnapshot,
  encodeFileHeader,
  scanLog,
} from './journal-format.js';

const SNAPSHOT_RE = /^snapshot-(\d{10})\.snap$/;
const LOG_RE = /^log-(\d{10})\.log$/;
const TEMP_RE = /^(?:snapshot|log)-\d{10}\.(?:snap|log)\.tmp$/;
/** File name of the snapshot of generation `gen` (full state at compaction N). */
export const snapshotName = (gen: number) => `snapshot-${String(gen).padStart(10, '0')}.snap`;
/** File name of the log segment holding records appended after snapshot `gen`. */
export const logName = (gen: number) => `log-${String(gen).padStart(10, '0')}.log`;

/** What recovery found and the log segment opened for further appends. */
export interface RecoveryResult {
  snapshot: Buffer | null;
  records: Buffer[];
  generation: number;
  fd: number;
  size: number;
}

/**
 * Finds the newest consistent state in `dir` (newest snapshot + its segment),
 * deletes what an interrupted compaction or older generations left behind,
 * truncates a torn tail, and opens the segment for appending.
 */
export function recover(dir: string): RecoveryResult {
  const names = fs.readdirSync(dir);
  const gens = (re: RegExp) =>
    names
      .map((n) => re.exec(n))
      .flatMap((m) => (m ? [Number(m[1])] : []))
      .sort((a, b) => a - b);
  const snaps = gens(SNAPSHOT_RE);
  const logs = gens(LOG_RE);
  const generation = snaps.length > 0 ? snaps[snaps.length - 1] : 0;
  let changed = false;

  for (const n of names.filter((n) => TEMP_RE.test(n))) {
    fs.rmSync(path.join(dir, n), { force: true }); // never committed
    changed = true;
  }
  const snapPath = path.join(dir, snapshotName(generation));
  const snapshot =
    snaps.length > 0 ? decodeSnapshot(fs.readFileSync(snapPath), snapPath, generation) : null;

  // A segment newer than the newest snapshot was created by a compaction that
  // crashed before its commit point; it can hold no records.
  for (const g of logs.filter((g) => g > generation)) {
    const p = path.join(dir, logName(g));
    const buf = fs.readFileSync(p);
    checkFileHeader(buf, 'log', g, p);
    if (buf.length > FILE_HEADER_SIZE || !logs.includes(generation)) {
      throw new Error(
        `Journal log ${p} is newer than the newest snapshot (generation ${generation}); the snapshot is missing`,
      );
    }
    fs.rmSync(p);
    changed = true;
  }

  const logPath = path.join(dir, logName(generation));
  let fd: number;
  let size: number;
  let records: Buffer[] = [];
  if (logs.includes(generation)) {
    fd = fs.openSync(logPath, 'r+');
    try {
      const buf = fs.readFileSync(fd);
      checkFileHeader(buf, 'log', generation, logPath);
      const scan = scanLog(buf, logPath);
      records = scan.records;
      size = scan.validEnd;
      if (size < buf.length) {
        fs.ftruncateSync(fd, size); // torn tail of a write cut short by a crash
        fs.fsyncSync(fd);
      }
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  } else {
    fd = createSegment(logPath, generation);
    size = FILE_HEADER_SIZE;
    changed = true;
  }

  // Older generations are fully contained in the snapshot we just read.
  const stale = [
    ...snaps.filter((g) => g < generation).map(snapshotName),
    ...logs.filter((g) => g < generation).map(logName),
  ];
  try {
    for (const n of stale) fs.rmSync(path.join(dir, n));
    if (changed || stale.length > 0) fsyncDir(dir);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  return { generation, snapshot, records, fd, size };
}

/** Creates an empty segment atomically (temp + fsync + rename); returns an r+ fd. */
export function createSegment(logPath: string, generation: number): number {
  writeDurably(`${logPath}.tmp`, [encodeFileHeader('log', generation)]);
  fs.renameSync(`${logPath}.tmp`, logPath);
  return fs.openSync(logPath, 'r+');
}

/** Writes a new file and fsyncs it before returning. */
export function writeDurably(file: string, parts: Buffer[]): void {
  const fd = fs.openSync(file, 'w', 0o644);
  try {
    writeFully(fd, Buffer.concat(parts), 0);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** pwrite loop: regular-file writes are normally whole, but do not assume it. */
export function writeFully(fd: number, buf: Buffer, position: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = fs.writeSync(fd, buf, off, buf.length - off, position + off);
    if (n <= 0) throw new Error(`Journal write made no progress at offset ${position + off}`);
    off += n;
  }
}

/** Makes renames/creations/deletions in `dir` durable (no-op where unsupported). */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
