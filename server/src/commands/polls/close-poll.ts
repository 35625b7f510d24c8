/**
 * Closing a poll, by a person or by the closing job. The close is a
 * conditional update (`closedAt: null`), so of several closers racing, in this
 * process or others, exactly one wins, and only the winner appends the
 * `poll_closed` event, in the same transaction.
 */
import mongoose, { type Types } from 'mongoose';
import { PollModel, type Poll } from '../../models/poll.js';
import { appendTimelineEvent } from '../timeline.js';

export interface ClosePollProps {
  poll: Pick<Poll, '_id' | 'discussionId'>;
  /** Null when the closing job closes the poll. */
  actorId: Types.ObjectId | null;
  at?: Date;
}

/** Closes the poll if still open; true when this call closed it. */
export async function closePoll(props: ClosePollProps): Promise<boolean> {
  const closedAt = props.at ?? new Date();
  let won = false;
  await mongoose.connection.transaction(async (session) => {
    const result = await PollModel.updateOne(
      { _id: props.poll._id, closedAt: null },
      { $set: { closedAt } },
      { session },
    );
    won = result.modifiedCount === 1;
    if (won) {
      await appendTimelineEvent(
        {
          discussionId: props.poll.discussionId,
          kind: 'poll_closed',
          actorId: props.actorId,
          pollId: props.poll._id,
        },
        session,
      );
    }
  });
  return won;
}
