/**
 * Casting or changing one's vote. One vote per person and poll (a unique
 * index); the poll's `voterCount` grows only when a new vote is created. The
 * vote and the count are one transaction, which also re-checks that the poll
 * is still open, so a vote never lands after closing. A `vote_cast` event is
 * appended in it only when every reader may see the vote at once (results
 * never hidden, not anonymous; see `votesGoOnTimelineAtOnce`): where results
 * are hidden the vote waits for the poll's closing to go on the timeline
 * (close-poll.ts), and an anonymous poll has no vote events at all, its tally
 * moving in batches (publish-tallies.ts). Such a vote moves neither the
 * discussion's sequence nor its activity time, so no one counts it there.
 * Re-submitting the very vote one already cast (a retried request) changes
 * nothing and adds no event.
 */
import { isDuplicateKey } from '../../db/errors.js';
import type { ClientSession, Types } from 'mongoose';
import type { Choice } from '../../../../shared/polls.js';
import { HttpError } from '../../errors.js';
import { PollModel, type Poll, type PollDocument } from '../../models/poll.js';
import { votesGoOnTimelineAtOnce } from '../../policies/poll.js';
import { VoteModel, type VoteDocument } from '../../models/vote.js';
import { appendTimelineEvent, timelineTransaction } from '../timeline.js';

export interface CastVoteProps {
  poll: Pick<Poll, '_id' | 'discussionId'>;
  voterId: Types.ObjectId;
  /** Already accepted by the shared `validateChoices`. */
  choices: Choice[];
  reason: string;
}

export interface CastVoteResult {
  vote: VoteDocument;
  /** False when an earlier vote was changed. */
  created: boolean;
  /** The poll as this vote left it (its counts moved), when the vote changed anything. */
  poll?: PollDocument;
}

/** The poll stopped accepting votes between the check and the write. */
export const PollClosedError = () => new HttpError('conflict', 409, 'This poll is closed');

/** Whether a stored vote already says exactly this (same choices in the same order, same reason). */
function isSameVote(vote: VoteDocument, choices: Choice[], reason: string): boolean {
  return (
    vote.reason === reason &&
    vote.choices.length === choices.length &&
    vote.choices.every((c, i) => c.optionId === choices[i].optionId && c.value === choices[i].value)
  );
}

/** One vote as its transaction stored it, and whether it is new. */
type Cast = CastVoteResult;

async function castOnce(props: CastVoteProps, session: ClientSession): Promise<Cast> {
  const now = new Date();
  const existing = await VoteModel.findOne(
    { pollId: props.poll._id, userId: props.voterId },
    null,
    { session },
  );
  if (existing && isSameVote(existing, props.choices, props.reason))
    return { vote: existing, created: false };
  const created = existing === null;
  // Matches only an open poll. Every vote writes the poll (the count of votes
  // not yet published), as a close does, so a concurrent close and this vote
  // cannot both commit.
  const open = await PollModel.findOneAndUpdate(
    { _id: props.poll._id, closedAt: null, $or: [{ closesAt: null }, { closesAt: { $gt: now } }] },
    { $inc: { voterCount: created ? 1 : 0, unpublishedVotes: 1 } },
    { session, returnDocument: 'after', timestamps: false },
  );
  if (!open) throw PollClosedError();
  const atOnce = votesGoOnTimelineAtOnce(open);
  const choices = props.choices.map((c) => ({ optionId: c.optionId, value: c.value }));
  const announcedAt = atOnce ? now : null;
  let vote: VoteDocument;
  if (existing) {
    existing.set({ choices, reason: props.reason, announcedAt });
    vote = await existing.save({ session });
  } else {
    [vote] = await VoteModel.create(
      [
        {
          pollId: props.poll._id,
          discussionId: props.poll.discussionId,
          userId: props.voterId,
          choices,
          reason: props.reason,
          announcedAt,
        },
      ],
      { session },
    );
  }
  if (atOnce) {
    await appendTimelineEvent(
      {
        discussionId: props.poll.discussionId,
        kind: 'vote_cast',
        actorId: props.voterId,
        pollId: props.poll._id,
      },
      session,
    );
  }
  return { vote, created, poll: open };
}

/** Casts one vote in a transaction of its own, retrying once as a change after a duplicate. */
async function castAlone(props: CastVoteProps): Promise<Cast> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await timelineTransaction(props.poll.discussionId, (session) =>
        castOnce(props, session),
      );
    } catch (error) {
      // Two first votes by the same person at once: the loser retries as a change.
      if (!isDuplicateKey(error) || attempt > 0) throw error;
    }
  }
}

interface Waiting {
  props: CastVoteProps;
  settle: (outcome: Promise<Cast>) => void;
}

/** Per poll, the votes waiting for the discussion's next transaction (not yet begun). */
const waiting = new Map<string, Waiting[]>();

/**
 * Casts a vote together with the others that arrive while the discussion's
 * transactions are busy: one transaction for all of them (group commit).
 * Every vote writes the poll, so votes on one poll can only commit one
 * transaction after another; 300 votes in a quick vote took 300 transactions
 * in a row (issue 13's benchmark: tallies 42 s late). Batched, they take as
 * many as there is time for, each still checking that the poll is open. If a
 * batch fails (a vote racing on another process, a close), each of its votes
 * is cast alone, so one vote's failure is nobody else's.
 */
function castBatched(props: CastVoteProps): Promise<Cast> {
  const key = String(props.poll._id);
  let batch = waiting.get(key);
  if (!batch) {
    const mine: Waiting[] = (batch = []);
    waiting.set(key, mine);
    const together = timelineTransaction(props.poll.discussionId, async (session) => {
      if (waiting.get(key) === mine) waiting.delete(key);
      const cast: Cast[] = [];
      for (const one of mine) cast.push(await castOnce(one.props, session));
      return cast;
    });
    together.then(
      (cast) => mine.forEach((one, i) => one.settle(Promise.resolve(cast[i]))),
      () => mine.forEach((one) => one.settle(castAlone(one.props))),
    );
  }
  const joined = batch;
  return new Promise((resolve, reject) =>
    joined.push({ props, settle: (outcome) => void outcome.then(resolve, reject) }),
  );
}

/**
 * Casts the voter's vote or replaces their earlier one; 409 when the poll has
 * stopped accepting votes. Returns the vote as its committed transaction
 * stored it, and whether it is new.
 */
export function castVote(props: CastVoteProps): Promise<CastVoteResult> {
  return castBatched(props);
}
