/** One person's emoji reaction to a comment. */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface Reaction {
  _id: Types.ObjectId;
  commentId: Types.ObjectId;
  discussionId: Types.ObjectId;
  userId: Types.ObjectId;
  emoji: string;
  createdAt: Date;
}

const reactionSchema = new Schema<Reaction>(
  {
    commentId: { type: Schema.Types.ObjectId, ref: 'Comment', required: true },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true, index: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    emoji: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
reactionSchema.index({ commentId: 1, userId: 1, emoji: 1 }, { unique: true });

export type ReactionDocument = HydratedDocument<Reaction>;
export const ReactionModel = model<Reaction>('Reaction', reactionSchema);
