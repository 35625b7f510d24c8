/**
 * Creating a poll: the poll and its `poll_created` timeline event are written
 * in one transaction, so readers never see one without the other. The caller
 * has authorized the author and validated the rules and voters.
 */
import mongoose, { type Types } from 'mongoose';
import type { HideResults } from '../../../../shared/domain.js';
import type { PollRules } from '../../../../shared/polls.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import { PollModel, type PollDocument } from '../../models/poll.js';
import { appendTimelineEvent } from '../timeline.js';

export interface CreatePollProps {
  discussion: DiscussionDocument;
  authorId: Types.ObjectId;
  /** Already accepted by the shared `validateRules`. */
  rules: PollRules;
  title: string;
  details: string;
  closesAt: Date | null;
  anonymous: boolean;
  hideResults: HideResults;
  voterIds: Types.ObjectId[] | null;
  reasonRequired: boolean;
  /** A meeting's quick vote: its entry names the meeting (no new-poll email: jobs/mail-collect.ts). */
  meetingId?: Types.ObjectId;
}

/** Creates the poll with its `poll_created` event; returns the stored poll. */
export async function createPoll(props: CreatePollProps): Promise<PollDocument> {
  const { rules } = props;
  let pollId: Types.ObjectId | undefined;
  await mongoose.connection.transaction(async (session) => {
    const [poll] = await PollModel.create(
      [
        {
          discussionId: props.discussion._id,
          groupId: props.discussion.groupId,
          authorId: props.authorId,
          kind: rules.kind,
          title: props.title,
          details: props.details,
          options: rules.options.map((o) => ({ id: o.id, label: o.label, startsAt: o.startsAt })),
          minChoices: rules.minChoices ?? null,
          maxChoices: rules.maxChoices ?? null,
          minScore: rules.minScore ?? null,
          maxScore: rules.maxScore ?? null,
          dotsPerPerson: rules.dotsPerPerson ?? null,
          threshold: rules.threshold ?? null,
          closesAt: props.closesAt,
          anonymous: props.anonymous,
          hideResults: props.hideResults,
          voterIds: props.voterIds,
          reasonRequired: props.reasonRequired,
        },
      ],
      { session },
    );
    pollId = poll._id;
    await appendTimelineEvent(
      {
        discussionId: props.discussion._id,
        kind: 'poll_created',
        actorId: props.authorId,
        pollId: poll._id,
        meetingId: props.meetingId ?? null,
      },
      session,
    );
  });
  const created = await PollModel.findById(pollId);
  if (!created) throw new Error('poll vanished right after its creation');
  return created;
}
