/**
 * Emoji reactions. Adding and removing are idempotent: reacting twice with the
 * same emoji stores one reaction, removing one that is not there succeeds.
 */
import type { Types } from 'mongoose';
import { CommentModel, type CommentDocument } from '../../models/comment.js';
import { ReactionModel } from '../../models/reaction.js';
import { isDuplicateKey } from '../../db/errors.js';

export async function addReaction(props: {
  comment: CommentDocument;
  userId: Types.ObjectId;
  emoji: string;
}): Promise<void> {
  const key = { commentId: props.comment._id, userId: props.userId, emoji: props.emoji };
  try {
    await ReactionModel.updateOne(
      key,
      { $setOnInsert: { discussionId: props.comment.discussionId } },
      { upsert: true },
    );
  } catch (error) {
    // A concurrent identical reaction won the race: the reaction exists, which is what was asked.
    if (!isDuplicateKey(error)) throw error;
  }
  await touch(props.comment);
}

/** Marks the comment as changed, so live clients receive its new reaction summary. */
async function touch(comment: CommentDocument): Promise<void> {
  await CommentModel.updateOne(
    { _id: comment._id },
    { $set: { reactionsChangedAt: new Date() } },
    { timestamps: false },
  );
}

export async function removeReaction(props: {
  comment: CommentDocument;
  userId: Types.ObjectId;
  emoji: string;
}): Promise<void> {
  const { deletedCount } = await ReactionModel.deleteOne({
    commentId: props.comment._id,
    userId: props.userId,
    emoji: props.emoji,
  });
  if (deletedCount > 0) await touch(props.comment);
}
