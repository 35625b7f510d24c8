/**
 * A discussion in a group, or among invited guests only (`groupId` null).
 * `lastSequence` numbers its timeline events; `private` is derived from the
 * group's privacy (re-derived when the discussion moves).
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface Discussion {
  _id: Types.ObjectId;
  groupId: Types.ObjectId | null;
  authorId: Types.ObjectId;
  title: string;
  /** Markdown. */
  context: string;
  private: boolean;
  closedAt: Date | null;
  pinnedAt: Date | null;
  lastSequence: number;
  lastActivityAt: Date;
  /** When the author was last deactivated or reactivated: a change readers must see (their name). */
  authorStatusChangedAt: Date | null;
  /** Slow mode: at most one comment per person per this many seconds (0: off). */
  slowModeSeconds: number;
  createdAt: Date;
  updatedAt: Date;
}

const discussionSchema = new Schema<Discussion>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null, index: true },
    authorId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true, trim: true },
    context: { type: String, default: '' },
    private: { type: Boolean, default: true },
    closedAt: { type: Date, default: null },
    pinnedAt: { type: Date, default: null },
    lastSequence: { type: Number, default: 0 },
    lastActivityAt: { type: Date, default: () => new Date() },
    authorStatusChangedAt: { type: Date, default: null },
    slowModeSeconds: { type: Number, default: 0 },
  },
  { timestamps: true },
);

/** A group's list: newest activity first. */
discussionSchema.index({ groupId: 1, lastActivityAt: -1 });

export type DiscussionDocument = HydratedDocument<Discussion>;
export const DiscussionModel = model<Discussion>('Discussion', discussionSchema);
