/**
 * The random actions of the live-leak property test, taken through the REST
 * API by random actors (refusals welcome). Actions that change rights open a
 * new epoch in the world's model, so the oracle judges each delivery by the
 * rights of its moment.
 */
import { GroupModel } from '../models/group.js';
import { UserModel } from '../models/user.js';
import { buildInvitation } from '../test/factories-groups.js';
import type { TestApp } from '../test/harness.js';
import { idOf, now, rights, type Random, type World } from './leak-property-world.js';

const PROPOSAL_OPTIONS = ['agree', 'abstain', 'disagree', 'block'];

/** What a run of actions did, for the oracle: who voted when, which comments exist. */
export interface Run {
  /** `${userId}:${pollId}` -> order at which that person's first successful vote was sent. */
  votes: Map<string, number>;
  /** Poll id -> orders at which a close of it that succeeded was sent. */
  closes: Map<string, number[]>;
  comments: Array<{ id: string; authorId: string; body: string; discussionId: string }>;
  /** Reports made: the reporter and the unique note, which only they (and moderators) may see. */
  reports: Array<{ reporterId: string; note: string }>;
  /** Comments hidden: from `settled` on, their text reaches only their author and moderators. */
  hidden: Array<{
    id: string;
    body: string;
    authorId: string;
    discussionId: string;
    settled: number;
  }>;
  /** Mutes: the unique reason reaches only the muted person. */
  mutes: Array<{ userId: string; reason: string }>;
  actions: number;
  accepted: number;
}

/**
 * Opens an epoch for a change of rights: `start` is taken before the request
 * is sent; the model is updated by `apply` when it succeeded; the test settles
 * the sockets and closes the window.
 */
async function changingRights(
  world: World,
  send: () => Promise<number>,
  apply: () => void,
): Promise<number> {
  const start = now();
  const status = await send();
  if (status < 300) {
    apply();
    world.epochs.push({ ...rights(world), start, settled: Infinity });
  }
  return status;
}

