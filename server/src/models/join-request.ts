/** A request to join a group, with an introduction, decided by a coordinator. */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export type JoinRequestStatus = 'pending' | 'approved' | 'declined';

export interface JoinRequest {
  _id: Types.ObjectId;
  groupId: Types.ObjectId;
  userId: Types.ObjectId;
  introduction: string;
  status: JoinRequestStatus;
  decidedById: Types.ObjectId | null;
  decidedAt: Date | null;
  createdAt: Date;
}

const joinRequestSchema = new Schema<JoinRequest>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    introduction: { type: String, default: '' },
    status: { type: String, enum: ['pending', 'approved', 'declined'], default: 'pending' },
    decidedById: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    decidedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
joinRequestSchema.index(
  { groupId: 1, userId: 1 },
  { unique: true, partialFilterExpression: { status: 'pending' } },
);

export type JoinRequestDocument = HydratedDocument<JoinRequest>;
export const JoinRequestModel = model<JoinRequest>('JoinRequest', joinRequestSchema);
