/**
 * One world for the privacy matrix (P5, P6, P8, P10): groups of every privacy
 * (and secret subgroups), people in every role, discussions with comments,
 * replies, mentions and reactions, named, anonymous and hidden-results polls
 * with votes, invitations, a join request and notifications. Built with the
 * factories and through the API (so timeline events and notifications are the
 * real ones), and described by the facts the matrix checks against: who may
 * read what, and which email addresses each viewer may ever receive.
 */
import { BATCH_INTERVAL_MS, publishDueTallies } from '../commands/polls/publish-tallies.js';
import { Types } from 'mongoose';
import { DiscussionModel, type DiscussionDocument } from '../models/discussion.js';
import { MembershipModel } from '../models/membership.js';
import { UserModel, type UserDocument } from '../models/user.js';
import { addGuest, addMember, buildGroup, buildUser } from './factories.js';
import { buildComment, buildNotification } from './factories-discussions.js';
import { buildInvitation, buildSubgroup } from './factories-groups.js';
import { photoPng } from './factories-images.js';
import type { ApiResponse, TestApp } from './harness.js';

/** Everyone in the world; `M3` is deactivated and cannot sign in. */
export const PEOPLE = ['C', 'M1', 'M2', 'M3', 'A', 'Gu', 'X', 'R', 'C2', 'C3'] as const;
export type PersonKey = (typeof PEOPLE)[number];
/** The viewers of the matrix: the visitor (no token) and every person who can sign in. */
export const VIEWERS = ['visitor', 'X', 'Gu', 'M1', 'M2', 'C', 'A', 'R', 'C2', 'C3'] as const;
export type ViewerKey = (typeof VIEWERS)[number];
export type SignedInKey = Exclude<ViewerKey, 'visitor'>;

const FULL_NAMES: Record<PersonKey, [string, string]> = {
  C: ['Cora Convener', 'cora'], // coordinator of the closed group G (and of SG2); votes everywhere
  M1: ['Milo First', 'milo'], // member of G and of the open group O; votes everywhere
  M2: ['Mae Second', 'mae'], // member of G; votes in the anonymous polls
  M3: ['Moss Third', 'moss'], // member of G, deactivated after commenting
  A: ['Ari Author', 'ari'], // member of G; starts the anonymous ballot, never votes in it
  Gu: ['Gus Guest', 'gus'], // guest of one discussion of G
  X: ['Xena Outsider', 'xena'], // signed in, in no group
  R: ['Rex Requester', 'rex'], // asked to join G
  C2: ['Cleo Opener', 'cleo'], // coordinator of the open group O
  C3: ['Cyrus Hidden', 'cyrus'], // coordinator of the secret group S and subgroup SG
};

/** G closed, O open, S secret; SG and SG2 secret subgroups of G, SG2 visible to G's members. */
export type GroupKey = 'G' | 'O' | 'S' | 'SG' | 'SG2';
export const GROUPS: readonly GroupKey[] = ['G', 'O', 'S', 'SG', 'SG2'];
export type DiscussionKey = 'DG1' | 'DA' | 'DO' | 'DS';
export type PollKey = 'PN' | 'PH' | 'PV' | 'PA' | 'PA2' | 'PO' | 'PS';
/** The discussion each poll is in. */
export const DISCUSSION_OF: Record<PollKey, DiscussionKey> = {
  PN: 'DG1',
  PH: 'DG1',
  PV: 'DG1',
  PA: 'DA',
  PA2: 'DA',
  PO: 'DO',
  PS: 'DS',
};

/** A text that may reach only some viewers (names of secret groups, private titles and texts). */
export interface Secret {
  what: string;
  text: string;
  readers: readonly ViewerKey[];
}

/** A poll whose results are hidden: each voter's reason, and who may see results now. */
export interface HiddenPoll {
  reasons: Partial<Record<SignedInKey, string>>;
  seeResults: readonly ViewerKey[];
}

