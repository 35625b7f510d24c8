/**
 * Reopening a closed poll, with a new closing time or none. Never an anonymous
 * poll: its voters were promised a ballot that ends. The condition is part of
 * the update, so a poll made anonymous or reopened meanwhile is not touched.
 */
import mongoose, { type Types } from 'mongoose';
import { ConflictError } from '../../errors.js';
import { PollModel, type Poll } from '../../models/poll.js';
import { appendTimelineEvent } from '../timeline.js';

export interface ReopenPollProps {
  poll: Pick<Poll, '_id' | 'discussionId'>;
  actorId: Types.ObjectId;
  /** The new closing time (future), or null for none. */
  closesAt: Date | null;
}

/** Reopens the poll with its `poll_reopened` event; 409 unless it is closed and not anonymous. */
export async function reopenPoll(props: ReopenPollProps): Promise<void> {
  await mongoose.connection.transaction(async (session) => {
    const result = await PollModel.updateOne(
      { _id: props.poll._id, closedAt: { $ne: null }, anonymous: false },
      { $set: { closedAt: null, closesAt: props.closesAt } },
      { session },
    );
    if (result.modifiedCount !== 1) throw ConflictError('This poll is not closed');
    await appendTimelineEvent(
      {
        discussionId: props.poll.discussionId,
        kind: 'poll_reopened',
        actorId: props.actorId,
        pollId: props.poll._id,
      },
      session,
    );
  });
}
