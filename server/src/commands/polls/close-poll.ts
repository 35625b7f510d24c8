/**
 * Closing a poll, by a person or by the closing job. The close is a
 * conditional update (`closedAt: null`), so of several closers racing, in this
 * process or others, exactly one wins, and only the winner appends to the
 * timeline, in the same transaction: first the votes that waited for the
 * results to open to everyone (a poll with hidden results; see cast-vote.ts),
 * one `vote_cast` per voter, then `poll_closed`. An anonymous poll has no vote
 * events; its full tally simply shows from now on.
 */
import mongoose, { type ClientSession, type Types } from 'mongoose';
import { PollModel, type Poll } from '../../models/poll.js';
import { VoteModel } from '../../models/vote.js';
import { appendTimelineEvent } from '../timeline.js';

export interface ClosePollProps {
  poll: Pick<Poll, '_id' | 'discussionId'>;
  /** Null when the closing job closes the poll. */
  actorId: Types.ObjectId | null;
  at?: Date;
}

/** Puts on the timeline, in the order they were last changed, the votes not on it yet. */
async function announceWaitingVotes(
  poll: Pick<Poll, '_id' | 'discussionId' | 'anonymous' | 'hideResults'>,
  at: Date,
  session: ClientSession,
): Promise<void> {
  // Without hidden results every vote went on the timeline as it was cast.
  if (poll.anonymous || poll.hideResults === 'never') return;
  const waiting = await VoteModel.find(
    { pollId: poll._id, announcedAt: null },
    { userId: 1 },
    { session },
  ).sort({ updatedAt: 1, _id: 1 });
  for (const vote of waiting) {
    await appendTimelineEvent(
      {
        discussionId: poll.discussionId,
        kind: 'vote_cast',
        actorId: vote.userId,
        pollId: poll._id,
      },
      session,
    );
  }
  if (waiting.length > 0)
    await VoteModel.updateMany(
      { _id: { $in: waiting.map((v) => v._id) } },
      { $set: { announcedAt: at } },
      { session, timestamps: false },
    );
}

/** Closes the poll if still open; true when this call closed it. */
export async function closePoll(props: ClosePollProps): Promise<boolean> {
  const closedAt = props.at ?? new Date();
  let won = false;
  await mongoose.connection.transaction(async (session) => {
    const closed = await PollModel.findOneAndUpdate(
      { _id: props.poll._id, closedAt: null },
      { $set: { closedAt } },
      { session, projection: { anonymous: 1, hideResults: 1, discussionId: 1 } },
    );
    won = closed !== null;
    if (closed) {
      await announceWaitingVotes(closed, new Date(), session);
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
