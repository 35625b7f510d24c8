/**
 * Support for the live-leak property test: a seeded pseudo-random generator, a
 * random world (groups, people in every role, named moderators among them,
 * discussions, polls) built through
 * the factories and the REST API, a recorder of every payload every socket
 * receives, and the model of who may see what (epochs of rights), so the test
 * can check each delivery against what its person may see. The random actions
 * are in leak-property-actions.ts.
 */
import type { UserDocument } from '../models/user.js';
import { addGuest, addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import type { TestApp } from '../test/harness.js';
import { watch, watchGroup, type Client, type TestClients } from './test-clients.js';

export const idOf = (user: UserDocument) => String(user._id);

/** mulberry32: a tiny deterministic PRNG, so a failing seed replays the same world. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

export type HideResults = 'never' | 'until_voted' | 'until_closed';

export interface WorldPoll {
  id: string;
  discussionId: string;
  anonymous: boolean;
  hideResults: HideResults;
}

export interface WorldGroup {
  id: string;
  privacy: 'open' | 'closed';
  coordinators: Set<string>;
  members: Set<string>;
  /** Members its coordinators named moderators (they keep the flag while in the group). */
  moderators: Set<string>;
}

/** Who may see what during one stretch of a run (`visitor` is the key of signed-out sockets). */
export interface Epoch {
  /** The order at which the change opening it was sent. */
  start: number;
  /** The order by which that change had reached every socket. */
  settled: number;
  readable: Map<string, Set<string>>;
  /** Groups whose member list each may see. */
  seesMembers: Map<string, Set<string>>;
  /** Groups each coordinates (whose members' emails they may see). */
  coordinates: Map<string, Set<string>>;
  /** Groups each moderates: coordinates, or was named a moderator of (hidden comments' text). */
  moderates: Map<string, Set<string>>;
}

/** One recorded delivery: what arrived, on which socket, in which order. */
export interface Received {
  event: string;
  payload: unknown;
  order: number;
}

/** A connected socket of one person (or of a visitor, `user` null) and everything it received. */
export interface Watcher {
  label: string;
  user: UserDocument | null;
  socket: Client;
  received: Received[];
  /** Discussion ids whose watch was refused (not_found). */
  refused: Set<string>;
}

export const VISITOR_KEY = 'visitor';

export interface World {
  people: Array<{ label: string; user: UserDocument }>;
  groups: WorldGroup[];
  discussions: Array<{ id: string; groupId: string; private: boolean }>;
  /** Discussion id -> its guests' ids. */
  guests: Map<string, Set<string>>;
  deactivated: Set<string>;
  epochs: Epoch[];
  polls: WorldPoll[];
  watchers: Watcher[];
  /** Person id -> discussion ids they may read when the actions start (from REST). */
  readableAtStart: Map<string, Set<string>>;
  /** Visitor readability, from REST. */
  visitorReadable: Set<string>;
  emails: Map<string, string>;
}

/** A global order shared by deliveries and actions, finer than the clock. */
let tick = 0;
export const now = (): number => ++tick;

/**
 * Builds a random world and connects a watching socket for every person and a
 * visitor; `copies` sockets each, for crowds (hundreds of watchers per view,
 * where any per-view or per-socket shortcut in the fan-out would show).
 */
