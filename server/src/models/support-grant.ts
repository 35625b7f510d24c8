/**
 * Support access a group's coordinators grant to the site's administrators
 * (P12): for a chosen time, administrators may read the group's discussions,
 * members (with their addresses) and votes through the ordinary routes, and
 * every such read is written to the support audit (support-audit.ts). Without
 * an active grant, being an administrator gives no access at all. A group has
 * at most one active grant: granting again revokes the current one first.
 * Revoked and expired grants stay as the group's history.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface SupportGrant {
  _id: Types.ObjectId;
  groupId: Types.ObjectId;
  grantedById: Types.ObjectId;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedById: Types.ObjectId | null;
  createdAt: Date;
}

const supportGrantSchema = new Schema<SupportGrant>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
    grantedById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedById: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
supportGrantSchema.index({ groupId: 1, expiresAt: -1 });
supportGrantSchema.index({ revokedAt: 1, expiresAt: 1 });

export type SupportGrantDocument = HydratedDocument<SupportGrant>;
export const SupportGrantModel = model<SupportGrant>('SupportGrant', supportGrantSchema);

/** The filter of grants in force at `now`. */
export const activeGrantFilter = (now: Date = new Date()) => ({
  revokedAt: null,
  expiresAt: { $gt: now },
});
