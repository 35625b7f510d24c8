/**
 * One measured run of the fan-out benchmark: one server kind (Quorum, bare or
 * naive) at one N, through the phases the issue names: join (connect and
 * watch every socket, let presence settle), idle, comments at the offered
 * rate, votes at the offered rate. Servers and client workers are fresh per
 * run, so heap per connection and counters start from nothing.
 */
import { viewMix, type Meeting, type WatcherView } from './seed.js';
import {
  sampleServers,
  spawnChild,
  startBaseline,
  startQuorum,
  type Child,
  type Servers,
  type ServerKind,
  type ServersSample,
} from './launcher.js';
import type { ConnectRequest } from './client-worker.js';
import { baselineRequests, offer, quorumRequests, type Offered, type WriteKind } from './writer.js';
import type { FanoutOptions } from './options.js';

const VIEWS: WatcherView[] = ['coordinator', 'member', 'visitor'];

export interface PhaseRecord {
  name: string;
  before: ServersSample;
  after: ServersSample;
  wallMs: number;
  /** Client workers' CPU (ms) and worst loop delay in the phase: saturation shows here. */
  clientCpuMs: number;
  clientLoopMaxMs: number;
  writes?: Omit<Offered, 'sentAt'> & { count: number };
  /** Last write's send to the last delivery (or the give-up time). */
  drainMs?: number;
  complete?: boolean;
}

export interface RunRecord {
  kind: ServerKind;
  n: number;
  processes: number;
  clientWorkers: number;
  join: {
    ms: number;
    failures: number;
    errors: string[];
    watchMs: Array<{ view: string; ms: number }>;
  };
  phases: PhaseRecord[];
  /** Samples after a full GC with no sockets, and with every socket watching. */
  memory: { empty: ServersSample; joined: ServersSample };
  traffic: Record<string, Record<string, { messages: number; bytes: number }>>;
  views: Record<string, Record<string, unknown> & { commentMs: number[]; voteMs: number[] }>;
  loadAverage: { start: number[]; end: number[] };
}

const log = (line: string) => process.stderr.write(`${line}\n`);
/** How long without any message ends a write phase (see the votes' drain). */
const QUIET_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return false;
}

type Progress = {
  comments: number;
  votes: number;
  lastPresenceAt: number;
  lastMessageAt: number;
  connected: number;
};

async function sumProgress(workers: Child[]): Promise<Progress> {
  const all = await Promise.all(workers.map((w) => w.channel.call<Progress>('progress')));
  return all.reduce((a, b) => ({
    comments: a.comments + b.comments,
    votes: a.votes + b.votes,
    lastPresenceAt: Math.max(a.lastPresenceAt, b.lastPresenceAt),
    lastMessageAt: Math.max(a.lastMessageAt, b.lastMessageAt),
    connected: a.connected + b.connected,
  }));
}

async function clientLoad(workers: Child[]) {
  const all = await Promise.all(
    workers.map((w) => w.channel.call<{ cpuMs: number; loopMaxMs: number }>('load')),
  );
  return {
    cpuMs: all.reduce((s, r) => s + r.cpuMs, 0),
    loopMaxMs: Math.max(...all.map((r) => r.loopMaxMs)),
  };
}

/** Runs `body` as a phase: server samples and client load around it. */
async function phase(
  name: string,
  servers: Servers,
  workers: Child[],
  body: () => Promise<Partial<PhaseRecord>>,
): Promise<PhaseRecord> {
  await Promise.all(workers.map((w) => w.channel.call('phase', name)));
  const clientBefore = await clientLoad(workers);
  const before = await sampleServers(servers);
  const started = performance.now();
  const extra = await body();
  const wallMs = performance.now() - started;
  const after = await sampleServers(servers);
  const clientAfter = await clientLoad(workers);
  return {
    name,
    before,
    after,
    wallMs,
    clientCpuMs: clientAfter.cpuMs - clientBefore.cpuMs,
    clientLoopMaxMs: clientAfter.loopMaxMs,
    ...extra,
  };
}

