/**
 * Scenario 3, change-event latency. One client watches the collection, another
 * writes at a steady rate, scheduled by absolute time (write k is due at
 * t0 + k/rate and fired then, without waiting for earlier acknowledgements, so a
 * slow write cannot hide later delays). Latency of write k = the moment the
 * watcher receives the event carrying `seq: k` minus the moment insertOne's
 * promise resolved (performance.now() right after). The event can reach the
 * watcher before the writer's ack is processed, so a latency may be negative.
 * Before measuring: wait until the stream delivers, then one unmeasured second
 * of writes at the full rate.
 *
 * Variants: `default` (watch() with no options, inserts), `updateLookup`
 * (fullDocument: 'updateLookup', inserts: the option only matters for update
 * events, so this shows its overhead is nil), and `updateLookup-updates`
 * (updateOne $set on distinct pre-inserted documents, so the lookup really runs).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeStream, ChangeStreamDocument, Collection, Db, Document } from 'mongodb';
import { rowFromSummary, summarize, type ResultRow, type Summary } from './stats.js';
import type { BenchOptions, ChangeVariant } from './options.js';
import { startLoopMonitor, type LoopReport } from './loop-monitor.js';

export interface ChangeResult {
  variant: ChangeVariant;
  writes: number;
  received: number;
  latency: Summary;
  sendToEvent: Summary;
  ack: Summary;
  scheduleLagMaxMs: number;
  achievedRate: number;
  /** Event loop, GC and load while the writer ran (this process only). */
  loop: LoopReport;
}

const PAYLOAD = 'x'.repeat(200);

/** Documents of the update variant: `_id` k is the target of write k. */
interface Target {
  _id: number;
  seq: number | null;
  payload: string;
  at?: Date;
}

function seqOf(event: ChangeStreamDocument<Document>): number | undefined {
  if (event.operationType === 'insert') return event.fullDocument.seq as number;
  if (event.operationType === 'update') return event.updateDescription.updatedFields?.seq as number;
  return undefined;
}

/**
 * Resolves once the stream delivers a warm-up event (negative seq, a new one per
 * attempt so every update changes the field), i.e. once its cursor is live.
 */
async function warmUp(
  write: (seq: number) => Promise<unknown>,
  seen: () => boolean,
): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (let seq = -1; !seen(); seq--) {
    if (performance.now() > deadline)
      throw new Error('change stream delivered nothing within 10 s');
    await write(seq);
    await sleep(50);
  }
}

/**
 * Fires write k at t0 + k/rate by the clock (several at once after a late
 * wake-up), never waiting for earlier writes; resolves when all are acknowledged.
 */
async function paced(
  count: number,
  rate: number,
  fire: (k: number) => Promise<void>,
): Promise<{ spanMs: number; maxLagMs: number }> {
  const interval = 1000 / rate;
  const inflight: Array<Promise<void>> = [];
  let maxLagMs = 0;
  const t0 = performance.now() + 5;
  let next = 0;
  while (next < count) {
    const now = performance.now();
    const due = t0 + next * interval;
    if (now < due) {
      await sleep(due - now);
      continue;
    }
    while (next < count && t0 + next * interval <= performance.now()) {
      const k = next++;
      maxLagMs = Math.max(maxLagMs, performance.now() - (t0 + k * interval));
      inflight.push(fire(k));
    }
  }
  await Promise.all(inflight);
  return { spanMs: performance.now() - t0, maxLagMs };
}

