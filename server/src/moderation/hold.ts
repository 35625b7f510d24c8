/**
 * Hold first posts: a group may keep new members' comments for a moderator's
 * approval, either each member's comments until one of them is approved
 * (`first`) or all comments of members who joined less than `holdDays` days
 * ago (`recent`). Coordinators and moderators are never held.
 */
import type { Viewer } from '../auth/viewer.js';
import { CommentModel, type Comment } from '../models/comment.js';
import { ReportModel } from '../models/report.js';
import { DiscussionModel } from '../models/discussion.js';
import type { GroupDocument } from '../models/group.js';
import { MembershipModel } from '../models/membership.js';
import { canModerateGroup } from '../policies/moderation.js';

const DAY_MS = 24 * 3600_000;

/** Whether a comment this viewer posts in the group now must wait for approval. */
export async function mustHold(viewer: Viewer, group: GroupDocument | null): Promise<boolean> {
  const setting = group?.moderation?.holdPosts ?? 'off';
  if (!group || !viewer.user || setting === 'off' || canModerateGroup(viewer, group)) return false;
  const membership = await MembershipModel.findOne(
    { groupId: group._id, userId: viewer.user._id },
    { createdAt: 1 },
  ).lean();
  if (!membership) return false; // guests of a discussion are invited by hand
  if (setting === 'recent')
    return Date.now() - membership.createdAt.getTime() < (group.moderation.holdDays ?? 0) * DAY_MS;
  const discussions = await DiscussionModel.find({ groupId: group._id }, { _id: 1 }).lean();
  const approved = await CommentModel.exists({
    authorId: viewer.user._id,
    discussionId: { $in: discussions.map((d) => d._id) },
    heldAt: null,
  });
  return approved === null;
}

/** Puts a held comment in the group's review queue (a report without a reporter). */
export async function holdForApproval(
  comment: Pick<Comment, '_id' | 'discussionId' | 'authorId'>,
  group: GroupDocument | null,
): Promise<void> {
  await ReportModel.create({
    source: 'hold',
    groupId: group?._id ?? null,
    targetKind: 'comment',
    targetId: comment._id,
    discussionId: comment.discussionId,
    targetUserId: comment.authorId,
    reporterId: null,
    reason: 'other',
    note: '',
  });
}
