/**
 * Appends an event to a discussion's timeline with the discussion's next
 * sequence number (one atomic increment, so concurrent writers never share a
 * number). Every command that changes a discussion's content calls it, inside
 * the same transaction as the change when it has one.
 */
import type { ClientSession, Types } from 'mongoose';
import { DiscussionModel } from '../models/discussion.js';
import { EventModel, type EventKind, type TimelineEventDocument } from '../models/event.js';

export interface TimelineEntry {
  discussionId: Types.ObjectId;
  kind: EventKind;
  actorId?: Types.ObjectId | null;
  commentId?: Types.ObjectId | null;
  pollId?: Types.ObjectId | null;
}

export async function appendTimelineEvent(
  entry: TimelineEntry,
  session?: ClientSession,
): Promise<TimelineEventDocument> {
  const discussion = await DiscussionModel.findOneAndUpdate(
    { _id: entry.discussionId },
    { $inc: { lastSequence: 1 }, $set: { lastActivityAt: new Date() } },
    { returnDocument: 'after', session, projection: { lastSequence: 1 } },
  );
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
      },
    ],
    { session },
  );
  return event;
}
