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

/**
 * Decides the change from the meeting (a plain object: as stored now, or as
 * this process holds it on a first attempt, see changeMeeting); null changes
 * nothing. May throw MeetingConflict to decide again from a fresh read.
 */
export type MeetingChange = (
  meeting: Meeting,
  session: ClientSession,
  now: Date,
) => Promise<UpdateQuery<Meeting>['$set'] | null> | UpdateQuery<Meeting>['$set'] | null;

/** The meeting, or what the decision rests on, moved since it was read: decide again on a fresh read. */
export class MeetingConflict extends Error {}

const ATTEMPTS = 10;

/**
 * Applies `decide` to the current meeting; returns whether it changed anything.
 * `held` is the meeting as this process holds it (load.ts): the first attempt
 * decides from it without reading, and the compare and set catches it stale;
 * a decision from it that changes nothing or refuses is taken again from a
 * fresh read, so a stale copy never drops or refuses an action.
 */
export async function changeMeeting(
  meetingId: Types.ObjectId,
  decide: MeetingChange,
  held?: Meeting,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    let changed = false;
    const hint = attempt === 0 ? held : undefined;
    try {
      await mongoose.connection.transaction(async (session) => {
        changed = false;
        const meeting =
          hint ?? (await MeetingModel.findById(meetingId).session(session).lean<Meeting>());
        if (!meeting) throw MeetingNotFoundError();
        let set: Awaited<ReturnType<MeetingChange>>;
        try {
          set = await decide(meeting, session, new Date());
        } catch (error) {
          // A refusal decided from the held copy is decided again from the stored meeting.
          throw hint && !(error instanceof MeetingConflict) ? new MeetingConflict() : error;
        }
        if (!set && hint) throw new MeetingConflict();
        if (!set) return;
        const result = await MeetingModel.updateOne(
          { _id: meetingId, revision: meeting.revision },
          { $set: set, $inc: { revision: 1 } },
          { session },
        );
        if (result.modifiedCount !== 1) throw new MeetingConflict();
        changed = true;
      });
      if (changed) meetingWritten(meetingId);
      return changed;
    } catch (error) {
      // The attempt on a held copy is not one of the attempts against other writers.
      if (!(error instanceof MeetingConflict) || attempt >= ATTEMPTS + (held ? 1 : 0)) throw error;
      // A stale copy is read again at once; a conflict with another writer waits a moment.
      if (!hint)
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
    }
  }
}
