/**
 * The client harness of the fan-out benchmark: many socket.io-client sockets
 * in one process (apart from every server, so the servers' CPU is theirs
 * alone), the same for Quorum and both baselines. It connects and watches,
 * timestamps every delivery, counts every message and its bytes per event
 * name and phase, and at the end turns arrivals into per-view latencies,
 * misses and duplicates. Marks: a comment's body carries `bench c<k>` (on
 * `comment:upserted`, or on the `timeline:event` that brings a new one); a
 * poll's `voterCount` reaching k marks vote k.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { serve } from './ipc.js';
import type { WatcherView } from './seed.js';

export interface ConnectRequest {
  urls: string[];
  discussionId: string;
  /** Sent with each watch, as the web client sends the last sequence its page loaded. */
  afterSequence: number;
  /** Watchers of this worker; socket i connects to urls[server % urls.length]. */
  watchers: Array<{ view: WatcherView; token: string | null; server: number }>;
  comments: number;
  votes: number;
  concurrency: number;
  /** Sockets this worker opens per second at most (null: as fast as they connect). */
  joinRate: number | null;
}

interface Watcher {
  view: WatcherView;
  socket: Socket;
  watchMs: number;
  maxVoterCount: number;
  pollMessages: number;
  /** poll:upserted messages that moved this socket's count nowhere (duplicates). */
  pollStale: number;
  sequences: Map<number, number>;
}

const now = () => performance.timeOrigin + performance.now();
const COMMENT_MARK = /^bench c(\d+)$/;

let watchers: Watcher[] = [];
let commentsAt = new Float64Array(0);
let commentCounts = new Uint8Array(0);
let votesAt = new Float64Array(0);
let marks = { comments: 0, votes: 0 };
let phase = 'setup';
const traffic = new Map<string, Map<string, { messages: number; bytes: number }>>();
let lastPresenceAt = 0;
/** When any message last arrived (a phase ends once the server has gone quiet). */
let lastMessageAt = 0;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

function countPacket(data: string): void {
  let event = 'other';
  if (data.startsWith('2')) {
    const start = data.indexOf('["');
    if (start >= 0 && start < 20) event = data.slice(start + 2, data.indexOf('"', start + 2));
  } else if (data.startsWith('3')) event = 'ack';
  lastMessageAt = now();
  if (event.startsWith('presence:')) lastPresenceAt = now();
  let byEvent = traffic.get(phase);
  if (!byEvent)
    traffic.set(phase, (byEvent = new Map<string, { messages: number; bytes: number }>()));
  const entry = byEvent.get(event) ?? { messages: 0, bytes: 0 };
  entry.messages += 1;
  entry.bytes += Buffer.byteLength(data);
  byEvent.set(event, entry);
}

function listen(w: Watcher, index: number): void {
  const manager = w.socket.io;
  manager.on('open', () =>
    manager.engine.on('packet', (packet: { type: string; data?: unknown }) => {
      if (packet.type === 'message' && typeof packet.data === 'string') countPacket(packet.data);
    }),
  );
  const onComment = (comment: { body?: string }) => {
    const match = COMMENT_MARK.exec(comment.body ?? '');
    if (!match) return;
    const mark = Number(match[1]);
    if (mark < 1 || mark > marks.comments) return;
    const slot = index * marks.comments + mark - 1;
    if (commentCounts[slot] < 255) commentCounts[slot] += 1;
    if (Number.isNaN(commentsAt[slot])) commentsAt[slot] = now();
  };
  // Quorum sends a new comment on its timeline entry; the baselines send it alone.
  w.socket.on('comment:upserted', onComment);
  // A tally arrives alone, or (Quorum, votes everyone sees at once) on the vote's timeline entry.
  const onPoll = (poll: { voterCount?: number }) => {
    w.pollMessages += 1;
    const count = Math.min(poll.voterCount ?? 0, marks.votes);
    const at = now();
    if (count <= w.maxVoterCount) w.pollStale += 1;
    for (let k = w.maxVoterCount + 1; k <= count; k++) votesAt[index * marks.votes + k - 1] = at;
    w.maxVoterCount = Math.max(w.maxVoterCount, count);
  };
  w.socket.on('poll:upserted', onPoll);
  type Entry = { sequence: number; comment?: { body?: string }; poll?: { voterCount?: number } };
  w.socket.on('timeline:event', (event: Entry) => {
    w.sequences.set(event.sequence, (w.sequences.get(event.sequence) ?? 0) + 1);
    if (event.comment) onComment(event.comment);
    if (event.poll) onPoll(event.poll);
  });
}

async function open(request: ConnectRequest, i: number): Promise<void> {
  const spec = request.watchers[i];
  const socket = io(request.urls[spec.server % request.urls.length], {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    auth: spec.token ? { token: spec.token } : {},
  });
  const w: Watcher = {
    view: spec.view,
    socket,
    watchMs: NaN,
    maxVoterCount: 0,
    pollMessages: 0,
    pollStale: 0,
    sequences: new Map(),
  };
  watchers[i] = w;
  listen(w, i);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const started = now();
  const reply = await new Promise<{ data?: unknown }>((resolve) =>
    socket.emit(
      'discussion:watch',
      { discussionId: request.discussionId, afterSequence: request.afterSequence },
      resolve,
    ),
  );
  if (!reply.data) throw new Error(`watch refused: ${JSON.stringify(reply)}`);
  w.watchMs = now() - started;
}

