/**
 * Who is asking: a signed-in user with their roles, or a visitor. Taken from
 * the process's held copy for each request (auth/viewers-held.ts), loaded once
 * per socket, then handed to the pure policy functions.
 */
import type { Types } from 'mongoose';
import type { GroupRole } from '../../../shared/domain.js';
import { GuestModel } from '../models/guest.js';
import { MembershipModel } from '../models/membership.js';
import type { UserDocument } from '../models/user.js';
import type { HeldViewer } from './viewers-held.js';

export interface Viewer {
  user: UserDocument | null;
  /** groupId -> role, active memberships only. */
  roles: Map<string, GroupRole>;
  /** Discussions this person was invited to as a guest. */
  guestOf: Set<string>;
  /** Ids of the membership and guest records behind these rights, so their removal can be traced to this viewer. */
  grantIds?: Set<string>;
  /** Groups where this person is a named moderator (coordinators moderate by their role). */
  moderates?: Set<string>;
  /** Site administrators only: the support access granted to them now (P12); absent for everyone else. */
  support?: SupportAccess;
}

/**
 * Groups whose coordinators granted support access (groupId -> grantId), and
 * the groups a request actually read under a grant, which the support
 * middleware writes to the group's support audit before answering.
 */
export interface SupportAccess {
  grants: Map<string, string>;
  used: Set<string>;
}

export const VISITOR: Viewer = Object.freeze({
  user: null,
  roles: new Map(),
  guestOf: new Set(),
}) as Viewer;

export async function loadViewer(user: UserDocument | null): Promise<Viewer> {
  if (!user) return VISITOR;
  const [memberships, guests] = await Promise.all([
    MembershipModel.find(
      { userId: user._id, suspendedAt: null },
      { groupId: 1, role: 1, moderator: 1 },
    ).lean(),
    GuestModel.find({ userId: user._id }, { discussionId: 1 }).lean(),
  ]);
  return {
    user,
    roles: new Map(memberships.map((m) => [String(m.groupId), m.role])),
    guestOf: new Set(guests.map((g) => String(g.discussionId))),
    grantIds: new Set([...memberships, ...guests].map((grant) => String(grant._id))),
    moderates: new Set(memberships.filter((m) => m.moderator).map((m) => String(m.groupId))),
  };
}

/**
 * A request's own viewer from a held copy (auth/viewers-held.ts): the person's
 * fields (never the password hash) in an object of its own, standing in for
 * their document as a socket's does (`socketViewer`): nothing changes or saves
 * a viewer's document (commands write people through the model), and making
 * one per request cost a millisecond of CPU under load, more than the rest of
 * authentication. Its rights are copies of their own too.
 */
export function viewerOfHeld(held: HeldViewer): Viewer {
  return {
    user: { ...held.user } as unknown as UserDocument,
    roles: new Map(held.roles),
    guestOf: new Set(held.guestOf),
    grantIds: new Set(held.grantIds),
    moderates: new Set(held.moderates),
  };
}

/**
 * What a socket keeps of its viewer for as long as it is connected: the
 * person's id, token version (to end their sessions) and whether they are a
 * site administrator, with their rights; never the person's document (about
 * 3 KB each, a password hash included). The stand-in carries only the fields
 * policies and the realtime code read of a viewer's user (`_id`, `isAdmin`,
 * `tokenVersion`, and the public summary: name, handle, avatar, status);
 * anything needing more (an email address) loads the person.
 */
export function socketViewer(viewer: Viewer): Viewer {
  if (!viewer.user) return viewer;
  const { _id, tokenVersion, isAdmin, name, handle, avatarId, deactivatedAt, deletedAt } =
    viewer.user;
  const user = {
    ...{ _id, tokenVersion, isAdmin },
    // Its public summary (presentUserSummary), for labels such as a collaborator's caret.
    ...{ name, handle, avatarId, deactivatedAt, deletedAt },
  } as unknown as UserDocument;
  return {
    user,
    roles: viewer.roles,
    guestOf: viewer.guestOf,
    grantIds: viewer.grantIds,
    moderates: viewer.moderates,
  };
}

export function roleIn(viewer: Viewer, groupId: Types.ObjectId | string | null): GroupRole | null {
  return groupId ? (viewer.roles.get(String(groupId)) ?? null) : null;
}

export function userIdOf(viewer: Viewer): string | null {
  return viewer.user ? String(viewer.user._id) : null;
}
