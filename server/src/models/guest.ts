/** A person invited to one discussion without joining its group. */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface Guest {
  _id: Types.ObjectId;
  discussionId: Types.ObjectId;
  userId: Types.ObjectId;
  invitedById: Types.ObjectId;
  createdAt: Date;
}

const guestSchema = new Schema<Guest>(
  {
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    invitedById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
guestSchema.index({ discussionId: 1, userId: 1 }, { unique: true });

export type GuestDocument = HydratedDocument<Guest>;
export const GuestModel = model<Guest>('Guest', guestSchema);