export async function buildWorld(
  app: TestApp,
  clients: TestClients,
  rnd: Random,
  copies = 1,
): Promise<World> {
  const people: World['people'] = [];
  const groups: WorldGroup[] = [];
  const groupDocs = [];
  // One coordinator of two groups, so discussions can move between them.
  const shared = rnd.chance(0.6) ? await buildUser() : undefined;
  for (let g = 0; g < rnd.int(1, 2) + (shared ? 1 : 0) && g < 2; g++) {
    const privacy = rnd.pick(['open', 'closed'] as const);
    const group = await buildGroup({ privacy, coordinator: shared });
    groupDocs.push(group);
    if (!shared || g === 0) people.push({ label: `coordinator${g}`, user: group.coordinator });
    const entry: WorldGroup = {
      id: String(group._id),
      privacy,
      coordinators: new Set([String(group.coordinator._id)]),
      members: new Set(),
      moderators: new Set(),
    };
    for (let m = 0; m < rnd.int(2, 3); m++) {
      const member = await addMember(group);
      people.push({ label: `member${g}.${m}`, user: member });
      entry.members.add(String(member._id));
    }
    if (rnd.chance(0.6)) {
      const moderator = rnd.pick([...entry.members]);
      const named = await app.request('PUT', `/api/groups/${entry.id}/moderators/${moderator}`, {
        body: {},
        as: group.coordinator,
      });
      if (named.status !== 204) throw new Error(`moderator not named: ${named.status}`);
      entry.moderators.add(moderator);
    }
    if (rnd.chance(0.5)) {
      const second = await addMember(group, undefined, 'coordinator');
      people.push({ label: `coordinator${g}b`, user: second });
      entry.coordinators.add(String(second._id));
    }
    groups.push(entry);
  }
  const discussions: World['discussions'] = [];
  const discussionDocs = [];
  for (let d = 0; d < rnd.int(1, 3); d++) {
    const index = rnd.int(0, groupDocs.length - 1);
    const isPrivate = groups[index].privacy !== 'open' || rnd.chance(0.5);
    const doc = await buildDiscussion({ group: groupDocs[index], private: isPrivate });
    discussionDocs.push(doc);
    discussions.push({ id: String(doc._id), groupId: groups[index].id, private: isPrivate });
  }
  const invitedTo = rnd.pick(discussionDocs);
  const guest = await addGuest(invitedTo);
  const guests = new Map([[String(invitedTo._id), new Set([String(guest._id)])]]);
  people.push({ label: 'guest', user: guest });
  people.push({ label: 'outsider', user: await buildUser() });

  const polls: WorldPoll[] = [];
  for (let p = 0; p < rnd.int(1, 3); p++) {
    const discussion = rnd.pick(discussions);
    const group = groups.find((g) => g.id === discussion.groupId)!;
    const author = people.find((person) => group.coordinators.has(String(person.user._id)))!;
    const settings = {
      anonymous: rnd.chance(0.5),
      hideResults: rnd.pick(['never', 'until_voted', 'until_closed'] as const),
    };
    const res = await app.post<{ poll: { id: string } }>(
      `/api/discussions/${discussion.id}/polls`,
      { kind: 'proposal', title: `Proposal ${p}`, ...settings },
      { as: author.user },
    );
    if (res.status !== 201) throw new Error(`poll not created: ${JSON.stringify(res.body)}`);
    polls.push({ id: res.body.poll.id, discussionId: discussion.id, ...settings });
  }

  const readableAtStart = new Map<string, Set<string>>();
  const visitorReadable = new Set<string>();
  for (const discussion of discussions) {
    if ((await app.get(`/api/discussions/${discussion.id}`)).status === 200)
      visitorReadable.add(discussion.id);
    for (const { user } of people) {
      const readable = readableAtStart.get(String(user._id)) ?? new Set<string>();
      readableAtStart.set(String(user._id), readable);
      if ((await app.get(`/api/discussions/${discussion.id}`, { as: user })).status === 200)
        readable.add(discussion.id);
    }
  }

  const watchers: Watcher[] = [];
  const sockets = [...people, { label: 'visitor', user: null }].flatMap(({ label, user }) =>
    Array.from({ length: copies }, (_, copy) => ({
      label: copy === 0 ? label : `${label}#${copy}`,
      user,
    })),
  );
  for (const { label, user } of sockets) {
    const socket = await clients.connect(user);
    const watcher: Watcher = { label, user, socket, received: [], refused: new Set() };
    socket.onAny((event: string, payload: unknown) =>
      watcher.received.push({ event, payload, order: now() }),
    );
    for (const discussion of discussions) {
      const reply = await watch(socket, discussion.id);
      if ('error' in reply) {
        if (reply.error.id !== 'not_found') throw new Error(`watch: ${JSON.stringify(reply)}`);
        watcher.refused.add(discussion.id);
      } else {
        watcher.received.push({ event: 'ack:watch', payload: reply.data, order: now() });
      }
    }
    // Every group's lists too (none is secret, so everyone may watch them, each in their view).
    for (const group of groups) {
      const reply = await watchGroup(socket, group.id);
      if ('error' in reply) throw new Error(`group:watch: ${JSON.stringify(reply)}`);
    }
    watchers.push(watcher);
  }
  const emails = new Map(people.map(({ user }) => [String(user._id), user.email]));
  const world: World = {
    people,
    groups,
    discussions,
    guests,
    deactivated: new Set(),
    epochs: [],
    polls,
    watchers,
    readableAtStart,
    visitorReadable,
    emails,
  };
  world.epochs.push({ ...rights(world), start: 0, settled: 0 });
  return world;
}

/** Who may read, see the members of, and coordinate what, by the model of the policies. */
export function rights(world: World): Omit<Epoch, 'start' | 'settled'> {
  const readable = new Map<string, Set<string>>();
  const seesMembers = new Map<string, Set<string>>();
  const coordinates = new Map<string, Set<string>>();
  const moderates = new Map<string, Set<string>>();
  const keys = [...world.people.map((p) => idOf(p.user)), VISITOR_KEY];
  for (const key of keys) {
    const active = !world.deactivated.has(key);
    const groupOf = (id: string) => world.groups.find((g) => g.id === id)!;
    const isIn = (g: WorldGroup) => active && (g.members.has(key) || g.coordinators.has(key));
    readable.set(
      key,
      new Set(
        world.discussions
          .filter((d) => {
            const group = groupOf(d.groupId);
            return (
              isIn(group) ||
              (active && (world.guests.get(d.id)?.has(key) ?? false)) ||
              (group.privacy === 'open' && !d.private)
            );
          })
          .map((d) => d.id),
      ),
    );
    seesMembers.set(
      key,
      new Set(world.groups.filter((g) => isIn(g) || g.privacy === 'open').map((g) => g.id)),
    );
    coordinates.set(
      key,
      new Set(world.groups.filter((g) => active && g.coordinators.has(key)).map((g) => g.id)),
    );
    moderates.set(
      key,
      new Set(
        world.groups
          .filter((g) => active && (g.coordinators.has(key) || g.moderators.has(key)))
          .map((g) => g.id),
      ),
    );
  }
  return { readable, seesMembers, coordinates, moderates };
}

/** The epochs whose rights apply to a delivery at `order` (the current one, and the previous while unsettled). */
export function epochsAt(world: World, order: number): Epoch[] {
  let k = 0;
  for (let i = 0; i < world.epochs.length; i++) if (world.epochs[i].start <= order) k = i;
  const current = world.epochs[k];
  return order <= current.settled && k > 0 ? [world.epochs[k - 1], current] : [current];
}

/** Resolves once no socket has received anything for `quietMs` (or after `maxMs`). */
export async function settle(world: World, quietMs = 150, maxMs = 5000): Promise<void> {
  const count = () => world.watchers.reduce((sum, w) => sum + w.received.length, 0);
  const deadline = Date.now() + maxMs;
  let last = count();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const current = count();
    if (current === last || Date.now() > deadline) return;
    last = current;
  }
}
