/**
 * A group's shareable join link: unlike an email invitation, anyone holding it
 * may join, so coordinators create it on purpose, with an expiry and a use
 * limit, and may withdraw it. Only a hash of its token is stored.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import type { JoinLinkStatus } from '../../../shared/dto.js';

export interface JoinLink {
  _id: Types.ObjectId;
  groupId: Types.ObjectId;
  tokenHash: string;
  createdById: Types.ObjectId;
  /** How many people may join through it; `uses` counts those who did. */
  maxUses: number;
  uses: number;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedById: Types.ObjectId | null;
  createdAt: Date;
}

const joinLinkSchema = new Schema<JoinLink>(
  {
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', required: true, index: true },
    tokenHash: { type: String, required: true, unique: true },
    createdById: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    maxUses: { type: Number, required: true, min: 1 },
    uses: { type: Number, default: 0, min: 0 },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedById: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type { JoinLinkStatus };

/** Where a join link stands at `now`: withdrawn, past its date, used up, or still usable. */
export function joinLinkStatus(
  link: Pick<JoinLink, 'revokedAt' | 'expiresAt' | 'uses' | 'maxUses'>,
  now: Date = new Date(),
): JoinLinkStatus {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return link.uses >= link.maxUses ? 'used_up' : 'active';
}

export type JoinLinkDocument = HydratedDocument<JoinLink>;
export const JoinLinkModel = model<JoinLink>('JoinLink', joinLinkSchema);
