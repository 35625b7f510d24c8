/**
 * Support for the live-leak property test: a seeded pseudo-random generator, a
 * random world (groups, people in every role, discussions, polls) built through
 * the factories and the REST API, a recorder of every payload every socket
 * receives, and the random actions (as random actors, refusals welcome), so the
 * test can check each delivery against what its person may see.
 */
import type { UserDocument } from '../models/user.js';
import { addGuest, addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import type { TestApp } from '../test/harness.js';
import { watch, type Client, type TestClients } from './test-clients.js';

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
  coordinators: Set<string>;
  members: Set<string>;
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

export interface World {
  people: Array<{ label: string; user: UserDocument }>;
  groups: WorldGroup[];
  discussions: Array<{ id: string; groupId: string }>;
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

/** Builds a random world and connects a watching socket for every person and a visitor. */
export async function buildWorld(app: TestApp, clients: TestClients, rnd: Random): Promise<World> {
  const people: World['people'] = [];
  const groups: WorldGroup[] = [];
  const groupDocs = [];
  for (let g = 0; g < rnd.int(1, 2); g++) {
    const group = await buildGroup({ privacy: rnd.pick(['open', 'closed'] as const) });
    groupDocs.push(group);
    people.push({ label: `coordinator${g}`, user: group.coordinator });
    const entry: WorldGroup = {
      id: String(group._id),
      coordinators: new Set([String(group.coordinator._id)]),
      members: new Set(),
    };
    for (let m = 0; m < rnd.int(2, 3); m++) {
      const member = await addMember(group);
      people.push({ label: `member${g}.${m}`, user: member });
      entry.members.add(String(member._id));
    }
    groups.push(entry);
  }
  const discussions: World['discussions'] = [];
  const discussionDocs = [];
  for (let d = 0; d < rnd.int(1, 3); d++) {
    const index = rnd.int(0, groupDocs.length - 1);
    const doc = await buildDiscussion({ group: groupDocs[index], private: rnd.chance(0.5) });
    discussionDocs.push(doc);
    discussions.push({ id: String(doc._id), groupId: groups[index].id });
  }
  const guest = await addGuest(rnd.pick(discussionDocs));
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
  for (const { label, user } of [...people, { label: 'visitor', user: null }]) {
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
    watchers.push(watcher);
  }
  const emails = new Map(people.map(({ user }) => [String(user._id), user.email]));
  return {
    people,
    groups,
    discussions,
    polls,
    watchers,
    readableAtStart,
    visitorReadable,
    emails,
  };
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

const PROPOSAL_OPTIONS = ['agree', 'abstain', 'disagree', 'block'];

/** What a run of actions did, for the oracle: who voted when, which comments exist. */
export interface Run {
  /** `${userId}:${pollId}` -> order at which that person's first successful vote was sent. */
  votes: Map<string, number>;
  comments: Array<{ id: string; authorId: string }>;
  actions: number;
  accepted: number;
}

/** One random action through the REST API; answers its HTTP status (0 when nothing to do). */
export type Action = (run: Run, world: World, rnd: Random, app: TestApp) => Promise<number>;

export const idOf = (user: UserDocument) => String(user._id);
const personOf = (world: World, rnd: Random) => rnd.pick(world.people).user;

/** A coordinator of a random group most of the time, anyone otherwise (refusals are fine). */
function coordinatorOrAnyone(world: World, rnd: Random) {
  const group = rnd.pick(world.groups);
  const coordinators = world.people.filter((p) => group.coordinators.has(idOf(p.user)));
  const actor = rnd.chance(0.8) && coordinators.length ? rnd.pick(coordinators).user : null;
  return { group, actor: actor ?? personOf(world, rnd) };
}

const ACTIONS_BY_WEIGHT: Array<[number, string, Action]> = [
  [
    30,
    'comment',
    async (run, world, rnd, app) => {
      const author = personOf(world, rnd);
      const res = await app.post<{ comment: { id: string } }>(
        `/api/discussions/${rnd.pick(world.discussions).id}/comments`,
        { body: `Thoughts, @${personOf(world, rnd).handle} ?` },
        { as: author },
      );
      if (res.status < 300) run.comments.push({ id: res.body.comment.id, authorId: idOf(author) });
      return res.status;
    },
  ],
  [
    10,
    'edit',
    async (run, world, rnd, app) => {
      if (!run.comments.length) return 0;
      const comment = rnd.pick(run.comments);
      const author = world.people.find((p) => idOf(p.user) === comment.authorId)!.user;
      const actor = rnd.chance(0.8) ? author : personOf(world, rnd);
      return (await app.patch(`/api/comments/${comment.id}`, { body: 'Edited.' }, { as: actor }))
        .status;
    },
  ],
  [
    6,
    'delete',
    async (run, world, rnd, app) => {
      if (!run.comments.length) return 0;
      const comment = rnd.pick(run.comments);
      const author = world.people.find((p) => idOf(p.user) === comment.authorId)!.user;
      const actor = rnd.chance(0.6) ? author : coordinatorOrAnyone(world, rnd).actor;
      return (await app.delete(`/api/comments/${comment.id}`, { as: actor })).status;
    },
  ],
  [
    12,
    'react',
    async (run, world, rnd, app) => {
      if (!run.comments.length) return 0;
      const emoji = encodeURIComponent(rnd.pick(['👍', '🎉', ':tada:']));
      const path = `/api/comments/${rnd.pick(run.comments).id}/reactions/${emoji}`;
      const actor = personOf(world, rnd);
      return rnd.chance(0.8)
        ? (await app.request('PUT', path, { as: actor })).status
        : (await app.delete(path, { as: actor })).status;
    },
  ],
  [
    22,
    'vote',
    async (run, world, rnd, app) => {
      const poll = rnd.pick(world.polls);
      const voter = personOf(world, rnd);
      const sent = now();
      const res = await app.request('PUT', `/api/polls/${poll.id}/vote`, {
        body: { choices: [{ optionId: rnd.pick(PROPOSAL_OPTIONS), value: 1 }], reason: 'Why not' },
        as: voter,
      });
      const key = `${idOf(voter)}:${poll.id}`;
      if (res.status < 300 && !run.votes.has(key)) run.votes.set(key, sent);
      return res.status;
    },
  ],
  [
    7,
    'close/reopen',
    async (_run, world, rnd, app) => {
      const poll = rnd.pick(world.polls);
      const { actor } = coordinatorOrAnyone(world, rnd);
      const verb = rnd.chance(0.55) ? 'close' : 'reopen';
      return (await app.post(`/api/polls/${poll.id}/${verb}`, {}, { as: actor })).status;
    },
  ],
  [
    5,
    'remove',
    async (_run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      const target = rnd.pick([...group.members, ...group.coordinators]);
      const res = await app.delete(`/api/groups/${group.id}/members/${target}`, { as: actor });
      if (res.status < 300) {
        group.members.delete(target);
        group.coordinators.delete(target);
      }
      return res.status;
    },
  ],
  [
    5,
    'promote',
    async (_run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      if (!group.members.size) return 0;
      const target = rnd.pick([...group.members]);
      const res = await app.post(
        `/api/groups/${group.id}/members/${target}/promote`,
        {},
        { as: actor },
      );
      if (res.status < 300) {
        group.members.delete(target);
        group.coordinators.add(target);
      }
      return res.status;
    },
  ],
];

/** A random action, weighted towards comments and votes. */
export function pickAction(rnd: Random): { name: string; action: Action } {
  const total = ACTIONS_BY_WEIGHT.reduce((sum, [weight]) => sum + weight, 0);
  let roll = rnd.next() * total;
  for (const [weight, name, action] of ACTIONS_BY_WEIGHT) {
    roll -= weight;
    if (roll < 0) return { name, action };
  }
  return { name: ACTIONS_BY_WEIGHT[0][1], action: ACTIONS_BY_WEIGHT[0][2] };
}
