/**
 * What a viewer may do with a discussion. A discussion is readable by members
 * of its group, by its invited guests, and by everyone when it is public in an
 * open group; to anyone else it does not exist (404).
 */
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import { roleIn, userIdOf, type Viewer } from '../auth/viewer.js';
import { canStartDiscussion, isCoordinator, isMember } from './group.js';

type DiscussionLike = Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>;
type GroupLike = Parameters<typeof canStartDiscussion>[1] & Pick<Group, '_id'>;

export const isGuest = (viewer: Viewer, discussion: Pick<Discussion, '_id'>) => viewer.guestOf.has(String(discussion._id));
export const isAuthor = (viewer: Viewer, record: { authorId: unknown }) => userIdOf(viewer) === String(record.authorId);

/** Whether the viewer takes part (may comment when open): a member of its group or a guest. */
export function isParticipant(viewer: Viewer, discussion: DiscussionLike): boolean {
  return isGuest(viewer, discussion) || roleIn(viewer, discussion.groupId) !== null || (discussion.groupId === null && isAuthor(viewer, discussion));
}

export function canReadDiscussion(viewer: Viewer, discussion: DiscussionLike, group: GroupLike | null): boolean {
  if (isParticipant(viewer, discussion)) return true;
  return group !== null && !discussion.private && group.privacy === 'open';
}

export const canComment = (viewer: Viewer, discussion: DiscussionLike) =>
  viewer.user !== null && discussion.closedAt === null && isParticipant(viewer, discussion);

/** Coordinators of the discussion's group moderate it. */
export const canModerate = (viewer: Viewer, discussion: DiscussionLike, group: GroupLike | null) =>
  (group !== null && isCoordinator(viewer, group)) || (discussion.groupId === null && isAuthor(viewer, discussion));

export const canEditDiscussion = (viewer: Viewer, discussion: DiscussionLike, group: GroupLike | null) =>
  viewer.user !== null && (isAuthor(viewer, discussion) && isParticipant(viewer, discussion) || canModerate(viewer, discussion, group));

export const canCloseDiscussion = canEditDiscussion;

export const canInviteGuests = (viewer: Viewer, discussion: DiscussionLike, group: GroupLike | null) =>
  canModerate(viewer, discussion, group) || (group !== null && isMember(viewer, group) && group.permissions.membersCanAddMembers);

export function discussionAbilities(viewer: Viewer, discussion: DiscussionLike, group: GroupLike | null) {
  return {
    canComment: canComment(viewer, discussion),
    canEdit: canEditDiscussion(viewer, discussion, group),
    canClose: canCloseDiscussion(viewer, discussion, group),
    canModerate: canModerate(viewer, discussion, group),
    canPin: group !== null && isCoordinator(viewer, group),
    canInviteGuests: canInviteGuests(viewer, discussion, group),
    canStartPoll: discussion.closedAt === null && (group === null ? isParticipant(viewer, discussion) && isAuthor(viewer, discussion) : isCoordinator(viewer, group) || (isMember(viewer, group) && group.permissions.membersCanRaiseProposals)),
  };
}
