/**
 * Builds comment responses for a viewer: one query for the reactions of all
 * the comments shown and one for every person named (authors and reactors).
 */
import { userIdOf, type Viewer } from '../../auth/viewer.js';
import type { CommentDocument } from '../../models/comment.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import { ReactionModel } from '../../models/reaction.js';
import { commentAbilities } from '../../policies/comment.js';
import { presentComment, summariseReactions, type CommentDto } from '../../presenters/comment.js';
import { loadPeople } from '../discussions/people.js';
import { canSeeModeratedComment } from '../../policies/moderation.js';

/**
 * The comments a viewer may receive at all: held ones (waiting for approval)
 * only for their author and the moderators. Hidden ones stay, as placeholders.
 */
export function receivableComments<C extends CommentDocument>(
  viewer: Viewer,
  comments: C[],
  group: GroupDocument | null,
): C[] {
  return comments.filter(
    (c) => (c.heldAt ?? null) === null || canSeeModeratedComment(viewer, c, group),
  );
}

/** Presents comments of one discussion the viewer may read. */
export async function presentCommentsFor(
  viewer: Viewer,
  comments: CommentDocument[],
  context: { discussion: DiscussionDocument; group: GroupDocument | null },
): Promise<CommentDto[]> {
  const live = comments.filter((c) => c.deletedAt === null).map((c) => c._id);
  const reactions =
    live.length > 0
      ? await ReactionModel.find(
          { commentId: { $in: live } },
          { commentId: 1, userId: 1, emoji: 1 },
        )
          .sort({ createdAt: 1, _id: 1 })
          .lean()
      : [];
  const people = await loadPeople([
    ...comments.map((c) => c.authorId),
    ...reactions.map((r) => r.userId),
  ]);
  const byComment = new Map<string, typeof reactions>();
  for (const reaction of reactions) {
    const key = String(reaction.commentId);
    byComment.set(key, [...(byComment.get(key) ?? []), reaction]);
  }
  const viewerId = userIdOf(viewer);
  return comments.map((comment) =>
    presentComment(comment, {
      author: people(comment.authorId),
      reactions: summariseReactions(byComment.get(String(comment._id)) ?? [], people, viewerId),
      abilities: commentAbilities(viewer, comment, context.discussion, context.group),
      viewerId,
      seesModerated: canSeeModeratedComment(viewer, comment, context.group),
    }),
  );
}

export async function presentCommentFor(
  viewer: Viewer,
  comment: CommentDocument,
  context: { discussion: DiscussionDocument; group: GroupDocument | null },
): Promise<CommentDto> {
  const [dto] = await presentCommentsFor(viewer, [comment], context);
  return dto;
}
