/** A person invited to one discussion without joining its group. */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { tellPersonWrites } from './person-writes.js';

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

// What holds this process's copies of people's rights hears of every write (auth/viewers-held.ts).
tellPersonWrites(guestSchema, 'userId');

export type GuestDocument = HydratedDocument<Guest>;
export const GuestModel = model<Guest>('Guest', guestSchema);
