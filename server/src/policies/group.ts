/**
 * What a viewer may do with a group. Pure functions of the viewer (with their
 * roles) and the group (with its parent when it is a subgroup); the same
 * functions guard REST routes, sockets and collaborative editing.
 */
import type { GroupPermissions } from '../../../shared/domain.js';
import type { Group } from '../models/group.js';
import { roleIn, type Viewer } from '../auth/viewer.js';
import { readsUnderSupportGrant } from './support.js';

type GroupLike = Pick<
  Group,
  '_id' | 'privacy' | 'parentId' | 'parentMembersCanSee' | 'membershipPolicy'
> & {
  permissions: GroupPermissions;
};

export const isCoordinator = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  roleIn(viewer, group._id) === 'coordinator';
/** Named a moderator of the group by its coordinators (see policies/moderation.ts). */
export const isNamedModerator = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  viewer.moderates?.has(String(group._id)) ?? false;
export const isMember = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  roleIn(viewer, group._id) !== null;

/** Whether the group's existence may be revealed (secret groups are invisible to outsiders: 404). */
export function canSeeGroup(viewer: Viewer, group: GroupLike): boolean {
  if (group.privacy !== 'secret') return true;
  if (isMember(viewer, group)) return true;
  return (
    (group.parentId !== null &&
      group.parentMembersCanSee &&
      roleIn(viewer, group.parentId) !== null) ||
    readsUnderSupportGrant(viewer, group._id)
  );
}

/** Whether the group's discussions (those not marked private) are readable. */
export function canReadGroupContent(viewer: Viewer, group: GroupLike): boolean {
  return (
    group.privacy === 'open' || isMember(viewer, group) || readsUnderSupportGrant(viewer, group._id)
  );
}

export const canManageGroup = (viewer: Viewer, group: GroupLike) => isCoordinator(viewer, group);

export const canJoinDirectly = (viewer: Viewer, group: GroupLike) =>
  viewer.user !== null &&
  !isMember(viewer, group) &&
  group.privacy === 'open' &&
  group.membershipPolicy === 'open';

export const canRequestToJoin = (viewer: Viewer, group: GroupLike) =>
  viewer.user !== null &&
  !isMember(viewer, group) &&
  canSeeGroup(viewer, group) &&
  group.privacy !== 'secret' &&
  group.membershipPolicy === 'request';

export const canAddMembers = (viewer: Viewer, group: GroupLike) =>
  isCoordinator(viewer, group) ||
  (isMember(viewer, group) && group.permissions.membersCanAddMembers);

export const canStartDiscussion = (viewer: Viewer, group: GroupLike) =>
  isCoordinator(viewer, group) ||
  (isMember(viewer, group) && group.permissions.membersCanStartDiscussions);

/** Scheduling a meeting (policies/meeting.ts for the rest): whoever may start discussions in the group. */
export const canScheduleMeeting = (viewer: Viewer, group: GroupLike) =>
  canStartDiscussion(viewer, group);

export const canRaiseProposal = (viewer: Viewer, group: GroupLike) =>
  isCoordinator(viewer, group) ||
  (isMember(viewer, group) && group.permissions.membersCanRaiseProposals);

/** Email addresses of members reach coordinators only (P5), and administrators under a support grant (P12). */
export const canSeeMemberEmails = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  isCoordinator(viewer, group) || readsUnderSupportGrant(viewer, group._id);

/** The member list is readable by whoever may read the group's content: members, and anyone for open groups. */
export const canSeeMembers = (viewer: Viewer, group: GroupLike) =>
  canReadGroupContent(viewer, group);

/** Promote, demote and remove members; list and revoke invitations; decide join requests. */
export const canManageMembers = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  isCoordinator(viewer, group);

/**
 * Shareable join links admit whoever holds them, past the group's privacy and
 * membership policy, so only coordinators create, list and withdraw them.
 */
export const canManageJoinLinks = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  isCoordinator(viewer, group);

/** Only coordinators may hand out the coordinator role, by invitation or promotion. */
export const canInviteCoordinators = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  isCoordinator(viewer, group);

/** Subgroups are one level deep: a coordinator of a top-level group may create them. */
export const canCreateSubgroup = (viewer: Viewer, group: Pick<Group, '_id' | 'parentId'>) =>
  isCoordinator(viewer, group) && group.parentId === null;

/** The abilities sent with a group, so the client never re-derives permissions. */
export function groupAbilities(viewer: Viewer, group: GroupLike) {
  return {
    canManage: canManageGroup(viewer, group),
    canJoin: canJoinDirectly(viewer, group),
    canRequestToJoin: canRequestToJoin(viewer, group),
    canAddMembers: canAddMembers(viewer, group),
    canStartDiscussion: canStartDiscussion(viewer, group),
    canScheduleMeeting: canScheduleMeeting(viewer, group),
    canRaiseProposal: canRaiseProposal(viewer, group),
    canLeave: isMember(viewer, group),
    canSeeMembers: canSeeMembers(viewer, group),
    canInviteCoordinators: canInviteCoordinators(viewer, group),
    canCreateSubgroup: canCreateSubgroup(viewer, group),
    canModerate: isCoordinator(viewer, group) || isNamedModerator(viewer, group),
  };
}
