/**
 * Quick votes and temperature checks. A quick vote is an ordinary poll in the
 * meeting's discussion (its history, outcome and privacy rules are the
 * polls'), opened from a client id so a double click opens one; hidden results
 * use the polls' own `until_revealed`, so no route or live update can show
 * them before the facilitator's reveal. Closing on time is the polls' timer
 * (meetings/poll-timers.ts) with the closing job as a backstop.
 */
import { type Types } from 'mongoose';
import { closePoll } from '../commands/polls/close-poll.js';
import { createPoll } from '../commands/polls/create-poll.js';
import { loadDiscussion } from '../commands/discussions/load.js';
import { MeetingModel, type Meeting } from '../models/meeting.js';
import { meetingWritten } from './load.js';
import { MeetingSignalModel } from '../models/meeting-signal.js';
import { PollModel } from '../models/poll.js';
import { closingTimeFromInput, rulesFromInput } from '../routes/polls/create.js';
import { createPollSchema } from '../routes/polls/schema.js';
import { parse } from '../http/validate.js';
import { requireState } from './agenda.js';
import { changeMeeting } from './change.js';
import { NoDiscussionError } from './errors.js';
import { isHttpError, ValidationError } from '../errors.js';
import type { PollRules } from '../../../shared/polls/types.js';
import type { ActionInput } from '../routes/meetings/schema.js';

type Of<T extends ActionInput['type']> = Extract<ActionInput, { type: T }>;

/** The action's fields for the poll's (its duration stands for the poll's closing time). */
const ACTION_FIELD: Record<string, string> = { closesAt: 'durationSeconds' };

/**
 * The poll a `vote.open` asks for, checked as a poll posted in a discussion is
 * (so only a proposal may stay open until someone closes it), with a refusal
 * naming the action's own field (`action.options`, `action.durationSeconds`).
 */
function pollOfAction(action: Of<'vote.open'>): { rules: PollRules; closesAt: Date | null } {
  try {
    const input = parse(createPollSchema, {
      kind: action.kind,
      title: action.title,
      ...(action.options ? { options: action.options.map((label) => ({ label })) } : {}),
      closesAt:
        action.durationSeconds === null
          ? null
          : new Date(Date.now() + action.durationSeconds * 1000).toISOString(),
    });
    return { rules: rulesFromInput(input), closesAt: closingTimeFromInput(input) };
  } catch (error) {
    if (!isHttpError(error) || error.field === undefined) throw error;
    throw ValidationError(`action.${ACTION_FIELD[error.field] ?? error.field}`, error.message);
  }
}

export async function openQuickVote(
  meetingId: Types.ObjectId,
  authorId: Types.ObjectId,
  action: Of<'vote.open'>,
): Promise<void> {
  // The poll first: a vote refused for its kind, options or duration leaves nothing behind.
  const { rules, closesAt } = pollOfAction(action);
  // Then claim the client id: of two identical clicks, one opens the vote.
  let discussionId: Types.ObjectId | null = null;
  const claimed = await changeMeeting(meetingId, (meeting, _session, now) => {
    requireState(meeting, 'live');
    if (meeting.quickVotes.some((vote) => vote.clientId === action.clientId)) return null;
    discussionId = meeting.discussionIds[0] ?? null;
    if (!discussionId) throw NoDiscussionError();
    const vote = {
      clientId: action.clientId,
      pollId: null,
      itemId: meeting.currentItemId,
      hidden: action.hidden,
      openedAt: now,
    };
    return { quickVotes: [...meeting.quickVotes, vote] };
  });
  if (!claimed || !discussionId) return;
  const loaded = await loadDiscussion(String(discussionId));
  if (!loaded) throw NoDiscussionError();
  const poll = await createPoll({
    discussion: loaded.discussion,
    authorId,
    rules,
    title: action.title,
    details: '',
    closesAt,
    anonymous: false,
    hideResults: action.hidden ? 'until_revealed' : 'never',
    voterIds: null,
    reasonRequired: false,
    meetingId,
  });
  await MeetingModel.updateOne(
    { _id: meetingId, 'quickVotes.clientId': action.clientId },
    { $set: { 'quickVotes.$.pollId': poll._id }, $inc: { revision: 1 } },
  );
  meetingWritten(meetingId);
}

/** The meeting's latest quick vote's poll id, if any. */
const currentPollId = (meeting: Meeting) =>
  meeting.quickVotes.findLast((vote) => vote.pollId !== null)?.pollId ?? null;

export async function closeQuickVote(meeting: Meeting, actorId: Types.ObjectId): Promise<void> {
  const pollId = currentPollId(meeting);
  const poll = pollId ? await PollModel.findById(pollId) : null;
  if (!poll || poll.closedAt !== null) return;
  await closePoll({ poll, actorId });
}

/** Reveals the results of the latest quick vote (a no-op when already revealed). */
export async function revealQuickVote(meeting: Meeting): Promise<void> {
  const pollId = currentPollId(meeting);
  if (!pollId) return;
  await PollModel.updateOne(
    { _id: pollId, hideResults: 'until_revealed', revealedAt: null },
    { $set: { revealedAt: new Date() } },
  );
}

/** Sets (or, with null, withdraws) the person's signal on the current item. */
export async function signal(
  meeting: Meeting,
  userId: Types.ObjectId,
  action: Of<'temperature'>,
): Promise<void> {
  requireState(meeting, 'live');
  await MeetingSignalModel.updateOne(
    { meetingId: meeting._id, userId },
    { $set: { signal: action.signal, itemId: meeting.currentItemId } },
    { upsert: true },
  );
}
