/**
 * Scenario `transactions`: what one small transaction costs (one counter's
 * `$inc`, committed) while the database holds N other documents. Why: every
 * Quorum write is a transaction, and closing the last open one visited every
 * document version the engine held, so its cost grew with the database (15-29
 * ms at 110,000 documents, 70-75 at 410,000, where 10,000 cost 2-3). It must
 * not grow with N.
 */
import type { Db, MongoClient } from 'mongodb';
import { rowFromSummary, summarize, type ResultRow, type Summary } from './stats.js';

const TRANSACTIONS = 300;
const BATCH = 10_000;

export interface TransactionResult {
  size: number;
  latency: Summary;
}

export async function runTransactions(
  client: MongoClient,
  db: Db,
  mode: string,
  sizes: number[],
): Promise<{ rows: ResultRow[]; results: TransactionResult[] }> {
  const rows: ResultRow[] = [];
  const results: TransactionResult[] = [];
  for (const size of sizes) {
    const docs = db.collection(`txn_docs_${size}`);
    await docs.drop().catch(() => undefined);
    for (let i = 0; i < size; i += BATCH)
      await docs.insertMany(
        Array.from({ length: Math.min(BATCH, size - i) }, (_, j) => ({
          n: i + j,
          pad: 'x'.repeat(50),
        })),
      );
    const counters = db.collection<{ _id: string; n: number }>('txn_counters');
    await counters.drop().catch(() => undefined);
    await counters.insertOne({ _id: 'counter', n: 0 });
    const latencies = new Float64Array(TRANSACTIONS);
    for (let i = 0; i < TRANSACTIONS; i++) {
      const session = client.startSession();
      const started = performance.now();
      try {
        await session.withTransaction(() =>
          counters.updateOne({ _id: 'counter' }, { $inc: { n: 1 } }, { session }),
        );
      } finally {
        await session.endSession();
      }
      latencies[i] = performance.now() - started;
    }
    const latency = summarize(latencies);
    results.push({ size, latency });
    rows.push(
      rowFromSummary(
        mode,
        `transaction ($inc, commit) @${size.toLocaleString('en-US')} docs`,
        1000 / latency.mean,
        latency,
        `${TRANSACTIONS} transactions, one after another, beside ${size} documents`,
        { size },
      ),
    );
    await docs.drop();
    await counters.drop();
  }
  return { rows, results };
}
