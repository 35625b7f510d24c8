/**
 * Scenario 1, insert throughput: `insertOne` awaited one after the other, then
 * `insertMany` batches. Collections carry only the `_id` index, so this is the
 * bare write path (wire, command dispatch, commit, change event, journal).
 */
import type { Db } from 'mongodb';
import { rowFromSummary, summarize, type ResultRow } from './stats.js';
import type { BenchOptions } from './options.js';

export function userDoc(i: number): Record<string, unknown> {
  return {
    email: `user${i}@example.com`,
    handle: `handle${i}`,
    name: `User ${i}`,
    age: i % 90,
    tags: ['member', i % 2 === 0 ? 'even' : 'odd'],
    createdAt: new Date(),
  };
}

export async function runInserts(
  db: Db,
  mode: string,
  options: BenchOptions,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];

  const warm = db.collection('inserts_warmup');
  for (let i = 0; i < 200; i++) await warm.insertOne(userDoc(i));
  await warm.insertMany(Array.from({ length: options.batchSize }, (_, i) => userDoc(i)));
  await warm.drop();

  const single = db.collection('inserts_single');
  const latencies = new Float64Array(options.inserts);
  const start = performance.now();
  for (let i = 0; i < options.inserts; i++) {
    const t = performance.now();
    await single.insertOne(userDoc(i));
    latencies[i] = performance.now() - t;
  }
  const elapsed = performance.now() - start;
  rows.push(
    rowFromSummary(
      mode,
      `insertOne x${options.inserts}`,
      (options.inserts / elapsed) * 1000,
      summarize(latencies),
      'sequential awaits; _id index only',
      { count: options.inserts, elapsedMs: elapsed },
    ),
  );

  const batched = db.collection('inserts_batch');
  const batchLatencies = new Float64Array(options.batches);
  const batchStart = performance.now();
  for (let b = 0; b < options.batches; b++) {
    const docs = Array.from({ length: options.batchSize }, (_, i) =>
      userDoc(b * options.batchSize + i),
    );
    const t = performance.now();
    await batched.insertMany(docs);
    batchLatencies[b] = performance.now() - t;
  }
  const batchElapsed = performance.now() - batchStart;
  const docs = options.batches * options.batchSize;
  rows.push(
    rowFromSummary(
      mode,
      `insertMany ${options.batches}x${options.batchSize}`,
      (docs / batchElapsed) * 1000,
      summarize(batchLatencies),
      `docs/s; latency per batch; ${((options.batches / batchElapsed) * 1000).toFixed(0)} batches/s`,
      { documents: docs, batches: options.batches, elapsedMs: batchElapsed },
    ),
  );
  return rows;
}
