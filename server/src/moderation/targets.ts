/**
 * Resolving what a report or an action is about (a comment, a discussion, a
 * poll, a person) to the record, its group, its discussion and its author,
 * scoped to what the acting viewer may read: anything else is 404.
 */
import { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import { loadReadableComment } from '../commands/comments/load.js';
import { loadDiscussion, loadReadableDiscussion } from '../commands/discussions/load.js';
import { NotFoundError } from '../errors.js';
import type { CommentDocument } from '../models/comment.js';
import type { DiscussionDocument } from '../models/discussion.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { PollModel, type PollDocument } from '../models/poll.js';
import { UserModel } from '../models/user.js';
import { canReadDiscussion } from '../policies/discussion.js';
import type { ReportTargetKind } from '../../../shared/moderation.js';

export interface ResolvedTarget {
  kind: ReportTargetKind;
  id: Types.ObjectId;
  group: GroupDocument | null;
  discussion: DiscussionDocument | null;
  comment: CommentDocument | null;
  poll: PollDocument | null;
  /** Whose content it is, or the person reported. */
  authorId: Types.ObjectId | null;
}

const notFound = (kind: string) =>
  NotFoundError(`${kind[0].toUpperCase()}${kind.slice(1)} not found`);

/**
 * The target as `viewer` may see it; `groupId` is required for a person (who
 * is reported to, or restricted in, one group).
 */
export async function resolveTarget(
  viewer: Viewer,
  kind: ReportTargetKind,
  id: string,
  groupId?: Types.ObjectId | null,
): Promise<ResolvedTarget> {
  const base = { kind, comment: null, poll: null, discussion: null, group: null };
  if (kind === 'comment') {
    const { comment, discussion, group } = await loadReadableComment(viewer, id);
    return { ...base, id: comment._id, comment, discussion, group, authorId: comment.authorId };
  }
  if (kind === 'discussion') {
    const { discussion, group } = await loadReadableDiscussion(viewer, id);
    return { ...base, id: discussion._id, discussion, group, authorId: discussion.authorId };
  }
  if (kind === 'poll') {
    const poll = Types.ObjectId.isValid(id) ? await PollModel.findById(id) : null;
    const loaded = poll ? await loadDiscussion(String(poll.discussionId)) : null;
    if (!poll || !loaded || !canReadDiscussion(viewer, loaded.discussion, loaded.group))
      throw notFound('poll');
    return { ...base, id: poll._id, poll, ...loaded, authorId: poll.authorId };
  }
  const user = Types.ObjectId.isValid(id) ? await UserModel.findById(id, { _id: 1 }) : null;
  const group = groupId ? await GroupModel.findById(groupId) : null;
  if (!user || !group) throw notFound('person');
  return { ...base, id: user._id, group, authorId: user._id };
}
