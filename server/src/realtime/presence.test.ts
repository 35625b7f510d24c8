import { expect } from 'chai';
import mongoose from 'mongoose';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AckResponse,
  DiscussionPresence,
  DiscussionTyping,
  ServerToClientEvents,
} from '../../../shared/events.js';
import { silentLogger } from '../logger.js';
import { PresenceModel } from '../models/presence.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { startRealtime, type Realtime } from './index.js';
import { PRESENCE_COLLECTION } from './presence.js';
import { DEFAULT_SOCKET_LIMITS } from './socket-limits.js';
import { presenceOf, TestClients, watch, type Client } from './test-clients.js';

/** Typing's own rate (client-events.ts enforces it, with every socket's limits). */
const TYPING = DEFAULT_SOCKET_LIMITS.perEvent['discussion:typing']!;

/** Short timings so expiry and lapses happen within a test. */
const FAST = { heartbeatMs: 150, ttlMs: 900, sweepMs: 100, typingMs: 400 };

interface Process {
  realtime: Realtime;
  clients: TestClients;
  close(): Promise<void>;
}

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/**
 * The first picture of who is viewing (the whole picture or a diff applied to
 * it, see `presenceOf`) or of who is typing that satisfies `test`, or a
 * rejection after `ms` (generous: across processes on a busy machine).
 */