export interface PrivacyWorld {
  tag: string;
  people: Record<PersonKey, UserDocument>;
  groups: Record<GroupKey, { id: string; handle: string | null; name: string }>;
  /** Who may know each group exists (P6). */
  groupVisibleTo: Record<GroupKey, readonly ViewerKey[]>;
  /** Active members (coordinators included) and coordinators of each group. */
  members: Record<GroupKey, readonly SignedInKey[]>;
  coordinators: Record<GroupKey, readonly SignedInKey[]>;
  discussions: Record<DiscussionKey, string>;
  /** Who may read each discussion (and its comments, polls and votes). */
  readers: Record<DiscussionKey, readonly ViewerKey[]>;
  polls: Record<PollKey, string>;
  /** A comment with an edit history in each of DG1, DO and DS. */
  comments: Record<'DG1' | 'DO' | 'DS', string>;
  /** Profile photo ids: M1's (shown wherever M1 is), M3's (deactivated: served to no one). */
  avatars: Record<'M1' | 'M3', string>;
  /** Raw invitation tokens: to G, as a guest of DG1, to S; and join-link tokens of G and S. */
  tokens: Record<'G' | 'guest' | 'S' | 'joinG' | 'joinS', string>;
  /** Addresses invited (pending) to each group, listed to its coordinators. */
  invitedEmails: Record<GroupKey, string[]>;
  /** The address invited (pending) as a guest of DG1: listed to nobody. */
  guestInvitedEmail: string;
  /** PA (open) and PA2 (closed, with an outcome) in DA, where their voters did nothing else. */
  anonymous: { voters: readonly SignedInKey[]; reasons: Partial<Record<SignedInKey, string>> };
  /** PH: hidden until closing (open); PV: hidden until one has voted. */
  hidden: Record<'PH' | 'PV', HiddenPoll>;
  secrets: Secret[];
}

