/**
 * Appends an event to a discussion's timeline with the discussion's next
 * sequence number (one atomic increment, so concurrent writers never share a
 * number). Every command that changes a discussion's content calls it, inside
 * the same transaction as the change when it has one.
 */
import mongoose, { type ClientSession, type Types } from 'mongoose';
import { DiscussionModel } from '../models/discussion.js';
import { EventModel, type EventKind, type TimelineEventDocument } from '../models/event.js';

export interface TimelineEntry {
  discussionId: Types.ObjectId;
  kind: EventKind;
  actorId?: Types.ObjectId | null;
  commentId?: Types.ObjectId | null;
  pollId?: Types.ObjectId | null;
  meetingId?: Types.ObjectId | null;
}

export async function appendTimelineEvent(
  entry: TimelineEntry,
  session?: ClientSession,
): Promise<TimelineEventDocument> {
  const discussion = await DiscussionModel.findOneAndUpdate(
    { _id: entry.discussionId },
    { $inc: { lastSequence: 1 }, $set: { lastActivityAt: new Date() } },
    { returnDocument: 'after', session, projection: { lastSequence: 1 } },
  ).lean<{ lastSequence: number }>();
  if (!discussion)
    throw new Error(
      `discussion ${String(entry.discussionId)} vanished while appending to its timeline`,
    );
  const [event] = await EventModel.create(
    [
      {
        discussionId: entry.discussionId,
        sequence: discussion.lastSequence,
        kind: entry.kind,
        actorId: entry.actorId ?? null,
        commentId: entry.commentId ?? null,
        pollId: entry.pollId ?? null,
        meetingId: entry.meetingId ?? null,
      },
    ],
    { session },
  );
  return event;
}

/** The tail of each discussion's queue of timeline transactions in this process. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs a transaction that appends to a discussion's timeline after the ones
 * this process already started for the same discussion. Every such
 * transaction increments the discussion's sequence, so concurrent ones would
 * conflict and back off; queued, a burst of posts in a live meeting commits
 * one after another without conflicts. (Several processes still meet only at
 * the database, where conflicts are retried as before.)
 */
export function timelineTransaction<T>(
  discussionId: Types.ObjectId,
  work: (session: ClientSession) => Promise<T>,
): Promise<T> {
  return timelineTurn(discussionId, () => mongoose.connection.transaction(work));
}

/**
 * Runs `turn` (which may make more than one transaction, one after another)
 * in the discussion's line, as `timelineTransaction` runs one.
 */
export function timelineTurn<T>(discussionId: Types.ObjectId, turn: () => Promise<T>): Promise<T> {
  const key = String(discussionId);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(turn, turn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