/** One random action through the REST API; answers its HTTP status (0 when nothing to do). */
export type Action = (run: Run, world: World, rnd: Random, app: TestApp) => Promise<number>;

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
      const body = `Thoughts ${rnd.int(0, 1e9)}, @${personOf(world, rnd).handle} ?`;
      const discussionId = rnd.pick(world.discussions).id;
      const res = await app.post<{ comment: { id: string } }>(
        `/api/discussions/${discussionId}/comments`,
        { body },
        { as: author },
      );
      if (res.status < 300)
        run.comments.push({ id: res.body.comment.id, authorId: idOf(author), body, discussionId });
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
    6,
    'report',
    async (run, world, rnd, app) => {
      if (!run.comments.length) return 0;
      const reporter = personOf(world, rnd);
      const note = `REPORTNOTE${rnd.int(0, 1e9)}`;
      const res = await app.post(
        '/api/moderation/reports',
        { target: { kind: 'comment', id: rnd.pick(run.comments).id }, reason: 'spam', note },
        { as: reporter },
      );
      if (res.status < 300) run.reports.push({ reporterId: idOf(reporter), note });
      return res.status;
    },
  ],
  [
    4,
    'hide',
    async (run, world, rnd, app) => {
      if (!run.comments.length) return 0;
      const comment = rnd.pick(run.comments);
      const groupId = world.discussions.find((d) => d.id === comment.discussionId)!.groupId;
      const { actor } = coordinatorOrAnyone(world, rnd);
      const res = await app.post(
        `/api/groups/${groupId}/moderation/actions`,
        { target: { kind: 'comment', id: comment.id }, action: 'hide', reason: 'Hidden' },
        { as: actor },
      );
      // Settled by the test after the change reached every socket (see MODERATION_ACTIONS).
      if (res.status < 300) run.hidden.push({ ...comment, settled: Infinity });
      return res.status;
    },
  ],
  [
    3,
    'mute',
    async (run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      const target = rnd.pick([...group.members]);
      if (!target) return 0;
      const reason = `MUTEREASON${rnd.int(0, 1e9)}`;
      const res = await app.post(
        `/api/groups/${group.id}/moderation/actions`,
        { target: { kind: 'person', id: target }, action: 'mute', reason, minutes: 5 },
        { as: actor },
      );
      if (res.status < 300) run.mutes.push({ userId: target, reason });
      return res.status;
    },
  ],
  [
    7,
    'close/reopen',
    async (run, world, rnd, app) => {
      const poll = rnd.pick(world.polls);
      const { actor } = coordinatorOrAnyone(world, rnd);
      const verb = rnd.chance(0.55) ? 'close' : 'reopen';
      const sent = now();
      const status = (await app.post(`/api/polls/${poll.id}/${verb}`, {}, { as: actor })).status;
      if (verb === 'close' && status < 300)
        run.closes.set(poll.id, [...(run.closes.get(poll.id) ?? []), sent]);
      return status;
    },
  ],
  [
    4,
    'remove',
    async (_run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      const target = rnd.pick([...group.members, ...group.coordinators]);
      if (!target) return 0;
      return changingRights(
        world,
        async () =>
          (await app.delete(`/api/groups/${group.id}/members/${target}`, { as: actor })).status,
        () => {
          group.members.delete(target);
          group.coordinators.delete(target);
          group.moderators.delete(target);
        },
      );
    },
  ],
  [
    4,
    'promote',
    async (_run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      if (!group.members.size) return 0;
      const target = rnd.pick([...group.members]);
      return changingRights(
        world,
        async () =>
          (await app.post(`/api/groups/${group.id}/members/${target}/promote`, {}, { as: actor }))
            .status,
        () => {
          group.members.delete(target);
          group.coordinators.add(target);
        },
      );
    },
  ],
  [
    4,
    'demote',
    async (_run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      const target = rnd.pick([...group.coordinators]);
      if (!target) return 0;
      return changingRights(
        world,
        async () =>
          (await app.post(`/api/groups/${group.id}/members/${target}/demote`, {}, { as: actor }))
            .status,
        () => {
          group.coordinators.delete(target);
          group.members.add(target);
        },
      );
    },
  ],
  [
    4,
    'move',
    async (_run, world, rnd, app) => {
      if (world.groups.length < 2) return 0;
      const discussion = rnd.pick(world.discussions);
      const to = world.groups.find((g) => g.id !== discussion.groupId)!;
      const { actor } = coordinatorOrAnyone(world, rnd);
      return changingRights(
        world,
        async () =>
          (
            await app.post(
              `/api/discussions/${discussion.id}/move`,
              { groupId: to.id },
              { as: actor },
            )
          ).status,
        () => {
          discussion.groupId = to.id;
          discussion.private = to.privacy !== 'open' || discussion.private;
        },
      );
    },
  ],
  [
    4,
    'group privacy',
    async (_run, world, rnd, app) => {
      const { group, actor } = coordinatorOrAnyone(world, rnd);
      const privacy = group.privacy === 'open' ? 'closed' : 'open';
      return changingRights(
        world,
        async () => (await app.patch(`/api/groups/${group.id}`, { privacy }, { as: actor })).status,
        () => {
          group.privacy = privacy;
        },
      );
    },
  ],
  [
    4,
    'accept invitation',
    async (_run, world, rnd, app) => {
      // A coordinator invites one person by address; usually someone else tries the link.
      const group = rnd.pick(world.groups);
      const inviter = world.people.find((p) => group.coordinators.has(idOf(p.user)))?.user;
      const outsiders = world.people.filter(
        (p) => !group.members.has(idOf(p.user)) && !group.coordinators.has(idOf(p.user)),
      );
      if (!inviter || outsiders.length === 0) return 0;
      const invitee = rnd.pick(outsiders).user;
      const acceptor = rnd.chance(0.7) ? personOf(world, rnd) : invitee;
      const groupDocument = (await GroupModel.findById(group.id))!;
      const { token } = await buildInvitation({
        group: groupDocument,
        inviter,
        email: invitee.email,
      });
      return changingRights(
        world,
        async () =>
          (await app.post(`/api/invitations/${token}/accept`, {}, { as: acceptor })).status,
        () => {
          // Only the invited address may accept: anything else is a bearer link (issue 10, item 2).
          if (idOf(acceptor) !== idOf(invitee))
            throw new Error(`${acceptor.email} accepted an invitation sent to ${invitee.email}`);
          group.members.add(idOf(invitee));
        },
      );
    },
  ],
  [
    1,
    'deactivate',
    async (_run, world, rnd) => {
      // No route deactivates an account yet: the change an administrator's would make, in the database.
      const person = rnd.pick(world.people).user;
      const id = idOf(person);
      const coordinatesAlone = world.groups.some(
        (g) =>
          g.coordinators.has(id) &&
          [...g.coordinators].every((c) => c === id || world.deactivated.has(c)),
      );
      if (world.deactivated.has(id) || coordinatesAlone) return 0;
      return changingRights(
        world,
        async () => {
          await UserModel.updateOne({ _id: person._id }, { $set: { deactivatedAt: new Date() } });
          return 204;
        },
        () => world.deactivated.add(id),
      );
    },
  ],
];

/** The kinds of action that change who may see what (the test settles the sockets after each). */
export const RIGHTS_ACTIONS = new Set([
  'remove',
  'promote',
  'demote',
  'move',
  'group privacy',
  'accept invitation',
  'deactivate',
]);

/** Moderation actions after which the test settles the sockets, so the oracle judges what follows. */
export const MODERATION_ACTIONS = new Set(['hide']);

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
