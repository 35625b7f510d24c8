/**
 * What a viewer may do with a discussion. A discussion is readable by members
 * of its group, by its invited guests, and by everyone when it is public in an
 * open group; to anyone else it does not exist (404).
 */
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import { roleIn, userIdOf, type Viewer } from '../auth/viewer.js';
import { type canStartDiscussion, isCoordinator, isMember } from './group.js';
import { readsUnderSupportGrant } from './support.js';

type DiscussionLike = Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>;
type GroupLike = Parameters<typeof canStartDiscussion>[1] & Pick<Group, '_id'>;

export const isGuest = (viewer: Viewer, discussion: Pick<Discussion, '_id'>) =>
  viewer.guestOf.has(String(discussion._id));
export const isAuthor = (viewer: Viewer, record: { authorId: unknown }) =>
  userIdOf(viewer) === String(record.authorId);

/** Whether the viewer takes part (may comment when open): a member of its group or a guest. */
export function isParticipant(viewer: Viewer, discussion: DiscussionLike): boolean {
  return (
    isGuest(viewer, discussion) ||
    roleIn(viewer, discussion.groupId) !== null ||
    (discussion.groupId === null && isAuthor(viewer, discussion))
  );
}

export function canReadDiscussion(
  viewer: Viewer,
  discussion: DiscussionLike,
  group: GroupLike | null,
): boolean {
  if (isParticipant(viewer, discussion)) return true;
  if (group !== null && !discussion.private && group.privacy === 'open') return true;
  return readsUnderSupportGrant(viewer, discussion.groupId);
}

/** Whether every discussion of the group is readable: its members, and administrators under a support grant. */
export const canReadAllDiscussionsOf = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  isMember(viewer, group) || readsUnderSupportGrant(viewer, group._id);

export const canComment = (viewer: Viewer, discussion: DiscussionLike) =>
  viewer.user !== null && discussion.closedAt === null && isParticipant(viewer, discussion);

/** Coordinators of the discussion's group moderate it. */
export const canModerate = (viewer: Viewer, discussion: DiscussionLike, group: GroupLike | null) =>
  (group !== null && isCoordinator(viewer, group)) ||
  (discussion.groupId === null && isAuthor(viewer, discussion));

export const canEditDiscussion = (
  viewer: Viewer,
  discussion: DiscussionLike,
  group: GroupLike | null,
) =>
  viewer.user !== null &&
  ((isAuthor(viewer, discussion) && isParticipant(viewer, discussion)) ||
    canModerate(viewer, discussion, group));

export const canCloseDiscussion = canEditDiscussion;

export const canInviteGuests = (
  viewer: Viewer,
  discussion: DiscussionLike,
  group: GroupLike | null,
) =>
  canModerate(viewer, discussion, group) ||
  (group !== null && isMember(viewer, group) && group.permissions.membersCanAddMembers);

/** Pinning orders a group's list, so it belongs to the group's coordinators. */
export const canPinDiscussion = (viewer: Viewer, group: GroupLike | null) =>
  group !== null && isCoordinator(viewer, group);

/** Moving needs the coordinator role on both sides (`to` omitted: whether the move could start at all). */
export const canMoveDiscussion = (viewer: Viewer, from: GroupLike | null, to?: GroupLike) =>
  from !== null && isCoordinator(viewer, from) && (to === undefined || isCoordinator(viewer, to));

/** Read state (and the inbox) is kept for the people who take part. */
export const canTrackReading = (viewer: Viewer, discussion: DiscussionLike) =>
  viewer.user !== null && isParticipant(viewer, discussion);

/**
 * The privacy a discussion gets in a group: always private in a closed or
 * secret group; in an open group the author's choice (public by default).
 * Never makes content more public than requested.
 */
export function derivePrivacy(
  group: Pick<Group, 'privacy'>,
  requested: boolean | undefined,
): boolean {
  return group.privacy !== 'open' || (requested ?? false);
}

export function discussionAbilities(
  viewer: Viewer,
  discussion: DiscussionLike,
  group: GroupLike | null,
) {
  return {
    canComment: canComment(viewer, discussion),
    canEdit: canEditDiscussion(viewer, discussion, group),
    canClose: canCloseDiscussion(viewer, discussion, group),
    canModerate: canModerate(viewer, discussion, group),
    canPin: canPinDiscussion(viewer, group),
    canMove: canMoveDiscussion(viewer, group),
    canMarkRead: canTrackReading(viewer, discussion),
    canInviteGuests: canInviteGuests(viewer, discussion, group),
    canReport: viewer.user !== null && isParticipant(viewer, discussion),
    canStartPoll:
      discussion.closedAt === null &&
      (group === null
        ? isParticipant(viewer, discussion) && isAuthor(viewer, discussion)
        : isCoordinator(viewer, group) ||
          (isMember(viewer, group) && group.permissions.membersCanRaiseProposals)),
  };
}
