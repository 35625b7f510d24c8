/**
 * The timeline of a discussion: one entry per thing that happened, numbered by
 * a per-discussion sequence. A reconnecting client asks for everything after
 * the last sequence it saw.
 */
import { EVENT_KINDS, type EventKind } from '../../../shared/domain.js';
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export { EVENT_KINDS, type EventKind };

export interface TimelineEvent {
  _id: Types.ObjectId;
  discussionId: Types.ObjectId;
  sequence: number;
  kind: EventKind;
  /** Null for system actions (the poll-closing job) and for anonymous votes. */
  actorId: Types.ObjectId | null;
  commentId: Types.ObjectId | null;
  pollId: Types.ObjectId | null;
  /** The meeting of a `minutes_published` event. */
  meetingId?: Types.ObjectId | null;
  createdAt: Date;
}

const eventSchema = new Schema<TimelineEvent>(
  {
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true },
    sequence: { type: Number, required: true },
    kind: { type: String, enum: EVENT_KINDS, required: true },
    actorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    commentId: { type: Schema.Types.ObjectId, ref: 'Comment', default: null },
    pollId: { type: Schema.Types.ObjectId, ref: 'Poll', default: null },
    meetingId: { type: Schema.Types.ObjectId, ref: 'Meeting', default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
eventSchema.index({ discussionId: 1, sequence: 1 }, { unique: true });

export type TimelineEventDocument = HydratedDocument<TimelineEvent>;
export const EventModel = model<TimelineEvent>('Event', eventSchema);
