/**
 * The mail jobs' work list: one record per (person, thing to tell them), under
 * a unique `key` (`n:<notificationId>` or `e:<eventId>:<userId>`), so however
 * often the jobs scan, and however many processes run them, a thing is
 * considered once. The state moves forward only, each step a conditional
 * update: `pending` -> `claimed` (one process owns it) -> `sent` | `skipped` |
 * `held` (for the digest) -> `digesting` -> `sent`, or `batched` (waiting
 * until `dueAt` with the person's other group activity, see mail-batch.ts)
 * -> `batching` -> `sent` | `skipped` | `held`. A process that dies after
 * claiming (`claimed`, `digesting`, `batching`) leaves the record so, and it
 * is never sent: at most once. A record waiting (`pending`, `held`,
 * `batched`) is in the database, so a restart loses nothing.
 * It holds ids only, never an address or content.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../shared/domain.js';

export const DELIVERY_STATES = [
  'pending',
  'claimed',
  'sent',
  'skipped',
  'held',
  'digesting',
  'batched',
  'batching',
  'failed',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** How often a send the transport reports as failed is tried before the record is `failed`. */
export const MAX_DELIVERY_ATTEMPTS = 3;

export interface EmailDelivery {
  _id: Types.ObjectId;
  key: string;
  userId: Types.ObjectId;
  kind: NotificationKind;
  actorId: Types.ObjectId | null;
  groupId: Types.ObjectId | null;
  discussionId: Types.ObjectId | null;
  commentId: Types.ObjectId | null;
  pollId: Types.ObjectId | null;
  /** The meeting a `meeting_started` delivery is about. */
  meetingId?: Types.ObjectId | null;
  /** When the thing happened (the notification or event's creation). */
  occurredAt: Date;
  state: DeliveryState;
  /** Why it was not sent: `inactive`, `preferences`, `no_access`, `outdated`. */
  reason: string | null;
  attempts: number;
  claimedAt: Date | null;
  sentAt: Date | null;
  /** The digest that carried it. */
  digestKey: string | null;
  /** While `batched`: when the person's batch goes out (its first record's time plus the window). */
  dueAt: Date | null;
  /** The batch email that carried it. */
  batchKey: string | null;
  createdAt: Date;
}

const emailDeliverySchema = new Schema<EmailDelivery>(
  {
    key: { type: String, required: true, unique: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    actorId: { type: Schema.Types.ObjectId, default: null },
    groupId: { type: Schema.Types.ObjectId, default: null },
    discussionId: { type: Schema.Types.ObjectId, default: null },
    commentId: { type: Schema.Types.ObjectId, default: null },
    pollId: { type: Schema.Types.ObjectId, default: null },
    meetingId: { type: Schema.Types.ObjectId, default: null },
    occurredAt: { type: Date, required: true },
    state: { type: String, enum: DELIVERY_STATES, default: 'pending' },
    reason: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    claimedAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    digestKey: { type: String, default: null },
    dueAt: { type: Date, default: null },
    batchKey: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
emailDeliverySchema.index({ state: 1, occurredAt: 1 });
emailDeliverySchema.index({ userId: 1, state: 1 });
emailDeliverySchema.index({ state: 1, dueAt: 1 });

export type EmailDeliveryDocument = HydratedDocument<EmailDelivery>;
export const EmailDeliveryModel = model<EmailDelivery>('EmailDelivery', emailDeliverySchema);
