/**
 * Scenario `inlists`: long `$in` lists, the shape of Quorum's presence
 * heartbeat (`updateMany({_id: {$in: [every socket's presence]}, processId})`
 * every 20 s). Why: a matcher that rebuilds the list's set per document makes
 * this cost N x N; it must grow linearly. Three shapes per size N (documents
 * = listed ids = N): the heartbeat's updateMany by `_id`, a find by `_id`, and
 * a find by `$in` on an unindexed field (every document tested against the list).
 */
import type { Db } from 'mongodb';
import { rowFromSummary, summarize, timed, type ResultRow } from './stats.js';

/** Repetitions per shape and size: enough for a p50, few enough for the N^2 case to finish. */
const REPEATS = 10;

export async function runInLists(db: Db, mode: string, sizes: number[]): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const n of sizes) {
    const coll = db.collection<{ _id: string; processId: string; socket: string; at: Date }>(
      `inlists_${n}`,
    );
    await coll.drop().catch(() => undefined);
    const ids = Array.from({ length: n }, (_, i) => `discussion:socket-${i}`);
    await coll.insertMany(
      ids.map((_id, i) => ({ _id, processId: 'p1', socket: `socket-${i}`, at: new Date() })),
    );
    const sockets = ids.map((_, i) => `socket-${i}`);
    const shapes: Array<[string, () => Promise<unknown>]> = [
      [
        'updateMany _id $in (heartbeat)',
        () => coll.updateMany({ _id: { $in: ids }, processId: 'p1' }, { $set: { at: new Date() } }),
      ],
      ['find _id $in', () => coll.find({ _id: { $in: ids } }).toArray()],
      ['find unindexed $in', () => coll.find({ socket: { $in: sockets } }).toArray()],
    ];
    for (const [name, op] of shapes) {
      const latencies = await timed(REPEATS, op);
      const summary = summarize(latencies);
      rows.push(
        rowFromSummary(
          mode,
          `${name} ${n.toLocaleString('en-US')}x${n.toLocaleString('en-US')}`,
          1000 / summary.mean,
          summary,
          `${n} listed ids over ${n} documents; ${REPEATS} runs`,
          { size: n },
        ),
      );
    }
    await coll.drop();
  }
  return rows;
}
