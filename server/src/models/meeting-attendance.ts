/**
 * Who was present at a meeting, for its minutes: one record per meeting and
 * person taking part (facilitators and participants; visitors watch, they do
 * not attend), with when they first joined and when they last left.
 * `present` counts the processes holding at least one of the person's meeting
 * sockets, so two tabs on two processes leave only when both are gone; it is
 * written by meetings/attendance.ts as sockets join and leave the meeting's
 * rooms.
 */
import { Schema, model, type Types } from 'mongoose';

export interface MeetingAttendance {
  _id: Types.ObjectId;
  meetingId: Types.ObjectId;
  userId: Types.ObjectId;
  joinedAt: Date;
  /** When the person last left; null while present. */
  leftAt: Date | null;
  /** Processes where the person has a meeting socket now. */
  present: number;
}

const attendanceSchema = new Schema<MeetingAttendance>(
  {
    meetingId: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    joinedAt: { type: Date, required: true },
    leftAt: { type: Date, default: null },
    present: { type: Number, default: 0 },
  },
  { versionKey: false, collection: 'meeting_attendance' },
);
attendanceSchema.index({ meetingId: 1, userId: 1 }, { unique: true });

export const MeetingAttendanceModel = model<MeetingAttendance>(
  'MeetingAttendance',
  attendanceSchema,
);
