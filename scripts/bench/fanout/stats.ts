/**
 * From one run's raw record to the numbers the issue asks for: delivery
 * latency per view, exactly-once counts, CPU and database commands per write,
 * memory per connection, presence traffic during the join, watch latency,
 * idle CPU per minute, the worst event-loop stall, and how busy the client
 * workers were (a saturated client inflates every server's latency alike).
 */
import { percentile } from '../stats.js';
import type { ServersSample } from './launcher.js';

/** The events that carry who is viewing (a new watcher's whole picture, then diffs). */
const PRESENCE_EVENTS = ['presence:changed', 'presence:diff'];
import type { PhaseRecord, RunRecord } from './run.js';

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latency(samples: number[]): Latency {
  const sorted = Float64Array.from(samples.filter((v) => Number.isFinite(v))).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

export interface WritePhaseSummary {
  writes: number;
  failures: number;
  all: Latency;
  byView: Record<string, Latency>;
  misses: number;
  duplicates: number;
  /** Server CPU (ms) per write, each Quorum process, then the engine when it runs apart. */
  cpuMsPerWrite: number[];
  engineCpuMsPerWrite: number | null;
  /** Database commands per write, each process, and their sum by command and collection. */
  commandsPerWrite: number[];
  commandBreakdown: Record<string, number>;
  drainMs: number;
  complete: boolean;
  stallMs: number;
  clientCores: number;
  clientLoopMaxMs: number;
}

export interface RunSummary {
  kind: string;
  n: number;
  processes: number;
  comments: WritePhaseSummary;
  votes: WritePhaseSummary & {
    /** Messages carrying the poll's tally (alone, or on a vote's timeline entry). */
    pollMessagesPerSocketPerVote: number;
    /** Every message a socket got during the votes, per vote. */
    messagesPerSocketPerVote: number;
    timelineDuplicates: number;
  };
  heapPerConnectionBytes: number;
  /** Of it, code compiled during the join (the code spaces' growth), spread over the connections. */
  compiledPerConnectionBytes: number;
  rssPerConnectionBytes: number;
  joinMs: number;
  joinFailures: number;
  watch: Latency;
  joinTraffic: Record<string, { messages: number; bytes: number }>;
  presenceMessages: number;
  presenceBytes: number;
  idleCpuMsPerMinute: number[];
  idleStallMs: number;
  joinStallMs: number;
  loadAverage: RunRecord['loadAverage'];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function commandDelta(before: ServersSample, after: ServersSample): Array<Record<string, number>> {
  return after.processes.map((p, i) => {
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(p.commands)) {
      const delta = value - (before.processes[i].commands[key] ?? 0);
      if (delta > 0) out[key] = delta;
    }
    return out;
  });
}

function writeSummary(
  phase: PhaseRecord,
  record: RunRecord,
  field: 'commentMs' | 'voteMs',
  missKey: string,
  duplicateKey: string | null,
): WritePhaseSummary {
  const writes = phase.writes?.count ?? 0;
  const per = (x: number) => (writes ? x / writes : NaN);
  const byView: Record<string, Latency> = {};
  let all: number[] = [];
  let misses = 0;
  let duplicates = 0;
  for (const [view, v] of Object.entries(record.views)) {
    byView[view] = latency(v[field]);
    all = all.concat(v[field]);
    misses += v[missKey] as number;
    if (duplicateKey) duplicates += v[duplicateKey] as number;
  }
  const commands = commandDelta(phase.before, phase.after);
  const breakdown: Record<string, number> = {};
  for (const perProcess of commands)
    for (const [key, value] of Object.entries(perProcess))
      breakdown[key] = (breakdown[key] ?? 0) + per(value);
  const engine =
    phase.after.engineCpuMs !== null && phase.before.engineCpuMs !== null
      ? per(phase.after.engineCpuMs - phase.before.engineCpuMs)
      : null;
  return {
    writes,
    failures: phase.writes?.failures ?? 0,
    all: latency(all),
    byView,
    misses,
    duplicates,
    cpuMsPerWrite: phase.after.processes.map((p, i) =>
      per(p.cpuMs - phase.before.processes[i].cpuMs),
    ),
    engineCpuMsPerWrite: engine,
    commandsPerWrite: commands.map((c) => per(sum(Object.values(c)))),
    commandBreakdown: Object.fromEntries(Object.entries(breakdown).sort((a, b) => b[1] - a[1])),
    drainMs: phase.drainMs ?? NaN,
    complete: phase.complete ?? false,
    stallMs: Math.max(...phase.after.processes.map((p) => p.loopMaxMs)),
    clientCores: phase.clientCpuMs / phase.wallMs,
    clientLoopMaxMs: phase.clientLoopMaxMs,
  };
}

export function summarizeRun(record: RunRecord): RunSummary {
  const byName = (name: string) => record.phases.find((p) => p.name === name)!;
  const comments = writeSummary(
    byName('comments'),
    record,
    'commentMs',
    'commentMisses',
    'commentDuplicates',
  );
  const votesBase = writeSummary(byName('votes'), record, 'voteMs', 'voteMisses', 'pollStale');
  const sockets = sum(Object.values(record.views).map((v) => v.sockets as number));
  const pollMessages = sum(Object.values(record.views).map((v) => v.pollMessages as number));
  const perSocketPerVote = (messages: number) =>
    sockets && votesBase.writes ? messages / sockets / votesBase.writes : NaN;
  const timelineDuplicates = sum(
    Object.values(record.views).map((v) => v.timelineDuplicates as number),
  );
  const idle = byName('idle');
  const join = byName('join');
  const heap =
    sum(record.memory.joined.processes.map((p) => p.heapUsed)) -
    sum(record.memory.empty.processes.map((p) => p.heapUsed));
  const compiled =
    sum(record.memory.joined.processes.map((p) => p.compiledUsed)) -
    sum(record.memory.empty.processes.map((p) => p.compiledUsed));
  const rss =
    sum(record.memory.joined.processes.map((p) => p.rss)) -
    sum(record.memory.empty.processes.map((p) => p.rss));
  const joinTraffic = record.traffic.join ?? {};
  return {
    kind: record.kind,
    n: record.n,
    processes: record.processes,
    comments,
    votes: {
      ...votesBase,
      pollMessagesPerSocketPerVote: perSocketPerVote(pollMessages),
      messagesPerSocketPerVote: perSocketPerVote(
        sum(Object.values(record.traffic.votes ?? {}).map((t) => t.messages)),
      ),
      timelineDuplicates,
    },
    heapPerConnectionBytes: heap / record.n,
    compiledPerConnectionBytes: compiled / record.n,
    rssPerConnectionBytes: rss / record.n,
    joinMs: record.join.ms,
    joinFailures: record.join.failures,
    watch: latency(record.join.watchMs.map((w) => w.ms)),
    joinTraffic,
    // Whole pictures and diffs alike: every byte presence costs during the join.
    presenceMessages: PRESENCE_EVENTS.reduce((n, e) => n + (joinTraffic[e]?.messages ?? 0), 0),
    presenceBytes: PRESENCE_EVENTS.reduce((n, e) => n + (joinTraffic[e]?.bytes ?? 0), 0),
    idleCpuMsPerMinute: idle.after.processes.map(
      (p, i) => ((p.cpuMs - idle.before.processes[i].cpuMs) / idle.wallMs) * 60_000,
    ),
    idleStallMs: Math.max(...idle.after.processes.map((p) => p.loopMaxMs)),
    joinStallMs: Math.max(...join.after.processes.map((p) => p.loopMaxMs)),
    loadAverage: record.loadAverage,
  };
}
