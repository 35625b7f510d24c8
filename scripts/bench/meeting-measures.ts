/**
 * What the meeting bench (meeting.ts) records beside its latencies: the
 * database requests a window made, from the engine's own counters, and one
 * line per raise for `--hands`.
 */
import fs from 'node:fs';
import mongoose from 'mongoose';
import { percentile } from './stats.js';

export type Requests = Record<string, number>;

/**
 * The engine's own counts of what it was asked (`serverStatus`: requests,
 * and mongod's opcounters), or null when Quorum has the engine embedded and
 * this process no connection to it.
 */
export async function databaseRequests(): Promise<Requests | null> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected || !db) return null;
  const status = (await db.admin().serverStatus()) as {
    network: { numRequests: unknown };
    opcounters: Record<string, unknown>;
  };
  const counts: Requests = { requests: Number(status.network.numRequests) };
  for (const [name, n] of Object.entries(status.opcounters)) counts[name] = Number(n);
  return counts;
}

/** What was asked between two counts, less the one `serverStatus` the second count made. */
export function requestsSince(before: Requests | null, after: Requests | null): Requests | null {
  if (!before || !after) return null;
  const since = Object.fromEntries(
    Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]),
  );
  since.requests -= 1;
  since.command -= 1;
  return since;
}

/** Counts per action, for the table: `insert 1.00, getmore 1.15`. */
export const perAction = (counts: Requests, actions: number) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${(n / actions).toFixed(2)}`)
    .join(', ');

/**
 * Per raise, in the order raised (`--hands`): when, from the first raise;
 * then, from the raise, when half the screens showed it, when the last did
 * (NaN if one never did), when its raiser heard it was stored, and when the
 * facilitator's screen showed it. Milliseconds, space-separated.
 */
export function writeHands(
  file: string,
  raisedAt: Map<string, number>,
  storedAt: Map<string, number>,
  seen: Array<{ hands: Map<string, number> }>,
): void {
  const first = Math.min(...raisedAt.values());
  const lines = [...raisedAt]
    .sort(([, a], [, b]) => a - b)
    .map(([userId, at]) => {
      const times = seen.map((x) => (x.hands.get(userId) ?? NaN) - at);
      const shown = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
      const last = shown.length === times.length ? shown.at(-1) : NaN;
      const stored = (storedAt.get(userId) ?? NaN) - at;
      const facilitator = (seen[0].hands.get(userId) ?? NaN) - at;
      return [at - first, percentile(shown, 50), last, stored, facilitator].join(' ');
    });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
