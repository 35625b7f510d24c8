/**
 * Held comments (waiting for approval) do not exist for anyone but their
 * author and the group's moderators: not in lists, not in the timeline, not
 * in catch-ups. This is the one test every reader of timeline events uses.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import { CommentModel } from '../models/comment.js';
import { DiscussionModel } from '../models/discussion.js';
import type { TimelineEvent } from '../models/event.js';
import { canSeeModeratedComment } from '../policies/moderation.js';

type EventLike = Pick<TimelineEvent, 'kind'> & { commentId?: Types.ObjectId | null };

/** The ids of the comments behind `events` that this viewer may not know of (held, not theirs). */
export async function heldFrom(viewer: Viewer, events: readonly EventLike[]): Promise<Set<string>> {
  const ids = events.flatMap((e) => (e.commentId ? [e.commentId] : []));
  if (ids.length === 0) return new Set();
  const held = await CommentModel.find(
    { _id: { $in: ids }, heldAt: { $ne: null } },
    { authorId: 1, discussionId: 1 },
  ).lean();
  if (held.length === 0) return new Set();
  const discussions = await DiscussionModel.find(
    { _id: { $in: [...new Set(held.map((c) => c.discussionId))] } },
    { groupId: 1 },
  ).lean();
  const groupOf = new Map(discussions.map((d) => [String(d._id), d.groupId]));
  return new Set(
    held
      .filter((c) => {
        const groupId = groupOf.get(String(c.discussionId)) ?? null;
        return !canSeeModeratedComment(viewer, c, groupId ? { _id: groupId } : null);
      })
      .map((c) => String(c._id)),
  );
}
