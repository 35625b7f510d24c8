/**
 * The published minutes `minutes_published` timeline events carry, read once
 * for a batch of events (the live fan-out, a catch-up, a page of the
 * timeline).
 */
import type { Types } from 'mongoose';
import { MeetingModel } from '../models/meeting.js';
import type { MinutesOf } from '../presenters/event.js';

export async function loadMinutesOf(
  events: ReadonlyArray<{ kind: string; meetingId?: Types.ObjectId | null }>,
): Promise<MinutesOf> {
  const ids = events.flatMap((e) =>
    e.kind === 'minutes_published' && e.meetingId ? [e.meetingId] : [],
  );
  if (ids.length === 0) return () => null;
  const meetings = await MeetingModel.find(
    { _id: { $in: ids }, minutes: { $ne: null } },
    { title: 1, minutes: 1 },
  ).lean();
  const byId = new Map(
    meetings.map((m) => [
      String(m._id),
      { meetingId: String(m._id), title: m.title, markdown: m.minutes?.markdown ?? '' },
    ]),
  );
  return (id) => byId.get(String(id)) ?? null;
}
