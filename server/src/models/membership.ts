/** A person's role in a group. A group always keeps at least one coordinator. */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { tellPersonWrites } from './person-writes.js';
import type { GroupRole } from '../../../shared/domain.js';

export interface Membership {
  _id: Types.ObjectId;
  groupId: Types.ObjectId;
  userId: Types.ObjectId;
  role: GroupRole;
  /** Set while the member's account is deactivated; suspended memberships grant nothing. */
  suspendedAt: Date | null;
  /** Named a moderator by a coordinator: moderation rights without the rest of a coordinator's. */
  moderator: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const membershipSchema = new Schema<Membership>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    role: { type: String, enum: ['coordinator', 'member'], required: true },
    suspendedAt: { type: Date, default: null },
    moderator: { type: Boolean, default: false },
  },
  { timestamps: true },
);
membershipSchema.index({ groupId: 1, userId: 1 }, { unique: true });

// What holds this process's copies of people's rights hears of every write (auth/viewers-held.ts).
tellPersonWrites(membershipSchema, 'userId');

export type MembershipDocument = HydratedDocument<Membership>;
export const MembershipModel = model<Membership>('Membership', membershipSchema);