export async function runOne(
  kind: ServerKind,
  n: number,
  options: FanoutOptions,
): Promise<RunRecord> {
  const loadStart = (await import('node:os')).loadavg();
  const count = Math.round(options.rate * options.durationS);
  const processes = kind === 'quorum' ? options.processes : 1;
  log(`== ${kind} N=${n}${processes > 1 ? ` on ${processes} processes` : ''}`);
  const servers =
    kind === 'quorum'
      ? await startQuorum(processes, options.serverNodeArgs, options.engineApart)
      : await startBaseline(kind);
  const workers: Child[] = [];
  try {
    const urls = servers.processes.map((p) => p.url);
    const meeting: Meeting =
      kind === 'quorum'
        ? await servers.processes[0].channel.call<Meeting>('seed', {
            watchers: n,
            voters: count,
            history: options.history,
          })
        : {
            discussionId: '000000000000000000000000',
            lastSequence: 0,
            pollId: '',
            optionId: '',
            writerTokens: [],
            voterTokens: [],
            watchers: viewMix(n).map((view) => ({ view, token: null })),
          };
    for (let i = 0; i < options.clientWorkers; i++)
      workers.push(await spawnChild('client-worker.ts'));
    // Two watchers of each view, on each process, join and leave first (client-worker.ts, warm).
    const everyone = meeting.watchers.map((watcher, i) => ({ ...watcher, server: i }));
    const warmers = VIEWS.flatMap((view) =>
      Array.from({ length: processes }, (_, p) =>
        everyone.filter((w) => w.view === view && w.server % processes === p).slice(0, 2),
      ).flat(),
    );
    await workers[0].channel.call('warm', {
      urls: servers.processes.map((p) => p.url),
      discussionId: meeting.discussionId,
      afterSequence: meeting.lastSequence,
      watchers: warmers,
      comments: 0,
      votes: 0,
      concurrency: warmers.length,
      joinRate: null,
    } satisfies ConnectRequest);
    await sleep(1000); // their leaving settles (presence)
    const empty = await sampleServers(servers, true);

    let join: RunRecord['join'] = { ms: 0, failures: 0, errors: [], watchMs: [] };
    const joinPhase = await phase('join', servers, workers, async () => {
      const parts = await Promise.all(
        workers.map((w, wi) =>
          w.channel.call<RunRecord['join']>('connect', {
            urls,
            discussionId: meeting.discussionId,
            afterSequence: meeting.lastSequence,
            watchers: meeting.watchers
              .map((watcher, i) => ({ ...watcher, server: i }))
              .filter((_, i) => i % workers.length === wi),
            comments: count,
            votes: count,
            concurrency: options.concurrency,
            joinRate: options.joinRate === null ? null : options.joinRate / workers.length,
          } satisfies ConnectRequest),
        ),
      );
      join = {
        ms: Math.max(...parts.map((p) => p.ms)),
        failures: parts.reduce((s, p) => s + p.failures, 0),
        errors: parts.flatMap((p) => p.errors),
        watchMs: parts.flatMap((p) => p.watchMs),
      };
      log(
        `   joined ${n} in ${(join.ms / 1000).toFixed(1)} s (${join.failures} failed); presence settling`,
      );
      // Presence has settled once no presence message arrived for 2 s (at most 3 min).
      const settled = await waitFor(
        async () =>
          performance.timeOrigin + performance.now() - (await sumProgress(workers)).lastPresenceAt >
          2000,
        180_000,
      );
      return { complete: settled };
    });
    const joined = await sampleServers(servers, true);
    await sleep(options.idleSettleS * 1000);

    const idle = await phase('idle', servers, workers, async () => {
      await sleep(options.idleS * 1000);
      return {};
    });

    /** The requests of a kind of write, to this run's server. */
    const requestsFor = (writeKind: WriteKind) =>
      kind === 'quorum'
        ? quorumRequests(urls[0], meeting)
        : baselineRequests(
            urls[0],
            writeKind === 'comment' ? options.commentBytes : options.pollBytes,
          );
    /** Until nothing has arrived for a second (or the drain time is over). */
    const untilQuiet = () =>
      waitFor(
        async () =>
          performance.timeOrigin + performance.now() - (await sumProgress(workers)).lastMessageAt >
          QUIET_MS,
        options.drainS * 1000,
      );

    if (options.warmupS > 0) {
      // Marks past the measured ones: the clients count none of them.
      const warm = Math.round(options.rate * options.warmupS);
      const requests = requestsFor('comment');
      log(`   warm-up: ${warm} comments at ${options.rate}/s, not measured`);
      await offer('comment', warm, options.rate, (writeKind, mark) =>
        requests(writeKind, count + mark),
      );
      await untilQuiet();
    }

    const sentAt: Record<WriteKind, number[]> = { comment: [], vote: [] };
    const writePhases: PhaseRecord[] = [];
    for (const writeKind of ['comment', 'vote'] as const) {
      const requests = requestsFor(writeKind);
      const expected = (n - join.failures) * count;
      log(`   ${writeKind}s: ${count} at ${options.rate}/s`);
      writePhases.push(
        await phase(`${writeKind}s`, servers, workers, async () => {
          const offered = await offer(writeKind, count, options.rate, requests);
          sentAt[writeKind] = offered.sentAt;
          const field = writeKind === 'comment' ? 'comments' : 'votes';
          const complete = await waitFor(
            async () => (await sumProgress(workers))[field] >= expected,
            options.drainS * 1000,
          );
          const drainMs =
            performance.timeOrigin + performance.now() - offered.sentAt[offered.sentAt.length - 1];
          // Every mark can arrive before the work behind it is done (a poll read after the last
          // vote shows every vote while earlier votes' timeline entries are still going out):
          // the phase, its CPU and its traffic end once nothing has arrived for a second.
          await untilQuiet();
          const { sentAt: _sent, ...rest } = offered;
          return {
            writes: { ...rest, count },
            drainMs,
            complete,
          };
        }),
      );
      const last = writePhases[writePhases.length - 1];
      if (last.writes?.failures)
        log(`   ${last.writes.failures} writes failed: ${last.writes.firstError}`);
      if (!last.complete) log(`   not every delivery arrived within ${options.drainS} s`);
    }

    const traffic = await Promise.all(
      workers.map((w) => w.channel.call<RunRecord['traffic']>('traffic')),
    );
    const viewParts = await Promise.all(
      workers.map((w) =>
        w.channel.call<RunRecord['views']>('results', {
          commentSentAt: sentAt.comment,
          voteSentAt: sentAt.vote,
        }),
      ),
    );
    return {
      kind,
      n,
      processes,
      clientWorkers: workers.length,
      join,
      phases: [joinPhase, idle, ...writePhases],
      memory: { empty, joined },
      traffic: mergeTraffic(traffic),
      views: mergeViews(viewParts),
      loadAverage: { start: loadStart, end: (await import('node:os')).loadavg() },
    };
  } finally {
    for (const w of workers) await w.stop().catch(() => undefined);
    await servers.stop();
  }
}

function mergeTraffic(parts: Array<RunRecord['traffic']>): RunRecord['traffic'] {
  const out: RunRecord['traffic'] = {};
  for (const part of parts)
    for (const [phaseName, byEvent] of Object.entries(part))
      for (const [event, t] of Object.entries(byEvent)) {
        const slot = ((out[phaseName] ??= {})[event] ??= { messages: 0, bytes: 0 });
        slot.messages += t.messages;
        slot.bytes += t.bytes;
      }
  return out;
}

function mergeViews(parts: Array<RunRecord['views']>): RunRecord['views'] {
  const out: RunRecord['views'] = {};
  for (const part of parts)
    for (const [view, v] of Object.entries(part)) {
      const slot = out[view];
      if (!slot) {
        out[view] = v;
        continue;
      }
      for (const [key, value] of Object.entries(v)) {
        if (Array.isArray(value)) slot[key] = (slot[key] as number[]).concat(value as number[]);
        else slot[key] = (slot[key] as number) + (value as number);
      }
    }
  return out;
}
