/**
 * Builds comment responses for a viewer: one query for the reactions of all
 * the comments shown and one for every person named (authors and reactors).
 * The loading and the presenting are separate, so the live fan-out loads once
 * and presents every view from memory.
 */
import { userIdOf, type Viewer } from '../../auth/viewer.js';
import type { CommentDocument } from '../../models/comment.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import { ReactionModel, type Reaction } from '../../models/reaction.js';
import { commentAbilities } from '../../policies/comment.js';
import { presentComment, summariseReactions, type CommentDto } from '../../presenters/comment.js';
import { presentUserSummary } from '../../presenters/user.js';
import { loadPeople, type People } from '../discussions/people.js';
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

/** A reaction as comment presenting needs it. */
export type ReactionRow = Pick<Reaction, 'commentId' | 'userId' | 'emoji'>;

/**
 * What presenting comments needs beyond the comments themselves, the same for
 * every viewer: their reactions and every person they name. Loaded once, it
 * serves any number of views (the live fan-out presents each view from it).
 */
export interface CommentExtras {
  reactions: ReactionRow[];
  people: People;
}

/**
 * Reads the reactions of the comments (one query) and the people they name
 * (one query). With `justPosted`, the comments were posted moments ago: every
 * reaction touches its comment (`reactionsChangedAt`, react.ts), so one never
 * touched has none and is not looked up. (Not for older comments: reactions
 * stored before that touch existed left no mark.)
 */
export async function loadCommentExtras(
  comments: CommentDocument[],
  loadPeopleOf: (ids: unknown[]) => Promise<People> = loadPeople,
  { justPosted = false }: { justPosted?: boolean } = {},
): Promise<CommentExtras> {
  const live = comments
    .filter((c) => c.deletedAt === null && (!justPosted || c.reactionsChangedAt !== null))
    .map((c) => c._id);
  const reactions: ReactionRow[] =
    live.length > 0
      ? await ReactionModel.find(
          { commentId: { $in: live } },
          { commentId: 1, userId: 1, emoji: 1 },
        )
          .sort({ createdAt: 1, _id: 1 })
          .lean()
      : [];
  const people = await loadPeopleOf([
    ...comments.map((c) => c.authorId),
    ...reactions.map((r) => r.userId),
  ]);
  return { reactions, people };
}

/** Presents comments of one discussion the viewer may read, from extras already loaded (no database access). */
export function presentCommentsFrom(
  viewer: Viewer,
  comments: CommentDocument[],
  context: { discussion: DiscussionDocument; group: GroupDocument | null },
  { reactions, people }: CommentExtras,
): CommentDto[] {
  const byComment = new Map<string, ReactionRow[]>();
  for (const reaction of reactions) {
    const key = String(reaction.commentId);
    const list = byComment.get(key);
    if (list) list.push(reaction);
    else byComment.set(key, [reaction]);
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

/** Presents comments of one discussion the viewer may read. */
export async function presentCommentsFor(
  viewer: Viewer,
  comments: CommentDocument[],
  context: { discussion: DiscussionDocument; group: GroupDocument | null },
): Promise<CommentDto[]> {
  return presentCommentsFrom(viewer, comments, context, await loadCommentExtras(comments));
}

/**
 * A comment the viewer has just posted, as its creation stored it, presented
 * from memory: its author is the viewer, and it has no reactions yet (a
 * reaction arriving meanwhile touches it, so it reaches the client live).
 */
export function presentPostedComment(
  viewer: Viewer & { user: NonNullable<Viewer['user']> },
  comment: CommentDocument,
  context: { discussion: DiscussionDocument; group: GroupDocument | null },
): CommentDto {
  const author = presentUserSummary(viewer.user);
  const people: People = (id) =>
    String(id) === String(viewer.user._id) ? author : presentUserSummary(null, String(id));
  return presentCommentsFrom(viewer, [comment], context, { reactions: [], people })[0];
}

export async function presentCommentFor(
  viewer: Viewer,
  comment: CommentDocument,
  context: { discussion: DiscussionDocument; group: GroupDocument | null },
): Promise<CommentDto> {
  const [dto] = await presentCommentsFor(viewer, [comment], context);
  return dto;
}
