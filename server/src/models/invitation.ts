/**
 * An emailed invitation to a group, or to one discussion as a guest. Only a
 * hash of the single-use token is stored.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import type { GroupRole } from '../../../shared/domain.js';

export interface Invitation {
  _id: Types.ObjectId;
  groupId: Types.ObjectId | null;
  discussionId: Types.ObjectId | null;
  email: string;
  role: GroupRole;
  tokenHash: string;
  invitedById: Types.ObjectId;
  acceptedAt: Date | null;
  acceptedById: Types.ObjectId | null;
  revokedAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

const invitationSchema = new Schema<Invitation>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null, index: true },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', default: null },
    email: { type: String, required: true, lowercase: true, trim: true },
    role: { type: String, enum: ['coordinator', 'member'], default: 'member' },
    tokenHash: { type: String, required: true, unique: true },
    invitedById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    acceptedAt: { type: Date, default: null },
    acceptedById: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    revokedAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** Where an invitation stands at `now`: used once, withdrawn, past its date, or still open. */
export function invitationStatus(
  invitation: Pick<Invitation, 'acceptedAt' | 'revokedAt' | 'expiresAt'>,
  now: Date = new Date(),
): InvitationStatus {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
}

export type InvitationDocument = HydratedDocument<Invitation>;
export const InvitationModel = model<Invitation>('Invitation', invitationSchema);
