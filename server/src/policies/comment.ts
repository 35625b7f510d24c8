/**
 * What a viewer may do with a comment. Reading a comment is reading its
 * discussion (`canReadDiscussion`); these predicates cover acting on one.
 * Pure functions: the same ones guard REST routes and live updates.
 */
import type { Comment } from '../models/comment.js';
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import type { GroupPermissions } from '../../../shared/domain.js';
import type { Viewer } from '../auth/viewer.js';
import { isCoordinator } from './group.js';
import { isWithheld } from './moderation.js';
import { canComment, canModerate, isAuthor, isParticipant } from './discussion.js';

type CommentLike = Pick<Comment, 'authorId' | 'deletedAt'> &
  Partial<Pick<Comment, 'hiddenAt' | 'heldAt'>>;
type DiscussionLike = Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>;
type GroupLike = Pick<
  Group,
  '_id' | 'privacy' | 'parentId' | 'parentMembersCanSee' | 'membershipPolicy'
> & {
  permissions: GroupPermissions;
};

/**
 * The author edits their own comment while the discussion is open, when the
 * group lets members edit comments or they coordinate it (a discussion among
 * guests only has no such setting: authors may always edit).
 */
export function canEditComment(
  viewer: Viewer,
  comment: CommentLike,
  discussion: DiscussionLike,
  group: GroupLike | null,
): boolean {
  if (comment.deletedAt !== null || !isAuthor(viewer, comment) || !canComment(viewer, discussion))
    return false;
  return group === null || group.permissions.membersCanEditComments || isCoordinator(viewer, group);
}

/**
 * The author (while still taking part) or a moderator of the discussion may
 * delete; deleting an already deleted comment is allowed to the same people
 * and changes nothing, so a retried delete succeeds.
 */
export const canDeleteComment = (
  viewer: Viewer,
  comment: CommentLike,
  discussion: DiscussionLike,
  group: GroupLike | null,
) =>
  viewer.user !== null &&
  ((isAuthor(viewer, comment) && isParticipant(viewer, discussion)) ||
    canModerate(viewer, discussion, group));

/** Reacting is taking part: participants of an open discussion, on comments that still have a text. */
export const canReact = (viewer: Viewer, comment: CommentLike, discussion: DiscussionLike) =>
  comment.deletedAt === null && !isWithheld(comment) && canComment(viewer, discussion);

/** The abilities sent with each comment, so the client never re-derives permissions. */
export function commentAbilities(
  viewer: Viewer,
  comment: CommentLike,
  discussion: DiscussionLike,
  group: GroupLike | null,
) {
  return {
    canEdit: canEditComment(viewer, comment, discussion, group),
    canDelete: comment.deletedAt === null && canDeleteComment(viewer, comment, discussion, group),
    canReact: canReact(viewer, comment, discussion),
    canReply: canComment(viewer, discussion),
  };
}