async function connectAll(request: ConnectRequest) {
  marks = { comments: request.comments, votes: request.votes };
  const n = request.watchers.length;
  commentsAt = new Float64Array(n * marks.comments).fill(NaN);
  commentCounts = new Uint8Array(n * marks.comments);
  votesAt = new Float64Array(n * marks.votes).fill(NaN);
  watchers = new Array<Watcher>(n);
  const started = now();
  let next = 0;
  let failures = 0;
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(request.concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        const due = request.joinRate === null ? 0 : started + (i * 1000) / request.joinRate;
        if (due > now()) await new Promise((resolve) => setTimeout(resolve, due - now()));
        await open(request, i).catch((error: unknown) => {
          failures += 1;
          if (errors.length < 3) errors.push(String(error));
        });
      }
    }),
  );
  return {
    ms: now() - started,
    failures,
    errors,
    watchMs: watchers.map((w) => ({ view: w.view, ms: w.watchMs })),
  };
}

/** How far delivery has come: (socket, comment) pairs and (socket, vote) pairs received. */
function progress() {
  let comments = 0;
  for (const at of commentsAt) if (!Number.isNaN(at)) comments++;
  let votes = 0;
  for (const w of watchers) votes += w?.maxVoterCount ?? 0;
  return {
    comments,
    votes,
    lastPresenceAt,
    lastMessageAt,
    connected: watchers.filter((w) => w?.socket.connected).length,
  };
}

/** Per view: latency samples (ms, from each write's send time), misses and duplicates. */
function results(request: { commentSentAt: number[]; voteSentAt: number[] }) {
  const views = new Map<
    string,
    Record<string, unknown> & { commentMs: number[]; voteMs: number[] }
  >();
  const C = marks.comments;
  const V = marks.votes;
  watchers.forEach((w, i) => {
    // A socket that never joined is counted once, as a join failure, not 600 times as misses.
    if (!w || Number.isNaN(w.watchMs)) return;
    let v = views.get(w.view);
    if (!v) {
      v = {
        commentMs: [],
        voteMs: [],
        sockets: 0,
        commentMisses: 0,
        commentDuplicates: 0,
        voteMisses: 0,
        pollMessages: 0,
        pollStale: 0,
        timelineEvents: 0,
        timelineDuplicates: 0,
      };
      views.set(w.view, v);
    }
    const add = (key: string, n: number) => (v[key] = (v[key] as number) + n);
    add('sockets', 1);
    for (let k = 0; k < Math.min(C, request.commentSentAt.length); k++) {
      const count = commentCounts[i * C + k];
      if (count === 0) add('commentMisses', 1);
      else {
        if (count > 1) add('commentDuplicates', count - 1);
        v.commentMs.push(commentsAt[i * C + k] - request.commentSentAt[k]);
      }
    }
    for (let k = 0; k < Math.min(V, request.voteSentAt.length); k++) {
      const at = votesAt[i * V + k];
      if (Number.isNaN(at)) add('voteMisses', 1);
      else v.voteMs.push(at - request.voteSentAt[k]);
    }
    add('pollMessages', w.pollMessages);
    add('pollStale', w.pollStale);
    for (const count of w.sequences.values()) {
      add('timelineEvents', 1);
      if (count > 1) add('timelineDuplicates', count - 1);
    }
  });
  return Object.fromEntries(views);
}

/**
 * Sockets that watch and leave before the server's empty heap is sampled:
 * what a process builds once, on its first watchers of each view (code
 * compiled, structures made), is not counted as any connection's.
 */
async function warm(request: ConnectRequest): Promise<null> {
  const sockets = await Promise.all(
    request.watchers.map(async (spec) => {
      const socket = io(request.urls[spec.server % request.urls.length], {
        forceNew: true,
        reconnection: false,
        transports: ['websocket'],
        auth: spec.token ? { token: spec.token } : {},
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const watch = { discussionId: request.discussionId, afterSequence: request.afterSequence };
      const reply = await new Promise<{ data?: unknown }>((resolve) =>
        socket.emit('discussion:watch', watch, resolve),
      );
      if (!reply.data) throw new Error(`warm-up watch refused: ${JSON.stringify(reply)}`);
      return socket;
    }),
  );
  for (const socket of sockets) socket.disconnect();
  return null;
}

serve({
  connect: (request: ConnectRequest) => connectAll(request),
  warm: (request: ConnectRequest) => warm(request),
  phase: (name: string) => {
    phase = name;
    return null;
  },
  progress: () => progress(),
  traffic: () =>
    Object.fromEntries([...traffic].map(([name, byEvent]) => [name, Object.fromEntries(byEvent)])),
  load: () => {
    const cpu = process.cpuUsage();
    const reading = { cpuMs: (cpu.user + cpu.system) / 1000, loopMaxMs: loop.max / 1e6 };
    loop.reset();
    return reading;
  },
  results: (request: { commentSentAt: number[]; voteSentAt: number[] }) => results(request),
  stop: () => {
    for (const w of watchers) w?.socket.disconnect();
    setTimeout(() => process.exit(0), 200);
    return null;
  },
});
process.send?.({ ready: true, url: '', pid: process.pid });
