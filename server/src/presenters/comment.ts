/**
 * Comments as a viewer sees them. A deleted comment keeps its place in the
 * thread (id, parent, sequence) with an empty body and no reactions. Authors
 * and reactors appear as summaries only, never with an email address (P5).
 */
import type { CommentAbilitiesDto, CommentDto, ReactionSummaryDto } from '../../../shared/dto.js';
import type { Comment, CommentRevision } from '../models/comment.js';
import type { Reaction } from '../models/reaction.js';
import type { commentAbilities } from '../policies/comment.js';
import { presentUserSummary, type UserSummaryDto } from './user.js';
import type { CommentRevisionDto } from '../../../shared/dto.js';

export type { CommentRevisionDto };

/** How many reactors are named per emoji; `count` is always the full number. */
export const MAX_REACTORS_SHOWN = 50;

export type CommentAbilities = ReturnType<typeof commentAbilities> & CommentAbilitiesDto;
export type { CommentDto, ReactionSummaryDto };

type CommentLike = Pick<
  Comment,
  | '_id'
  | 'discussionId'
  | 'parentId'
  | 'authorId'
  | 'body'
  | 'editedAt'
  | 'deletedAt'
  | 'sequence'
  | 'createdAt'
  | 'updatedAt'
  | 'reactionsChangedAt'
  | 'clientId'
> &
  Partial<Pick<Comment, 'hiddenAt' | 'heldAt'>>;

/**
 * Groups one comment's reactions by emoji, in the order each emoji first
 * appeared. `people` resolves user ids to summaries.
 */
export function summariseReactions(
  reactions: Pick<Reaction, 'emoji' | 'userId'>[],
  people: (id: unknown) => UserSummaryDto,
  viewerId: string | null,
): ReactionSummaryDto[] {
  const byEmoji = new Map<string, ReactionSummaryDto>();
  for (const reaction of reactions) {
    let summary = byEmoji.get(reaction.emoji);
    if (!summary) {
      summary = { emoji: reaction.emoji, count: 0, mine: false, users: [] };
      byEmoji.set(reaction.emoji, summary);
    }
    summary.count++;
    if (String(reaction.userId) === viewerId) summary.mine = true;
    if (summary.users.length < MAX_REACTORS_SHOWN) summary.users.push(people(reaction.userId));
  }
  return [...byEmoji.values()];
}

export function presentComment(
  comment: CommentLike,
  options: {
    author: UserSummaryDto;
    reactions: ReactionSummaryDto[];
    abilities: CommentAbilities;
    viewerId: string | null;
    /** Whether this viewer may see the text of a hidden comment (its author, moderators). */
    seesModerated?: boolean;
  },
): CommentDto {
  const moderation = comment.heldAt ? 'held' : comment.hiddenAt ? 'hidden' : undefined;
  // A hidden comment is a placeholder for those who may not see it: no text, no reactions.
  const deleted =
    comment.deletedAt !== null || (moderation !== undefined && !options.seesModerated);
  const dto: CommentDto = {
    id: String(comment._id),
    discussionId: String(comment.discussionId),
    parentId: comment.parentId ? String(comment.parentId) : null,
    author: options.author,
    body: deleted ? '' : comment.body,
    deleted: comment.deletedAt !== null,
    deletedAt: comment.deletedAt?.toISOString() ?? null,
    edited: !deleted && comment.editedAt !== null,
    editedAt: deleted ? null : (comment.editedAt?.toISOString() ?? null),
    sequence: comment.sequence,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: latest(comment.updatedAt, comment.reactionsChangedAt).toISOString(),
    clientId:
      options.viewerId !== null && options.viewerId === String(comment.authorId)
        ? comment.clientId
        : null,
    reactions: deleted ? [] : options.reactions,
    abilities: options.abilities,
  };
  if (moderation && comment.deletedAt === null) dto.moderation = moderation;
  return dto;
}

function latest(a: Date, b: Date | null): Date {
  return b !== null && b > a ? b : a;
}

/** Earlier texts of a comment, newest first. */
export function presentRevision(revision: CommentRevision): CommentRevisionDto {
  return { body: revision.body, editedAt: revision.editedAt.toISOString() };
}

/** Fallback for a person who could not be loaded: shown as a deleted account. */
export const unknownPerson = (id: unknown): UserSummaryDto => presentUserSummary(null, String(id));
