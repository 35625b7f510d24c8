/**
 * A restriction on a person: a mute or a ban in one group, or a suspension
 * across the site. Kept in the database so every process enforces it and it
 * survives restarts; it is in force while not lifted and before `until`
 * (null: until lifted), so a timed one ends by itself with no job.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { personWriteSignal, type PersonWriteListener } from './person-writes.js';
import type { RestrictionKind } from '../../../shared/moderation.js';

export interface Restriction {
  _id: Types.ObjectId;
  kind: RestrictionKind;
  /** Null for a site-wide suspension. */
  groupId: Types.ObjectId | null;
  userId: Types.ObjectId;
  until: Date | null;
  reason: string;
  byId: Types.ObjectId | null;
  liftedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const restrictionSchema = new Schema<Restriction>(
  {
    kind: { type: String, enum: ['mute', 'ban', 'suspension'], required: true },
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    until: { type: Date, default: null },
    reason: { type: String, required: true, maxlength: 2000 },
    byId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    liftedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
restrictionSchema.index({ userId: 1, kind: 1, liftedAt: 1 });
restrictionSchema.index({ groupId: 1, kind: 1, liftedAt: 1 });

/** Restrictions: what holds copies of them (moderation/restrictions-held.ts) hears of this process's writes. */
const restrictionWrites = personWriteSignal();
restrictionWrites.hook(restrictionSchema, 'userId');

/** Hears of every restriction this process writes, once written (null: maybe anyone's). */
export const onRestrictionWrite = (listener: PersonWriteListener) => restrictionWrites.on(listener);

/** The query for restrictions in force now. */
export const inForce = (now = new Date()) => ({
  liftedAt: null,
  $or: [{ until: null }, { until: { $gt: now } }],
});

export type RestrictionDocument = HydratedDocument<Restriction>;
export const RestrictionModel = model<Restriction>('Restriction', restrictionSchema);
