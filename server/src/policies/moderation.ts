/**
 * Who may report and who may moderate. A group's coordinators and the
 * moderators they name review its queue and act on it; site administrators
 * review only what reaches the site queue (illegal content, escalations).
 * Pure functions, the same for REST and sockets.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import type { Comment } from '../models/comment.js';
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import { isAuthor, isParticipant } from './discussion.js';
import { isCoordinator, isMember, isNamedModerator } from './group.js';

type GroupRef = Pick<Group, '_id'> | { _id: Types.ObjectId | string };

/** Coordinators by their role, named moderators by their flag. */
export const canModerateGroup = (viewer: Viewer, group: GroupRef | null) =>
  group !== null &&
  (isCoordinator(viewer, group as Pick<Group, '_id'>) ||
    isNamedModerator(viewer, group as Pick<Group, '_id'>));

/** Naming and un-naming moderators is part of managing the group's people. */
export const canNameModerators = (viewer: Viewer, group: Pick<Group, '_id'>) =>
  isCoordinator(viewer, group);

/** Anyone signed in who may read the discussion may report something in it (not their own). */
export const canReportContent = (
  viewer: Viewer,
  discussion: Pick<Discussion, '_id' | 'groupId' | 'authorId' | 'private' | 'closedAt'>,
  authorId: Types.ObjectId | null,
) =>
  viewer.user !== null &&
  isParticipant(viewer, discussion) &&
  (authorId === null || !viewer.user._id.equals(authorId));

/** A person is reported to a group both belong to. */
export const canReportPerson = (viewer: Viewer, group: Pick<Group, '_id'>, userId: string) =>
  viewer.user !== null && isMember(viewer, group) && String(viewer.user._id) !== userId;

/** Hidden or held content: its author and the group's moderators see it; everyone else does not. */
export function canSeeModeratedComment(
  viewer: Viewer,
  comment: Pick<Comment, 'authorId'>,
  group: GroupRef | null,
): boolean {
  return isAuthor(viewer, comment) || canModerateGroup(viewer, group);
}

/** Whether a comment is withheld from everyone but its author and moderators. */
export const isWithheld = (comment: Partial<Pick<Comment, 'hiddenAt' | 'heldAt'>>) =>
  (comment.hiddenAt ?? null) !== null || (comment.heldAt ?? null) !== null;

/** The site queue (illegal content, escalations) and site-wide suspensions: administrators. */
export const canReviewSiteReports = (viewer: Viewer) => viewer.user?.isAdmin === true;