export async function runChangeVariant(
  writerDb: Db,
  watcherDb: Db,
  variant: ChangeVariant,
  options: BenchOptions,
): Promise<ChangeResult> {
  const name = `changes_${variant.replace(/\W/g, '_')}`;
  const inserts: Collection<Document> = writerDb.collection(name);
  const targets: Collection<Target> = writerDb.collection<Target>(name);
  const total = Math.round(options.rate * options.durationS);
  const updates = variant === 'updateLookup-updates';
  if (updates) {
    for (let first = 0; first <= total; first += 1000) {
      const docs: Target[] = [];
      for (let k = first; k < Math.min(total + 1, first + 1000); k++)
        docs.push({ _id: k, seq: null, payload: PAYLOAD });
      await targets.insertMany(docs);
    }
  }
  // Update variant: write k sets seq on document k; the warm-up updates document `total` (spare).
  const write = (seq: number): Promise<unknown> =>
    updates
      ? targets.updateOne({ _id: seq < 0 ? total : seq }, { $set: { seq, at: new Date() } })
      : inserts.insertOne({ seq, at: new Date(), payload: PAYLOAD });

  const sentAt = new Float64Array(total).fill(NaN);
  const ackAt = new Float64Array(total).fill(NaN);
  const eventAt = new Float64Array(total).fill(NaN);
  let received = 0;
  let warmSeen = false;
  const failure: { error: Error | null } = { error: null };
  let allReceived: () => void = () => {};
  const everything = new Promise<void>((resolve) => (allReceived = resolve));

  const stream: ChangeStream = watcherDb
    .collection(name)
    .watch([], variant === 'default' ? {} : { fullDocument: 'updateLookup' });
  stream.on('change', (event: ChangeStreamDocument<Document>) => {
    const now = performance.now();
    const seq = seqOf(event);
    if (typeof seq === 'number' && seq < 0) warmSeen = true;
    else if (typeof seq === 'number' && seq >= 0 && seq < total && Number.isNaN(eventAt[seq])) {
      eventAt[seq] = now;
      if (++received === total) allReceived();
    }
  });
  stream.on('error', (err: Error) => {
    failure.error = err;
    allReceived();
  });

  try {
    await warmUp(write, () => warmSeen);
    // One unmeasured second at the full rate (negative seqs): JIT, pools and buffers settle.
    await paced(Math.min(total, Math.round(options.rate)), options.rate, (k) =>
      write(-2 - k).then(() => {}),
    );
    const monitor = startLoopMonitor();
    const { spanMs: writeSpan, maxLagMs: maxLag } = await paced(total, options.rate, (seq) => {
      sentAt[seq] = performance.now();
      return write(seq).then(() => {
        ackAt[seq] = performance.now();
      });
    });
    await Promise.race([everything, sleep(5000)]);
    const loop = monitor.stop();
    if (failure.error) throw failure.error;

    const latency = new Float64Array(total);
    const sendToEvent = new Float64Array(total);
    const ack = new Float64Array(total);
    for (let k = 0; k < total; k++) {
      latency[k] = eventAt[k] - ackAt[k];
      sendToEvent[k] = eventAt[k] - sentAt[k];
      ack[k] = ackAt[k] - sentAt[k];
    }
    return {
      variant,
      writes: total,
      received,
      latency: summarize(latency),
      sendToEvent: summarize(sendToEvent),
      ack: summarize(ack),
      scheduleLagMaxMs: maxLag,
      achievedRate: (total / writeSpan) * 1000,
      loop,
    };
  } finally {
    await stream.close();
  }
}

export function changeRow(mode: string, result: ChangeResult): ResultRow {
  const fmt = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
  const { loop } = result;
  const notes = [
    `max ${fmt(result.latency.max)}`,
    `${result.received}/${result.writes} ev`,
    `${result.achievedRate.toFixed(0)} w/s`,
    `ack p50/p99 ${fmt(result.ack.p50)}/${fmt(result.ack.p99)}`,
    `send->event p99 ${fmt(result.sendToEvent.p99)}`,
    `loop delay p99/max ${fmt(loop.loopDelayP99Ms)}/${fmt(loop.loopDelayMaxMs)}`,
    `gc max ${fmt(loop.gcMaxMs)}`,
    `load ${loop.loadAverageEnd.toFixed(1)}`,
    ...(loop.cpuPressureEnd === null ? [] : [`cpu psi ${loop.cpuPressureEnd.toFixed(0)}%`]),
  ];
  if (result.received < result.writes) notes.push(`${result.writes - result.received} MISSING`);
  return rowFromSummary(
    mode,
    `change event ${result.variant} (ack->event)`,
    result.received / (result.writes / result.achievedRate),
    result.latency,
    notes.join('; '),
    {
      writes: result.writes,
      received: result.received,
      achievedWriteRate: result.achievedRate,
      scheduleLagMaxMs: result.scheduleLagMaxMs,
      sendToEventMs: result.sendToEvent,
      ackMs: result.ack,
      loop: result.loop,
    },
  );
}
