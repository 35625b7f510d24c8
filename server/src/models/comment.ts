/**
 * A comment in a discussion, optionally a reply (`parentId`). Edits keep the
 * earlier bodies in `history`; deletion is soft: the body is erased for
 * everyone but the comment keeps its place in the thread.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface CommentRevision {
  body: string;
  editedAt: Date;
}

export interface Comment {
  _id: Types.ObjectId;
  discussionId: Types.ObjectId;
  authorId: Types.ObjectId;
  parentId: Types.ObjectId | null;
  body: string;
  history: CommentRevision[];
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedById: Types.ObjectId | null;
  mentionedUserIds: Types.ObjectId[];
  /** Client-generated id: a retried post is not applied twice. */
  clientId: string | null;
  sequence: number;
  /** Touched whenever a reaction comes or goes, so the change feed carries reactions live. */
  reactionsChangedAt: Date | null;
  /** Hidden pending review by a moderator: others see a placeholder until it is restored. */
  hiddenAt: Date | null;
  /** Held for approval (hold first posts): only its author and the moderators see it. */
  heldAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const commentSchema = new Schema<Comment>(
  {
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true, index: true },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    parentId: { type: Schema.Types.ObjectId, ref: 'Comment', default: null },
    body: { type: String, default: '' },
    history: [{ _id: false, body: String, editedAt: Date }],
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
    deletedById: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    mentionedUserIds: [{ type: Schema.Types.ObjectId, ref: 'User' }],
    clientId: { type: String, default: null },
    sequence: { type: Number, required: true },
    reactionsChangedAt: { type: Date, default: null },
    hiddenAt: { type: Date, default: null },
    heldAt: { type: Date, default: null },
  },
  { timestamps: true },
);
/** A discussion's comments in timeline order (listing with `?after=`). */
commentSchema.index({ discussionId: 1, sequence: 1 });
commentSchema.index(
  { authorId: 1, clientId: 1 },
  { unique: true, partialFilterExpression: { clientId: { $type: 'string' } } },
);

export type CommentDocument = HydratedDocument<Comment>;
export const CommentModel = model<Comment>('Comment', commentSchema);
