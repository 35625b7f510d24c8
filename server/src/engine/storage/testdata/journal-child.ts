/**
 * Child process for journal.test.ts (not part of the engine). Modes:
 * - `flood DIR INTERVAL`: recovers, then appends records forever (with
 *   periodic compaction), printing each acknowledged record index on stdout
 *   right after append() returns, until the parent kills it with SIGKILL.
 * - `no-close DIR`: appends one record and returns without close(), to prove
 *   the journal's fsync timer does not keep the process alive.
 * Record i and the snapshot format are defined by childRecord/childSnapshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../journal.js';

/** Deterministic payload of record `i`, of varying size (up to ~3 KiB). */
export function childRecord(i: number): Buffer {
  return Buffer.concat([Buffer.from(`rec:${i}:`), Buffer.alloc((i * 7919) % 3000, i % 251)]);
}

/** Snapshot meaning "records 0..count-1 are applied". */
export function childSnapshot(count: number): Buffer {
  return Buffer.from(`count:${count}`);
}

/** Number of records a recovered state stands for (parent and child agree). */
export function recoveredCount(snapshot: Buffer | null): number {
  return snapshot ? Number(/^count:(\d+)$/.exec(snapshot.toString())![1]) : 0;
}

/**
 * Prints synchronously, so a printed index really was acknowledged before the
 * next append starts. The stdout pipe may be non-blocking: spin on EAGAIN.
 */
function ack(text: string): void {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(fs.writeSync(1, buf));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

async function main(): Promise<void> {
  const [mode, dir, interval] = process.argv.slice(2);
  const { journal, recovered } = Journal.open({ dir, fsyncIntervalMs: Number(interval ?? 100) });
  if (mode === 'no-close') {
    journal.append(Buffer.from('left open'));
    fs.writeSync(1, 'appended\n');
    return;
  }
  let i = recoveredCount(recovered.snapshot) + recovered.records.length;
  for (;;) {
    if (i % 97 === 0) {
      journal.appendMany([childRecord(i), childRecord(i + 1), childRecord(i + 2)]);
      ack(`${i}\n${i + 1}\n${i + 2}\n`);
      i += 3;
    } else {
      journal.append(childRecord(i));
      ack(`${i}\n`);
      i++;
    }
    if (i % 400 < 3 && journal.logBytes > 64 * 1024) journal.compact(childSnapshot(i));
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve)); // let the fsync timer run
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
