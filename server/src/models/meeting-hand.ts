/**
 * A raised hand in a meeting: one document per raise, so hundreds of people
 * raising at once write separate documents instead of contending for the
 * meeting's. A hand belongs to the agenda item current when it was raised
 * (each item has its own list of speakers); who spoke on an item is read from
 * the hands that were called.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { HAND_KINDS, type HandKind } from '../../../shared/meetings.js';

export const HAND_STATES = ['waiting', 'speaking', 'spoken', 'lowered', 'removed'] as const;
export type HandState = (typeof HAND_STATES)[number];

export interface MeetingHand {
  _id: Types.ObjectId;
  meetingId: Types.ObjectId;
  /** The agenda item current when raised (null before the first item). */
  itemId: string | null;
  userId: Types.ObjectId;
  kind: HandKind;
  /** The raising client's id: a repeated raise finds this hand instead of adding one. */
  clientId: string;
  state: HandState;
  /** Order within its priority: the raise time, moved to now when the facilitator skips it. */
  position: number;
  /** The facilitator's order (queue.reorder), before any unranked hand; null until reordered. */
  rank: number | null;
  raisedAt: Date;
  calledAt: Date | null;
  doneAt: Date | null;
}

const handSchema = new Schema<MeetingHand>(
  {
    meetingId: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    itemId: { type: String, default: null },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    kind: { type: String, enum: HAND_KINDS, required: true },
    clientId: { type: String, required: true },
    state: { type: String, enum: HAND_STATES, default: 'waiting' },
    position: { type: Number, required: true },
    rank: { type: Number, default: null },
    raisedAt: { type: Date, required: true },
    calledAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'meeting_hands' },
);
handSchema.index({ meetingId: 1, userId: 1, clientId: 1 }, { unique: true });
handSchema.index({ meetingId: 1, itemId: 1, state: 1 });
// One waiting hand per person and item: a raise is stored in one write, and a second one collides.
handSchema.index(
  { meetingId: 1, itemId: 1, userId: 1 },
  { unique: true, partialFilterExpression: { state: 'waiting' } },
);

export type MeetingHandDocument = HydratedDocument<MeetingHand>;
export const MeetingHandModel = model<MeetingHand>('MeetingHand', handSchema);