/** Throws with the response when the API does not answer as the world needs. */
function must<T>(res: ApiResponse<T>, status: number, what: string): T {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const inADay = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
const loadDiscussion = async (id: string): Promise<DiscussionDocument> =>
  DiscussionModel.findById(id).orFail();

/** The API calls the builder makes, as a person, failing loudly. */
function client(app: TestApp, people: Record<PersonKey, UserDocument>) {
  const call = async <T>(
    method: string,
    who: PersonKey,
    path: string,
    body: unknown,
    status = 201,
  ) =>
    must(await app.request<T>(method, path, { as: people[who], body }), status, `${who} ${path}`);
  return {
    call,
    startDiscussion: async (who: PersonKey, groupId: unknown, title: string) =>
      (
        await call<{ discussion: { id: string } }>('POST', who, '/api/discussions', {
          groupId: String(groupId),
          title,
          context: `Context of ${title}`,
        })
      ).discussion.id,
    startPoll: async (who: PersonKey, discussionId: string, body: Record<string, unknown>) =>
      (
        await call<{ poll: { id: string } }>(
          'POST',
          who,
          `/api/discussions/${discussionId}/polls`,
          body,
        )
      ).poll.id,
    vote: (who: PersonKey, pollId: string, optionId: string, reason: string) =>
      call('PUT', who, `/api/polls/${pollId}/vote`, { choices: [{ optionId, value: 1 }], reason }),
    edit: (who: PersonKey, commentId: unknown, body: string) =>
      call('PATCH', who, `/api/comments/${String(commentId)}`, { body }, 200),
  };
}

/** Builds the world (see the file comment). Call once, after `startTestApp()`. */
export async function buildPrivacyWorld(app: TestApp): Promise<PrivacyWorld> {
  const tag = new Types.ObjectId().toHexString().slice(-8);
  const t = (text: string) => `${text} ${tag}`;
  const p = {} as Record<PersonKey, UserDocument>;
  for (const key of PEOPLE) {
    const [name, handle] = FULL_NAMES[key];
    p[key] = await buildUser({
      name: t(name),
      handle: `${handle}${tag}`,
      email: `${handle}.${tag}@example.org`,
    });
  }
  const api = client(app, p);
  const G = await buildGroup({ privacy: 'closed', coordinator: p.C, name: t('Garden') });
  for (const key of ['M1', 'M2', 'M3', 'A'] as const) await addMember(G, p[key]);
  const O = await buildGroup({ privacy: 'open', coordinator: p.C2, name: t('Orchard') });
  await addMember(O, p.M1);
  const S = await buildGroup({ privacy: 'secret', coordinator: p.C3, name: t('Shelter') });
  const secretSub = { privacy: 'secret' as const, parentMembersCanSee: false };
  const SG = await buildSubgroup(G, { ...secretSub, coordinator: p.C3, name: t('Shed') });
  const SG2 = await buildSubgroup(G, { ...secretSub, parentMembersCanSee: true, name: t('Pond') });

  // DG1, G's main discussion: a guest, a thread with replies, mentions, reactions, an edit, a deletion.
  const dg1Title = t('Budget talk');
  const DG1 = await api.startDiscussion('C', G._id, dg1Title);
  const dg1 = await loadDiscussion(DG1);
  await addGuest(dg1, p.Gu);
  const bodies = {
    c1: t(`Welcome @${p.M1.handle} and @${p.M2.handle}, first draft attached`),
    c2: t('Thanks, I have questions about line four'),
    c3: t(`Line four is the roof, @${p.Gu.handle} knows more`),
    c4: t('The roof quote came in yesterday'),
    c5: t('Moss signing off with some notes'),
  };
  const c1 = await buildComment({ discussion: dg1, author: p.C, body: bodies.c1 });
  const c2 = await buildComment({ discussion: dg1, author: p.M1, body: bodies.c2, parent: c1 });
  await buildComment({ discussion: dg1, author: p.M2, body: bodies.c3, parent: c2 });
  const c4 = await buildComment({ discussion: dg1, author: p.Gu, body: bodies.c4 });
  await buildComment({ discussion: dg1, author: p.M3, body: bodies.c5 });
  const doomed = await buildComment({ discussion: dg1, author: p.M2, body: t('Oops, wrong') });
  await api.call('DELETE', 'M2', `/api/comments/${String(doomed._id)}`, undefined, 200);
  await api.edit('M1', c2._id, t('Thanks, I have questions about lines four and five'));
  for (const [who, comment, emoji] of [
    ['M1', c1, ':tada:'],
    ['M2', c1, ':+1:'],
    ['Gu', c2, ':+1:'],
    ['C', c4, ':heart:'],
  ] as const)
    await api.call('PUT', who, `/api/comments/${String(comment._id)}/reactions/${emoji}`, {}, 200);

  // DG1's polls: named (PN), hidden until closing (PH), hidden until one has voted (PV).
  const pnTitle = t('Adopt the budget');
  const PN = await api.startPoll('C', DG1, {
    kind: 'proposal',
    title: pnTitle,
    closesAt: inADay(),
  });
  for (const [who, option] of [
    ['M1', 'agree'],
    ['M2', 'disagree'],
    ['C', 'abstain'],
    ['Gu', 'agree'],
  ] as const)
    await api.vote(who, PN, option, t(`Named reason of ${who}`));
  const colours = [
    { id: 'red', label: 'Red' },
    { id: 'green', label: 'Green' },
    { id: 'blue', label: 'Blue' },
  ];
  const hiddenPoll = (title: string, hideResults: string) =>
    api.startPoll('C', DG1, {
      kind: 'single_choice',
      title,
      options: colours,
      hideResults,
      closesAt: inADay(),
    });
  const phTitle = t('Roof colour');
  const PH = await hiddenPoll(phTitle, 'until_closed');
  const PV = await hiddenPoll(t('Door colour'), 'until_voted');
  const hidden: PrivacyWorld['hidden'] = {
    PH: { reasons: {}, seeResults: [] },
    PV: { reasons: {}, seeResults: ['M1', 'C'] },
  };
  for (const [i, who] of (['M1', 'Gu', 'C'] as const).entries()) {
    hidden.PH.reasons[who] = t(`Hidden reason ${i}`);
    await api.vote(who, PH, colours[i % 2].id, hidden.PH.reasons[who]);
  }
  for (const [i, who] of (['M1', 'C'] as const).entries()) {
    hidden.PV.reasons[who] = t(`Until-voted reason ${i}`);
    await api.vote(who, PV, colours[i].id, hidden.PV.reasons[who]);
  }

  // DA, the anonymous ballot: its author A never votes; the voters do nothing else in DA.
  const daTitle = t('Secret ballot');
  const DA = await api.startDiscussion('A', G._id, daTitle);
  const anonymous = { voters: ['M1', 'M2', 'C'] as const, reasons: {} as Record<string, string> };
  const anon = { kind: 'proposal', anonymous: true, closesAt: inADay() };
  const [paTitle, pa2Title] = [t('Elect the treasurer'), t('Move the meeting')];
  const PA = await api.startPoll('A', DA, { ...anon, title: paTitle });
  const PA2 = await api.startPoll('A', DA, { ...anon, title: pa2Title });
  for (const [i, who] of anonymous.voters.entries()) {
    anonymous.reasons[who] = t(`Anonymous reason ${i}`);
    await api.vote(who, PA, ['agree', 'disagree', 'block'][i], anonymous.reasons[who]);
    await api.vote(who, PA2, ['agree', 'agree', 'abstain'][i], `${anonymous.reasons[who]} again`);
  }
  // A minute later the poll job publishes PA's batch of three (see commands/polls/publish-tallies.ts).
  await publishDueTallies(new Date(Date.now() + BATCH_INTERVAL_MS + 1000));
  await api.call('POST', 'A', `/api/polls/${PA2}/close`, {}, 200);
  await api.call('POST', 'A', `/api/polls/${PA2}/outcome`, { statement: t('We move') }, 200);

  // DO: a public discussion in O with a named poll. DS: a secret discussion in S with a poll.
  const DO = await api.startDiscussion('C2', O._id, t('Open harvest'));
  const doDoc = await loadDiscussion(DO);
  const doComment = await buildComment({ discussion: doDoc, author: p.M1, body: t('Apples') });
  await buildComment({ discussion: doDoc, author: p.C2, body: t('Bring baskets') });
  await api.edit('M1', doComment._id, t('Apples are ready'));
  const PO = await api.startPoll('C2', DO, { kind: 'proposal', title: t('Pick on Saturday') });
  await api.vote('M1', PO, 'agree', t('Public reason'));
  const dsTitle = t('Safe house plans');
  const DS = await api.startDiscussion('C3', S._id, dsTitle);
  const dsBody = t('The address is in the drawer');
  const dsComment = await buildComment({
    discussion: await loadDiscussion(DS),
    author: p.C3,
    body: t('The address is somewhere'),
  });
  await api.edit('C3', dsComment._id, dsBody);
  const psTitle = t('Change the lock');
  const PS = await api.startPoll('C3', DS, { kind: 'proposal', title: psTitle });
  await api.vote('C3', PS, 'agree', t('Secret reason'));

  // Invitations, a join request, notifications; then M3 is deactivated (P8).
  const invited = (name: string) => `${name}.${tag}@example.net`;
  const gInvite = await buildInvitation({ group: G, inviter: p.C, email: invited('ivy') });
  const guestInvite = await buildInvitation({
    discussion: dg1,
    inviter: p.C,
    email: invited('gwen'),
  });
  const sInvite = await buildInvitation({ group: S, inviter: p.C3, email: invited('sam') });
  const joinLink = async (who: PersonKey, group: typeof G) =>
    (
      await api.call<{ token: string }>(
        'POST',
        who,
        `/api/groups/${String(group._id)}/join-links`,
        {
          expiresInDays: 7,
          maxUses: 5,
        },
      )
    ).token;
  const joinG = await joinLink('C', G);
  const joinS = await joinLink('C3', S);
  await api.call('POST', 'R', `/api/groups/${String(G._id)}/join-requests`, {
    introduction: 'Hi, I garden',
  });
  // X was mentioned in DS (say, before leaving S): the notification stays, DS must not show.
  await buildNotification(p.X, {
    kind: 'mention',
    actorId: p.C3._id,
    discussionId: dsComment.discussionId,
    commentId: dsComment._id,
  });
  const pollId = new Types.ObjectId(PA);
  await buildNotification(p.M1, {
    kind: 'new_poll',
    actorId: p.A._id,
    discussionId: new Types.ObjectId(DA),
    pollId,
  });
  // Photos, uploaded as the web client does; M3's before the deactivation.
  const avatars = {} as Record<'M1' | 'M3', string>;
  for (const key of ['M1', 'M3'] as const) {
    const res = await app.request('PUT', '/api/me/avatar', { as: p[key], raw: await photoPng() });
    must(res, 200, `${key} photo`);
    avatars[key] = (await UserModel.findById(p[key]._id).orFail()).avatarId!;
  }
  await UserModel.updateOne({ _id: p.M3._id }, { $set: { deactivatedAt: new Date() } });
  await MembershipModel.updateOne(
    { groupId: G._id, userId: p.M3._id },
    { $set: { suspendedAt: new Date() } },
  );

  const gMembers = ['C', 'M1', 'M2', 'A'] as const;
  const readers: PrivacyWorld['readers'] = {
    DG1: [...gMembers, 'Gu'],
    DA: gMembers,
    DO: VIEWERS,
    DS: ['C3'],
  };
  const group = (g: typeof G) => ({ id: String(g._id), handle: g.handle, name: g.name });
  const secret = (what: string, text: string, key: DiscussionKey): Secret => ({
    what,
    text,
    readers: readers[key],
  });
  const secretGroup = (key: string, g: typeof G, readers: readonly ViewerKey[]): Secret[] =>
    // A secret group has no handle to leak.
    (
      [
        ['name', g.name],
        ['handle', g.handle],
        ['id', String(g._id)],
      ] as const
    ).flatMap(([what, text]) => (text === null ? [] : [{ what: `${key} ${what}`, text, readers }]));
  return {
    tag,
    people: p,
    groups: { G: group(G), O: group(O), S: group(S), SG: group(SG), SG2: group(SG2) },
    groupVisibleTo: { G: VIEWERS, O: VIEWERS, S: ['C3'], SG: ['C3'], SG2: gMembers },
    members: { G: gMembers, O: ['C2', 'M1'], S: ['C3'], SG: ['C3'], SG2: ['C'] },
    coordinators: { G: ['C'], O: ['C2'], S: ['C3'], SG: ['C3'], SG2: ['C'] },
    discussions: { DG1, DA, DO, DS },
    readers,
    polls: { PN, PH, PV, PA, PA2, PO, PS },
    comments: { DG1: String(c2._id), DO: String(doComment._id), DS: String(dsComment._id) },
    avatars,
    tokens: { G: gInvite.token, guest: guestInvite.token, S: sInvite.token, joinG, joinS },
    invitedEmails: { G: [invited('ivy')], O: [], S: [invited('sam')], SG: [], SG2: [] },
    guestInvitedEmail: invited('gwen'),
    anonymous,
    hidden,
    secrets: [
      ...secretGroup('S', S, ['C3']),
      ...secretGroup('SG', SG, ['C3']),
      ...secretGroup('SG2', SG2, gMembers),
      secret('DS title', dsTitle, 'DS'),
      secret('DS comment', dsBody, 'DS'),
      secret('PS title', psTitle, 'DS'),
      secret('DG1 title', dg1Title, 'DG1'),
      ...Object.entries(bodies).map(([k, text]) => secret(`DG1 comment ${k}`, text, 'DG1')),
      secret('PN title', pnTitle, 'DG1'),
      secret('PH title', phTitle, 'DG1'),
      secret('DA title', daTitle, 'DA'),
      secret('PA title', paTitle, 'DA'),
      secret('PA2 title', pa2Title, 'DA'),
    ],
  };
}

/** Every email address the world holds: people's and invited ones. */
export function knownEmails(world: PrivacyWorld): string[] {
  return [
    ...PEOPLE.map((key) => world.people[key].email),
    ...Object.values(world.invitedEmails).flat(),
    world.guestInvitedEmail,
  ];
}

/**
 * The addresses a viewer may ever receive (P5): their own; as a coordinator of
 * a group, those of its active members (a deactivated member's address goes
 * to nobody, P8) and the addresses invited to it, which its inviters typed in.
 */
export function allowedEmails(world: PrivacyWorld, viewer: ViewerKey): Set<string> {
  if (viewer === 'visitor') return new Set();
  const allowed = new Set([world.people[viewer].email]);
  for (const group of GROUPS) {
    if (!world.coordinators[group].includes(viewer)) continue;
    for (const member of world.members[group]) allowed.add(world.people[member].email);
    for (const email of world.invitedEmails[group]) allowed.add(email);
  }
  return allowed;
}
