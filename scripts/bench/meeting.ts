/**
 * A live meeting of 300 (issue 13): every participant connected to one
 * meeting; within 10 s each raises a hand and votes in a hidden quick vote;
 * the facilitator calls speakers and reveals the results. Measures
 * action-to-everyone latency (from the action's emission until every screen
 * has it) for hand raises, queue changes, vote tallies and the reveal, and
 * the server's CPU, against a baseline in the same run: the same number of
 * sockets receiving a bare Socket.IO broadcast of a same-sized payload from a
 * server doing nothing else, twice: one broadcast at a time (the issue's
 * baseline), and at the meeting's own pace (the hand window's broadcasts
 * replayed at the moments they went out, so the floor meets the same bursts).
 * Also the time from a raise to the server's answer that it is stored.
 *
 * Quorum runs in a child process (exactly `main.ts`) on the embedded engine
 * in a process of its own; only the clients run here, so the server's CPU
 * (app and engine) is measured apart from theirs. Prints a table, writes bench-results/meeting-<time>.json.
 *
 *   npx tsx scripts/bench/meeting.ts [--participants 300] [--window 10] [--calls 20]
 *     [--warmup K] (before the measured window, K participants raise and lower a hand twice,
 *       within a second each time, then vote in a quick vote of its own, which is closed and
 *       revealed; not measured: a server's first raises and votes run on code not yet
 *       compiled, once per process lifetime; default 0)
 *     [--server-node-arg=FLAG ...] (node flags for the Quorum process, e.g. --cpu-prof)
 *     [--engine-cpu-prof DIR] (a CPU profile of the engine's process)
 *     [--hands FILE] (one line per raise: see meeting-measures.ts)
 *     [--cold] (participants' screens skip the web client's opening requests)
 *     [--embedded] (Quorum on its own embedded engine, as `npm start` runs it, not on one in a process of its own)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { applyMeetingPatch, type MeetingPatchDto } from '../../shared/meeting-patch.js';
import type { HandDto, MeetingAction, MeetingDto } from '../../shared/meetings.js';
import { signSession } from '../../server/src/auth/session-token.js';
import { loadConfig } from '../../server/src/config.js';
import { MeetingModel } from '../../server/src/models/meeting.js';
import { freePort, QuorumChild, sharedSecret } from '../../server/src/realtime/test-process.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { cpuSecondsOf, startEngineProcess } from './engine-process.js';
import { percentile } from './stats.js';
import { databaseRequests, perAction, requestsSince, writeHands } from './meeting-measures.js';
import { REPO_ROOT } from './target.js';
import {
  baseline,
  connectAll,
  restVote,
  sleep,
  summary,
  until,
  type Client,
} from './meeting-clients.js';
import { warmUp } from './meeting-warmup.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '300' },
    window: { type: 'string', default: '10' },
    calls: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '0' },
    out: { type: 'string', default: 'bench-results' },
    'server-node-arg': { type: 'string', multiple: true, default: [] },
    'engine-cpu-prof': { type: 'string' },
    hands: { type: 'string' },
    cold: { type: 'boolean', default: false },
    embedded: { type: 'boolean', default: false },
  },
});
const N = Number(values.participants);
const WINDOW_MS = Number(values.window) * 1000;
const CALLS = Number(values.calls);
const WARMUP = Math.min(Number(values.warmup), Number(values.participants));

async function main(): Promise<void> {
  // The engine in a process of its own, so the 300 clients here do not slow the database down.
  // `--embedded`: seeded there, then Quorum opens the same data with its own engine (as `npm start`).
  const dataDir = values.embedded
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'quorum-meeting-bench-'))
    : undefined;
  const engine = await startEngineProcess({ cpuProfDir: values['engine-cpu-prof'], dataDir });
  const engineUri = engine.uri;
  const jwtSecret = sharedSecret();
  const dbName = loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:' }).dbName;
  await mongoose.connect(engineUri, { dbName });
  await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));

  console.log(`seeding ${N} participants…`);
  const group = await buildGroup({ privacy: 'closed' });
  const people: UserDocument[] = [];
  for (let i = 0; i < N; i++) people.push(await addMember(group, await buildUser()));
  const discussion = await buildDiscussion({ group });
  const meeting = await MeetingModel.create({
    groupId: group._id,
    discussionIds: [discussion._id],
    title: 'General assembly',
    scheduledAt: new Date(),
    expectedMinutes: 45,
    createdById: group.coordinator._id,
    facilitatorIds: [group.coordinator._id],
    agenda: [{ id: 'item1', clientId: 'bench-item-1', title: 'Motions', timeboxSeconds: 1800 }],
  });
  const meetingId = String(meeting._id);

  if (dataDir) {
    await mongoose.disconnect();
    await engine.stop();
  }
  const port = await freePort();
  const app = new QuorumChild({
    ...(dataDir ? { dataDir } : { mongodbUri: engineUri }),
    port,
    jwtSecret,
    nodeArgs: values['server-node-arg'],
    // The mail jobs run once at start and not again within the run: the quick vote's poll would
    // otherwise have its new-poll email collected for every participant during the votes, which
    // is not what this bench measures. Set MAIL_INTERVAL_MS to include them.
    // Quorum as deployed (NODE_ENV=production), not with the test suite's settings: tests poll
    // the change feed every 50 ms so that closing it is quick, which a server never does.
    env: { MAIL_INTERVAL_MS: process.env.MAIL_INTERVAL_MS ?? '3600000', NODE_ENV: 'production' },
  });
  await app.start();
  const token = (u: { _id: unknown; tokenVersion: number }) =>
    signSession(String(u._id), u.tokenVersion, jwtSecret);
  console.log(`connecting ${N + 1} sockets…`);
  const [facilitator, ...participants] = await connectAll(app.url, [
    { token: token(group.coordinator) },
    ...people.map((p) => ({ token: token(p) })),
  ]);
  const everyone = [facilitator, ...participants];
  if (!values.cold) {
    // Each participant's screen opened the app first, as the web client does (App.tsx): who is signed in, and
    // one's own restrictions. `--cold`: sockets alone, each first action finds nothing held.
    console.log('opening the app on each screen…');
    for (let i = 0; i < people.length; i += 25)
      await Promise.all(
        people.slice(i, i + 25).map(async (person) => {
          for (const path of ['/api/session', '/api/moderation/me']) {
            const res = await fetch(`${app.url}${path}`, {
              headers: { authorization: `Bearer ${token(person)}` },
            });
            if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
          }
        }),
      );
  }
  /**
   * Per socket, what the measures need of the states it received (not the
   * states themselves: 300 sockets keeping every 60 kB state do not fit in memory).
   */
  interface Seen {
    live: boolean;
    queueLength: number;
    /** When each person's hand first showed in this socket's queue. */
    hands: Map<string, number>;
    speakers: Array<{ at: number; handId: string | null }>;
    ballots: Array<{ at: number; ballots: number }>;
    pollId: string | null;
    revealedAt: number | null;
    resultsBeforeReveal: boolean;
  }
  const seen: Seen[] = everyone.map(() => ({
    live: false,
    queueLength: 0,
    hands: new Map(),
    speakers: [],
    ballots: [],
    pollId: null,
    revealedAt: null,
    resultsBeforeReveal: false,
  }));
  let sizes: number[] = [];
  /** The facilitator's messages (patches, or whole states) during the hands, one of which the baseline broadcasts. */
  let states: MeetingDto[] = [];
  /** When the facilitator received each of them. */
  let stateTimes: number[] = [];
  /** Each socket's current state, whole or made of the patches it received (as the web client does). */
  const held: Array<MeetingDto | null> = everyone.map(() => null);
  const observe = (
    i: number,
    state: MeetingDto,
    newHands: readonly HandDto[],
    bytes: number,
    at: number,
  ) => {
    const s = seen[i];
    held[i] = state;
    s.live ||= state.state === 'live';
    s.queueLength = state.queue.length;
    for (const hand of newHands)
      if (hand.user && !s.hands.has(hand.user.id)) s.hands.set(hand.user.id, at);
    s.speakers.push({ at, handId: state.speaker?.handId ?? null });
    if (state.quickVote) {
      // A new quick vote (after the warm-up's): what was seen of the last one is not this one's.
      if (s.pollId !== null && s.pollId !== state.quickVote.pollId)
        Object.assign(s, { ballots: [], revealedAt: null, resultsBeforeReveal: false });
      s.pollId = state.quickVote.pollId;
      if (state.quickVote.ballots !== null)
        s.ballots.push({ at, ballots: state.quickVote.ballots });
      if (state.quickVote.poll?.results !== undefined) {
        if (state.quickVote.revealed) s.revealedAt ??= at;
        else s.resultsBeforeReveal = true;
      }
    }
    if (i === 0) sizes.push(bytes);
  };
  let gaps = 0;
  /**
   * A message is timestamped as it arrives and its bookkeeping (applying the
   * patch, noting what it shows) runs after the messages that arrived with it:
   * 300 screens share this one thread, where each browser has its own, so the
   * last socket's time would otherwise include 299 other screens' work.
   */
  const inbox: Array<() => void> = [];
  const flush = () => {
    for (const work of inbox.splice(0)) work();
  };
  const later = (work: () => void) => {
    if (inbox.push(work) === 1) setImmediate(flush);
  };
  /**
   * Screens holding the same state hold one object: a broadcast is the same
   * patch for every screen of its view, so it is applied once for all of them
   * and only checked (its base against the screen's version) per screen.
   */
  const same = new Map<string, MeetingDto>();
  const shared = (state: MeetingDto): MeetingDto => {
    const key = JSON.stringify(state);
    const known = same.get(key);
    if (known) return known;
    same.set(key, state);
    return state;
  };
  const applied = new WeakMap<MeetingDto, MeetingDto>();
  const apply = (before: MeetingDto, patch: MeetingPatchDto): MeetingDto | null => {
    const known = applied.get(before);
    if (known?.version === patch.version && known.view === patch.view) return known;
    const next = applyMeetingPatch(before, patch);
    if (next) applied.set(before, next);
    return next;
  };
  const bytesOf = (i: number, message: unknown) => (i === 0 ? JSON.stringify(message).length : 0);
  everyone.forEach((socket, i) => {
    socket.on('meeting:state', (state: MeetingDto) => {
      const at = Date.now();
      later(() => observe(i, shared(state), state.queue, bytesOf(i, state), at));
      if (i !== 0) return;
      states.push(state);
      stateTimes.push(at);
    });
    socket.on('meeting:patch', (patch: MeetingPatchDto) => {
      const at = Date.now();
      later(() => {
        const before = held[i];
        const next = before ? apply(before, patch) : null;
        if (!next) return void gaps++;
        const q = patch.queue;
        const newHands = !q ? [] : 'all' in q ? q.all : q.placed.map((p) => p.hand);
        observe(i, next, newHands, bytesOf(i, patch), at);
      });
      if (i !== 0) return;
      states.push(patch as unknown as MeetingDto);
      stateTimes.push(at);
    });
  });
  await Promise.all(
    everyone.map(
      (socket, i) =>
        new Promise((resolve) =>
          socket.emit('meeting:watch', { meetingId }, (reply) => {
            flush();
            if ('data' in reply && (held[i]?.version ?? 0) <= reply.data.version)
              held[i] = shared(reply.data);
            resolve(reply);
          }),
        ),
    ),
  );
  const act = (socket: Client, action: MeetingAction) =>
    new Promise<void>((resolve, reject) =>
      socket.emit('meeting:act', { meetingId, action }, (r) =>
        'error' in r ? reject(new Error(r.error.id)) : resolve(),
      ),
    );
  const positions = ['agree', 'agree', 'abstain', 'disagree'];
  /** Person `i` votes in the poll, through REST as the web client does; resolves when it is stored. */
  const vote = (pollId: string, i: number) =>
    restVote(app.url, token(people[i]), pollId, positions[i % 4]);
  const openVote = (title: string) =>
    act(facilitator, {
      type: 'vote.open',
      clientId: `bench-${title}`,
      kind: 'proposal',
      title,
      durationSeconds: 600,
      hidden: true,
    });
  await act(facilitator, { type: 'meeting.start' });
  await until(() => seen.every((x) => x.live), 30_000, 'start');
  if (WARMUP > 0) {
    await warmUp({ count: WARMUP, participants, seen, act, facilitator, vote, openVote });
    for (const x of seen) x.hands.clear();
    [sizes, states, stateTimes] = [[], [], []];
  }

  const cpu0 = cpuSecondsOf(app.pid!);
  /** The engine's own process's CPU (embedded: counted in the app's). */
  const engineCpuNow = () => (dataDir ? 0 : engine.cpuSeconds());
  const engineCpu0 = engineCpuNow();
  const started = Date.now();
  const requests0 = await databaseRequests();

  // 1. Hand raises, spread over the window.
  console.log('hands…');
  const raisedAt = new Map<string, number>();
  /** From the raise until the server answered that it is stored (the command alone). */
  const storedLatencies: number[] = [];
  const storedAt = new Map<string, number>();
  await Promise.all(
    participants.map(async (socket, i) => {
      await sleep(Math.random() * WINDOW_MS);
      const at = Date.now();
      raisedAt.set(String(people[i]._id), at);
      await act(socket, {
        type: 'hand.raise',
        kind: i % 10 === 0 ? 'direct_reply' : 'speak',
        clientId: `bench-hand-${i}`,
      });
      storedLatencies.push(Date.now() - at);
      storedAt.set(String(people[i]._id), Date.now());
    }),
  );
  await until(() => seen.every((x) => x.queueLength === N), 120_000, 'all hands');
  const handRequests = requestsSince(requests0, await databaseRequests());
  const handLatencies: number[] = [];
  for (const x of seen)
    for (const [userId, at] of raisedAt) handLatencies.push((x.hands.get(userId) ?? NaN) - at);
  if (values.hands) writeHands(values.hands, raisedAt, storedAt, seen);
  const handSizes = sizes;
  const handStates = states;
  const handPace = stateTimes.map((at) => at - stateTimes[0]);
  stateTimes = [];
  sizes = [];
  states = [];

  // 2. Queue changes: the facilitator calls the next speaker, one call after another.
  console.log('queue changes…');
  const callLatencies: number[] = [];
  let from: string | null = null;
  for (let c = 0; c < CALLS; c++) {
    const marks = seen.map((x) => x.speakers.length);
    const t0 = Date.now();
    await act(facilitator, { type: 'speaker.next', from });
    const changed = (i: number) => seen[i].speakers.slice(marks[i]).find((x) => x.handId !== from);
    await until(() => seen.every((_, i) => changed(i) !== undefined), 30_000, 'speaker call');
    for (let i = 0; i < seen.length; i++) callLatencies.push(changed(i)!.at - t0);
    from = changed(0)!.handId;
    await sleep(100);
  }

  // 3. A hidden quick vote: everyone votes within the window (REST, as the web client does).
  console.log('votes…');
  const before = seen[0].pollId;
  await openVote('Adopt the motion?');
  await until(
    () => seen.every((x) => x.pollId !== null && x.pollId !== before),
    30_000,
    'vote open',
  );
  const pollId = seen[0].pollId!;
  const voteSent: number[] = [];
  await Promise.all(
    people.map(async (_, i) => {
      await sleep(Math.random() * WINDOW_MS);
      const sent = Date.now();
      await vote(pollId, i);
      voteSent.push(sent);
    }),
  );
  // Tallies (ballots cast) reach the facilitators' view only while results are hidden.
  await until(() => seen[0].ballots.at(-1)?.ballots === N, 180_000, 'all ballots');
  voteSent.sort((a, b) => a - b);
  const tallyLatencies = voteSent.map((sent, k) => {
    const shown = seen[0].ballots.find((x) => x.ballots >= k + 1);
    return (shown?.at ?? NaN) - sent;
  });
  const leaked = seen.some((x) => x.resultsBeforeReveal);

  // 4. The reveal.
  console.log('reveal…');
  const revealAt = Date.now();
  await act(facilitator, { type: 'vote.reveal' });
  await until(() => seen.every((x) => x.revealedAt !== null), 30_000, 'reveal');
  const revealLatencies = seen.map((x) => x.revealedAt! - revealAt);

  const wall = (Date.now() - started) / 1000;
  const cpu = cpuSecondsOf(app.pid!) - cpu0;
  const engineCpu = engineCpuNow() - engineCpu0;
  const payloadBytes = Math.round(
    percentile(
      [...handSizes].sort((a, b) => a - b),
      50,
    ),
  );
  const broadcastsDuringHands = handSizes.length;
  for (const socket of everyone) socket.disconnect();
  await app.stop();
  await mongoose.disconnect();
  await engine.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });

  console.log('baseline…');
  // The state of median size: same bytes and the same structure to decode as the meeting's.
  const median = handStates.find((state) => JSON.stringify(state).length >= payloadBytes);
  const payload = median ?? handStates.at(-1);
  const base = await baseline(N + 1, payload, Math.min(100, Math.max(20, broadcastsDuringHands)));
  console.log('baseline at the meeting’s pace…');
  const paced = await baseline(N + 1, payload, handPace);

  const rows = {
    'hand raise': summary(handLatencies),
    'hand stored (ack)': summary(storedLatencies),
    'queue change': summary(callLatencies),
    'vote tally (facilitator)': summary(tallyLatencies),
    reveal: summary(revealLatencies),
    'baseline broadcast': { ...summary([]), ...base },
    'baseline, meeting pace': { ...summary([]), ...paced },
  };
  console.log(
    `\nMeeting of ${N} participants (+1 facilitator), ${values.window} s windows${WARMUP > 0 ? ` after a warm-up of ${WARMUP} hands and ballots` : ''}; payload ~${payloadBytes} B (median message during hands, a patch; the baseline broadcasts that message)\n`,
  );
  console.log(
    'measure                    samples   p50 ms   p99 ms   max ms   p99 / baseline   p99 / paced',
  );
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  for (const [name, r] of Object.entries(rows))
    console.log(
      `${name.padEnd(26)} ${String(r.samples).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.max).padStart(8)} ${ratio(r.p99, base.p99).padStart(16)} ${ratio(r.p99, paced.p99).padStart(13)}`,
    );
  console.log(
    `\nbaseline: one broadcast at a time, 50 ms apart; paced: the ${handPace.length} broadcasts of the hand window at the moments the facilitator received them`,
  );
  console.log(
    `\nserver (app process) CPU: ${cpu.toFixed(1)} s over ${wall.toFixed(1)} s = ${Math.round((100 * cpu) / wall)}% of one core`,
  );
  console.log(
    dataDir
      ? 'database engine: embedded in the app process (its CPU is counted above)'
      : `database engine (own process) CPU: ${engineCpu.toFixed(1)} s = ${Math.round((100 * engineCpu) / wall)}% of one core`,
  );
  console.log(
    `baseline server CPU: ${base.cpuSeconds.toFixed(1)} s (${base.cpuPercent}% of one core); paced: ${paced.cpuSeconds.toFixed(1)} s (${paced.cpuPercent}%)`,
  );
  console.log(
    `meeting states broadcast during the hand window: ${broadcastsDuringHands} (coalesced from ${N} raises)`,
  );
  if (handRequests)
    console.log(
      `database requests per raise (engine's counters, whole hand window): ${perAction(handRequests, N)}`,
    );
  console.log(`results reached a participant before the reveal: ${leaked ? 'YES (bug)' : 'no'}`);
  console.log(`patches that did not apply (would ask for the whole state): ${gaps}`);

  const dir = path.resolve(REPO_ROOT, values.out);
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(
    {
      at: new Date().toISOString(),
      participants: N,
      embeddedEngine: Boolean(dataDir),
      windowSeconds: Number(values.window),
      warmupHands: WARMUP,
      payloadBytes,
      broadcastsDuringHands,
      databaseRequestsDuringHands: handRequests,
      gaps,
      serverCpuSeconds: cpu,
      engineCpuSeconds: engineCpu,
      wallSeconds: wall,
      leaked,
      rows,
    },
    null,
    2,
  );
  fs.writeFileSync(path.join(dir, `meeting-${Date.now()}.json`), text);
  fs.writeFileSync(path.join(dir, 'meeting-latest.json'), text);
}

await main();
process.exit(0);