function until<E extends 'presence:changed' | 'typing:changed'>(
  socket: Client,
  event: E,
  test: (payload: Payload<E>) => boolean,
  ms = 10_000,
): Promise<Payload<E>> {
  const events = event === 'presence:changed' ? ['presence:changed', 'presence:diff'] : [event];
  return new Promise((resolve, reject) => {
    const listener = ((payload: Payload<E>) => {
      const seen =
        event === 'presence:changed' ? presenceOf(socket, payload.discussionId) : payload;
      if (!seen || !test(seen)) return;
      clearTimeout(timer);
      for (const name of events) socket.off(name as E, listener);
      resolve(seen);
    }) as never;
    const timer = setTimeout(() => {
      for (const name of events) socket.off(name as E, listener);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    for (const name of events) socket.on(name as E, listener);
  });
}

const ids = (payload: DiscussionPresence | DiscussionTyping) =>
  ('viewers' in payload ? payload.viewers : payload.users).map((user) => user.id).sort();
const idsOf = (...users: UserDocument[]) => users.map((user) => String(user._id)).sort();

function typing(socket: Client, discussionId: string, on: boolean): Promise<AckResponse<null>> {
  return new Promise((resolve) =>
    socket.emit('discussion:typing', { discussionId, typing: on }, resolve),
  );
}

function rawTyping(socket: Client, request: unknown): Promise<AckResponse<null>> {
  return new Promise((resolve) => socket.emit('discussion:typing', request as never, resolve));
}

async function watching(clients: TestClients, user: UserDocument | null, discussionId: string) {
  const socket = await clients.connect(user);
  expect(await watch(socket, discussionId)).to.have.property('data');
  return socket;
}

async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('presence and typing, across processes', () => {
  let app: TestApp;
  let a: Process;
  let b: Process;

  /** Another app process: its own HTTP server, Socket.IO and change feed, on the same database. */
  async function startProcess(): Promise<Process> {
    const httpServer = createServer();
    httpServer.listen(0, '127.0.0.1');
    await once(httpServer, 'listening');
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const realtime = await startRealtime({
      httpServer,
      config: { jwtSecret: app.jwtSecret, publicUrl: url, port },
      logger: silentLogger,
      maxAwaitTimeMS: 50,
      presence: FAST,
    });
    await realtime.ready;
    const clients = new TestClients({ ...app, url });
    let closed: Promise<void> | null = null;
    return {
      realtime,
      clients,
      close() {
        clients.closeAll();
        return (closed ??= realtime.close());
      },
    };
  }

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    [a, b] = [await startProcess(), await startProcess()];
  });
  afterEach(() => {
    a.clients.closeAll();
    b.clients.closeAll();
  });
  after(async () => {
    await a.close();
    await b.close();
    await app.close();
  });

  async function publicDiscussion() {
    const group = await buildGroup({ privacy: 'open' });
    const discussion = await buildDiscussion({ group, private: false });
    return { group, id: String(discussion._id) };
  }

  it('shows members each other by name, and the visitor counts only', async () => {
    const { group, id } = await publicDiscussion();
    const [first, second] = [await addMember(group), await addMember(group)];
    const outsider = await buildUser();
    const visitor = await a.clients.connect(null);
    const visitorSaw: unknown[] = [];
    visitor.on('presence:changed', (payload) => visitorSaw.push(payload));
    visitor.on('presence:diff', (payload) => visitorSaw.push(payload));
    visitor.on('typing:changed', (payload) => visitorSaw.push(payload));
    const firstSocket = await watching(a.clients, first, id);
    const firstSees = until(firstSocket, 'presence:changed', (p) => p.visitors === 2);
    const visitorSees = until(visitor, 'presence:changed', (p) => p.visitors === 2);
    expect(await watch(visitor, id)).to.have.property('data');
    await watching(a.clients, second, id);
    // A signed-in non-participant reads a public discussion like a visitor: counted, never named.
    await watching(a.clients, outsider, id);

    const seen = await firstSees;
    expect(ids(seen)).to.deep.equal(idsOf(first, second));
    expect(seen).to.include({ discussionId: id, participants: 2, visitors: 2 });
    expect(seen.viewers.map((viewer) => viewer.name)).to.have.members([first.name, second.name]);
    const text = JSON.stringify(seen);
    for (const person of [first, second, outsider]) expect(text).not.to.include(person.email);
    expect(text).not.to.include(outsider.name);

    expect(await visitorSees).to.deep.equal({
      discussionId: id,
      viewers: [],
      participants: 2,
      visitors: 2,
    });
    // Listening before typing: the picture may arrive before the acknowledgement.
    const typed = until(firstSocket, 'typing:changed', (t) => t.users.length === 1);
    await typing(firstSocket, id, true);
    await typed;
    expect(visitorSaw).not.to.deep.equal([]);
    for (const payload of visitorSaw) {
      for (const named of ['viewers', 'joined', 'left'])
        if (named in (payload as object)) expect(payload).to.have.property(named).that.is.empty;
      expect(payload).to.satisfy((p: object) => 'viewers' in p || 'joined' in p);
      expect(JSON.stringify(payload)).not.to.include(first.name);
    }
  });

  it('removes the presence of a socket that unwatches or disconnects', async () => {
    const { group, id } = await publicDiscussion();
    const [first, second] = [await addMember(group), await addMember(group)];
    const firstSocket = await watching(a.clients, first, id);
    const both = until(firstSocket, 'presence:changed', (p) => p.participants === 2);
    const secondSocket = await watching(a.clients, second, id);
    await both;

    const alone = () => until(firstSocket, 'presence:changed', (p) => p.participants === 1);
    let left = alone();
    await new Promise((resolve) =>
      secondSocket.emit('discussion:unwatch', { discussionId: id }, resolve),
    );
    expect(ids(await left)).to.deep.equal(idsOf(first));

    const again = until(firstSocket, 'presence:changed', (p) => p.participants === 2);
    const secondAgain = await watching(a.clients, second, id);
    await again;
    left = alone();
    secondAgain.disconnect();
    expect(ids(await left)).to.deep.equal(idsOf(first));
    await eventually(async () => (await PresenceModel.countDocuments({ discussionId: id })) === 1);
  });

  it('shows who is typing, and clears it when they stop, go quiet or leave', async () => {
    const { group, id } = await publicDiscussion();
    const [first, second] = [await addMember(group), await addMember(group)];
    const firstSocket = await watching(a.clients, first, id);
    const secondSocket = await watching(a.clients, second, id);
    const isTyping = () => until(firstSocket, 'typing:changed', (t) => t.users.length === 1);
    const nobody = () => until(firstSocket, 'typing:changed', (t) => t.users.length === 0);

    let started = isTyping();
    expect(await typing(secondSocket, id, true)).to.deep.equal({ data: null });
    const shown = await started;
    expect(shown).to.deep.include({ discussionId: id });
    expect(ids(shown)).to.deep.equal(idsOf(second));
    expect(shown.users[0]).to.have.keys(['id', 'name', 'handle', 'avatarUrl', 'status']);

    let stopped = nobody();
    expect(await typing(secondSocket, id, false)).to.deep.equal({ data: null });
    await stopped;

    // Gone quiet: no repeat, so it lapses after typingMs even though the socket stays.
    started = isTyping();
    await typing(secondSocket, id, true);
    await started;
    const quietSince = Date.now();
    await nobody();
    expect(Date.now() - quietSince).to.be.below(FAST.typingMs + 600);

    started = isTyping();
    await typing(secondSocket, id, true);
    await started;
    stopped = nobody();
    secondSocket.disconnect();
    await stopped;
  });

  it('writes only what changed: a typist never rewrites the participants, and a document gone is written whole', async () => {
    const { group, id } = await publicDiscussion();
    const [first, second] = [await addMember(group), await addMember(group)];
    const firstSocket = await watching(a.clients, first, id);
    const secondSocket = await watching(a.clients, second, id);
    const ours = { _id: { $regex: `^${id}:` } };
    const stored = () => PresenceModel.findOne(ours).lean();
    await eventually(async () => (await stored())?.participants.length === 2);
    // What each write of this discussion's presence sets (mongoose reports every command it sends).
    const sets: string[][] = [];
    mongoose.set(
      'debug',
      (collection: string, method: string, filter: unknown, update: unknown) => {
        const target = (filter as { _id?: unknown } | null)?._id;
        if (collection !== PRESENCE_COLLECTION || method !== 'updateOne') return;
        if (typeof target !== 'string' || !target.startsWith(`${id}:`)) return;
        sets.push(Object.keys((update as { $set: object }).$set));
      },
    );
    try {
      const shown = until(firstSocket, 'typing:changed', (t) => t.users.length === 1);
      await typing(secondSocket, id, true);
      await shown;
      expect(sets).to.have.length(1);
      expect(sets[0]).to.include('typing').and.not.include('participants');
    } finally {
      mongoose.set('debug', false);
    }
    // Swept meanwhile (a stall): the next write, a typing change, stores the whole contribution.
    await PresenceModel.deleteMany(ours);
    const stopped = until(firstSocket, 'typing:changed', (t) => t.users.length === 0);
    await typing(secondSocket, id, false);
    await stopped;
    await eventually(async () => {
      const doc = await stored();
      return doc !== null && doc.participants.length === 2 && doc.typing.length === 0;
    });
  });

  it('refuses typing from a visitor, a socket not watching, malformed or too frequent events, changing nothing', async () => {
    const { group, id } = await publicDiscussion();
    const member = await addMember(group);
    const memberSocket = await watching(a.clients, member, id);
    const visitor = await watching(a.clients, null, id);
    const notWatching = await a.clients.connect(await addMember(group));
    const typists: DiscussionTyping[] = [];
    memberSocket.on('typing:changed', (t) => typists.push(t));

    expect(await typing(visitor, id, true)).to.have.nested.property(
      'error.id',
      'authorization_error',
    );
    expect(await typing(notWatching, id, true)).to.have.nested.property('error.id', 'not_found');
    for (const [request, field] of [
      [{ discussionId: { $ne: null }, typing: true }, 'discussionId'],
      [{ discussionId: id, typing: 'yes' }, 'typing'],
      [{ discussionId: id, typing: true, as: String(member._id) }, 'request'],
      [null, 'request'],
    ] as const) {
      const reply = await rawTyping(memberSocket, request);
      expect(reply, JSON.stringify(request)).to.have.nested.property(
        'error.id',
        'validation_error',
      );
      expect(reply).to.have.nested.property('error.field', field);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(typists.filter((t) => t.users.length > 0)).to.deep.equal([]);
    const written = await PresenceModel.find({ discussionId: id }).lean();
    expect(written.flatMap((presence) => presence.typing)).to.deep.equal([]);

    // Malformed events count too; a fresh socket starts with a whole allowance.
    const eager = await watching(a.clients, await addMember(group), id);
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => typing(eager, id, i % 2 === 0)),
    );
    const limited = burst.filter((reply) => 'error' in reply);
    expect(limited.length).to.equal(8 - TYPING.burst);
    for (const reply of limited) expect(reply).to.have.nested.property('error.id', 'rate_limited');
  });

  it('crosses processes: a socket on one process sees presence and typing on another', async () => {
    const { group, id } = await publicDiscussion();
    const [onA, onB] = [await addMember(group), await addMember(group)];
    const socketA = await watching(a.clients, onA, id);
    const socketB = await b.clients.connect(onB);
    const seenOnB = until(socketB, 'presence:changed', (p) => p.participants === 2);
    const seenOnA = until(socketA, 'presence:changed', (p) => p.participants === 2);
    expect(await watch(socketB, id)).to.have.property('data');
    expect(ids(await seenOnB)).to.deep.equal(idsOf(onA, onB));
    expect(ids(await seenOnA)).to.deep.equal(idsOf(onA, onB));

    const typingOnB = until(socketB, 'typing:changed', (t) => t.users.length === 1);
    await typing(socketA, id, true);
    expect(ids(await typingOnB)).to.deep.equal(idsOf(onA));

    // The heartbeat keeps live presences beyond their expiry.
    let dropped = false;
    const check = () => (dropped ||= (presenceOf(socketB, id)?.participants ?? 0) < 2);
    socketB.on('presence:changed', check);
    socketB.on('presence:diff', check);
    await new Promise((resolve) => setTimeout(resolve, FAST.ttlMs + 300));
    expect(dropped).to.equal(false);
    expect(await PresenceModel.countDocuments({ discussionId: id })).to.equal(2);
  });

  it('follows rights: a member removed from the group leaves the presence list at once', async () => {
    const group = await buildGroup({ privacy: 'closed' });
    const member = await addMember(group);
    const id = String((await buildDiscussion({ group }))._id);
    const coordinatorSocket = await watching(b.clients, group.coordinator, id);
    const both = until(coordinatorSocket, 'presence:changed', (p) => p.participants === 2);
    await watching(a.clients, member, id);
    await both;
    const gone = until(coordinatorSocket, 'presence:changed', (p) => p.participants === 1);
    const removed = await app.delete(
      `/api/groups/${String(group._id)}/members/${String(member._id)}`,
      { as: group.coordinator },
    );
    expect(removed.status).to.equal(204);
    expect(ids(await gone)).to.deep.equal(idsOf(group.coordinator));
  });

  it("forgets a crashed process's presences once they expire, and a stopped process's at once", async () => {
    const { group, id } = await publicDiscussion();
    const [watcher, crashed, stopped] = [
      await addMember(group),
      await addMember(group),
      await addMember(group),
    ];
    const watcherSocket = await watching(a.clients, watcher, id);
    const c = await startProcess();
    const d = await startProcess();
    try {
      const all = until(watcherSocket, 'presence:changed', (p) => p.participants === 3);
      const crashedSocket = await watching(c.clients, crashed, id);
      await watching(d.clients, stopped, id);
      await all;

      const withoutStopped = until(watcherSocket, 'presence:changed', (p) => p.participants === 2);
      await d.close();
      expect(ids(await withoutStopped)).to.deep.equal(idsOf(watcher, crashed));
      const processD = d.realtime.presence.processId;
      expect(await PresenceModel.countDocuments({ processId: processD })).to.equal(0);

      // A crash: no heartbeat, nothing deleted; the socket itself is still connected.
      const withoutCrashed = until(watcherSocket, 'presence:changed', (p) => p.participants === 1);
      c.realtime.presence.halt();
      const crashedAt = Date.now();
      expect(ids(await withoutCrashed)).to.deep.equal(idsOf(watcher));
      expect(Date.now() - crashedAt).to.be.at.least(FAST.ttlMs - FAST.heartbeatMs - 50);
      expect(crashedSocket.connected).to.equal(true);
      const processC = c.realtime.presence.processId;
      expect(await PresenceModel.countDocuments({ processId: processC })).to.equal(0);
    } finally {
      await c.close();
      await d.close();
    }
  });
});
