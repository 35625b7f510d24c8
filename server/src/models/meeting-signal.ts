/**
 * A participant's temperature signal in a meeting (agree, unsure, ...): at
 * most one per person, tied to the agenda item it was sent on, so moving to
 * another item clears everyone's at once. Only counts ever leave the server.
 */
import { Schema, model, type Types } from 'mongoose';
import { TEMPERATURE_SIGNALS, type TemperatureSignal } from '../../../shared/meetings.js';

export interface MeetingSignal {
  _id: Types.ObjectId;
  meetingId: Types.ObjectId;
  itemId: string | null;
  userId: Types.ObjectId;
  /** Null once withdrawn (kept, so the change feed can tell which meeting it belonged to). */
  signal: TemperatureSignal | null;
  updatedAt: Date;
}

const signalSchema = new Schema<MeetingSignal>(
  {
    meetingId: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    itemId: { type: String, default: null },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    signal: { type: String, enum: [...TEMPERATURE_SIGNALS, null], default: null },
  },
  { versionKey: false, collection: 'meeting_signals', timestamps: { createdAt: false } },
);
signalSchema.index({ meetingId: 1, userId: 1 }, { unique: true });

export const MeetingSignalModel = model<MeetingSignal>('MeetingSignal', signalSchema);
