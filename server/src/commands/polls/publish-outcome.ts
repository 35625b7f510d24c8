/**
 * Publishing a closed poll's outcome statement (publishing again replaces it),
 * with an `outcome_published` event, and an `outcome` notification to each
 * person who voted, except the one publishing. Notifications go to each voter
 * alone, so they reveal nothing about anonymous voters to anyone else.
 */
import mongoose, { type Types } from 'mongoose';
import { ConflictError } from '../../errors.js';
import { NotificationModel } from '../../models/notification.js';
import { PollModel, type Poll } from '../../models/poll.js';
import { VoteModel } from '../../models/vote.js';
import { appendTimelineEvent } from '../timeline.js';

export interface PublishOutcomeProps {
  poll: Pick<Poll, '_id' | 'discussionId'>;
  authorId: Types.ObjectId;
  statement: string;
}

/** Sets the outcome of a closed poll (409 when open), with its event and notifications. */
export async function publishOutcome(props: PublishOutcomeProps): Promise<void> {
  const { poll, authorId } = props;
  await mongoose.connection.transaction(async (session) => {
    const outcome = { statement: props.statement, authorId, createdAt: new Date() };
    const result = await PollModel.updateOne(
      { _id: poll._id, closedAt: { $ne: null } },
      { $set: { outcome } },
      { session },
    );
    if (result.matchedCount !== 1)
      throw ConflictError('Close the poll before publishing its outcome');
    await appendTimelineEvent(
      {
        discussionId: poll.discussionId,
        kind: 'outcome_published',
        actorId: authorId,
        pollId: poll._id,
      },
      session,
    );
    const voters = await VoteModel.find(
      { pollId: poll._id, userId: { $ne: authorId } },
      { userId: 1 },
      { session },
    ).lean();
    if (voters.length > 0) {
      await NotificationModel.insertMany(
        voters.map((v) => ({
          userId: v.userId,
          kind: 'outcome',
          actorId: authorId,
          discussionId: poll.discussionId,
          pollId: poll._id,
        })),
        { session },
      );
    }
  });
}
