/** How far a person has read a discussion (the last timeline sequence seen). */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface ReadState {
  _id: Types.ObjectId;
  discussionId: Types.ObjectId;
  userId: Types.ObjectId;
  lastReadSequence: number;
  updatedAt: Date;
}

const readStateSchema = new Schema<ReadState>(
  {
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    lastReadSequence: { type: Number, default: 0 },
  },
  { timestamps: { createdAt: false, updatedAt: true } },
);
readStateSchema.index({ userId: 1, discussionId: 1 }, { unique: true });

export type ReadStateDocument = HydratedDocument<ReadState>;
export const ReadStateModel = model<ReadState>('ReadState', readStateSchema);
