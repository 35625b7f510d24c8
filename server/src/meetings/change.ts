/**
 * Changing a meeting's document safely while several facilitators (and
 * processes) act at once: read it, decide the change, and write it only if
 * nobody wrote in between (compare and set on `revision`), else read again and
 * decide again. The decision runs in a transaction with whatever else the
 * action writes (hands), so both land or neither does.
 */
import mongoose, { type ClientSession, type UpdateQuery } from 'mongoose';
import type { Types } from 'mongoose';
import { MeetingModel, type Meeting } from '../models/meeting.js';
import { MeetingNotFoundError } from './errors.js';
import { meetingWritten } from './load.js';

/** Decides the change from the meeting as stored now (a plain object); null changes nothing. */
export type MeetingChange = (
  meeting: Meeting,
  session: ClientSession,
  now: Date,
) => Promise<UpdateQuery<Meeting>['$set'] | null> | UpdateQuery<Meeting>['$set'] | null;

class Conflict extends Error {}

const ATTEMPTS = 10;

/** Applies `decide` to the current meeting; returns whether it changed anything. */
export async function changeMeeting(
  meetingId: Types.ObjectId,
  decide: MeetingChange,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    let changed = false;
    try {
      await mongoose.connection.transaction(async (session) => {
        changed = false;
        const meeting = await MeetingModel.findById(meetingId).session(session).lean<Meeting>();
        if (!meeting) throw MeetingNotFoundError();
        const set = await decide(meeting, session, new Date());
        if (!set) return;
        const result = await MeetingModel.updateOne(
          { _id: meetingId, revision: meeting.revision },
          { $set: set, $inc: { revision: 1 } },
          { session },
        );
        if (result.modifiedCount !== 1) throw new Conflict();
        changed = true;
      });
      if (changed) meetingWritten(meetingId);
      return changed;
    } catch (error) {
      if (!(error instanceof Conflict) || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
    }
  }
}
