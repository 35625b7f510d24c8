/**
 * Command-line options of `npm run bench:fanout` (scripts/bench/fanout.ts).
 *
 *   --n 200,1000,3000     watchers per run (default 200,1000,3000)
 *   --duration S          seconds of comments, then of votes (default 15)
 *   --rate R              writes per second offered (default 20)
 *   --idle S              idle measure (default 60 s: three presence heartbeats, and every
 *                         socket's engine.io ping at least twice), scaled to a minute
 *   --idle-settle S       wait before it (default 30 s): after a burst, V8's memory reducer runs
 *                         a few full collections within about half a minute; they belong to the
 *                         join, not to the idle state
 *   --processes P         Quorum processes on one standalone engine (default 1: embedded engine)
 *   --engine-apart        one Quorum process, its engine in a process of its own (as with
 *                         MongoDB): heap and CPU per write are then the app's alone, the
 *                         engine's CPU apart; the database's memory is not in the app's heap
 *   --servers a,b         which servers: quorum,bare,naive (default all three)
 *   --clients W           client worker processes (default 1)
 *   --concurrency C       sockets connecting at once per worker (default 50)
 *   --join-rate R         open at most R sockets a second in all (default: as fast as they
 *                         connect); every server joins at the same pace, so their sockets'
 *                         engine.io pings come round spread alike during the idle measure
 *   --warmup S            comments offered for S seconds before the measured ones, at the same
 *                         rate, to every server alike and not measured (default 0): a server's
 *                         first writes run on code not yet compiled, once per process lifetime
 *   --history H           H earlier comments (each with its timeline entry) in another discussion
 *                         of the group before the run (default 0): a database of some size, as a
 *                         group that has met for a while has, not one holding the meeting alone
 *                         (one Quorum process: only its feed is waited for after the seeding)
 *   --drain S             how long to wait for deliveries after the last write (default 60)
 *   --comment-bytes B     baseline payload sizes (defaults 900 and 1400: about what Quorum sends
 *                         per comment, a timeline:event carrying it, and per poll:upserted)
 *   --poll-bytes B
 *   --server-node-arg X   extra node flag for the Quorum processes (repeatable), e.g. --cpu-prof
 *   --out DIR / --no-write
 */
import { parseArgs } from 'node:util';
import type { ServerKind } from './launcher.js';

export interface FanoutOptions {
  sizes: number[];
  durationS: number;
  rate: number;
  idleS: number;
  idleSettleS: number;
  processes: number;
  /** The engine in its own process even for one Quorum process. */
  engineApart: boolean;
  servers: ServerKind[];
  clientWorkers: number;
  concurrency: number;
  /** Sockets opened per second at most, in all workers (null: as fast as they connect). */
  joinRate: number | null;
  drainS: number;
  warmupS: number;
  /** Earlier comments seeded before the run (see seed.ts). */
  history: number;
  commentBytes: number;
  pollBytes: number;
  serverNodeArgs: string[];
  outDir: string | null;
}

export const USAGE = `usage: npm run bench:fanout -- [--n 200,1000,3000] [--duration S] [--rate R]
  [--idle S] [--idle-settle S] [--processes P] [--engine-apart] [--servers quorum,bare,naive] [--clients W] [--concurrency C]
  [--join-rate R] [--warmup S] [--history H]
  [--drain S] [--comment-bytes B] [--poll-bytes B] [--server-node-arg=FLAG ...]
  [--out DIR] [--no-write]`;

function positive(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number, got '${raw}'`);
  return n;
}

function nonNegative(raw: string, name: string): number {
  return raw.trim() === '0' ? 0 : positive(raw, name);
}

const KINDS: readonly ServerKind[] = ['quorum', 'bare', 'naive'];

export function parseOptions(argv: string[]): FanoutOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '200,1000,3000' },
      duration: { type: 'string', default: '15' },
      rate: { type: 'string', default: '20' },
      idle: { type: 'string', default: '60' },
      'idle-settle': { type: 'string', default: '30' },
      processes: { type: 'string', default: '1' },
      'engine-apart': { type: 'boolean', default: false },
      servers: { type: 'string', default: KINDS.join(',') },
      clients: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '50' },
      'join-rate': { type: 'string' },
      drain: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '0' },
      history: { type: 'string', default: '0' },
      'comment-bytes': { type: 'string', default: '900' },
      'poll-bytes': { type: 'string', default: '1400' },
      'server-node-arg': { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: 'bench-results' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const servers = values.servers.split(',').map((s) => s.trim()) as ServerKind[];
  for (const s of servers)
    if (!KINDS.includes(s)) throw new Error(`unknown server '${s}' (expected ${KINDS.join(', ')})`);
  return {
    sizes: values.n.split(',').map((s) => Math.round(positive(s, 'n'))),
    durationS: positive(values.duration, 'duration'),
    rate: positive(values.rate, 'rate'),
    idleS: positive(values.idle, 'idle'),
    idleSettleS: nonNegative(values['idle-settle'], 'idle-settle'),
    processes: Math.round(positive(values.processes, 'processes')),
    engineApart: values['engine-apart'],
    servers,
    clientWorkers: Math.round(positive(values.clients, 'clients')),
    concurrency: Math.round(positive(values.concurrency, 'concurrency')),
    joinRate: values['join-rate'] === undefined ? null : positive(values['join-rate'], 'join-rate'),
    drainS: positive(values.drain, 'drain'),
    warmupS: nonNegative(values.warmup, 'warmup'),
    history: Math.round(nonNegative(values.history, 'history')),
    commentBytes: Math.round(positive(values['comment-bytes'], 'comment-bytes')),
    pollBytes: Math.round(positive(values['poll-bytes'], 'poll-bytes')),
    serverNodeArgs: values['server-node-arg'],
    outDir: values['no-write'] ? null : values.out,
  };
}
