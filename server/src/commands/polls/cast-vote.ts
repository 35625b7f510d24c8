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
import mongoose, { type ClientSession, type Types } from 'mongoose';
import type { Choice } from '../../../../shared/polls.js';
import { HttpError, NotFoundError } from '../../errors.js';
import { PollModel, type Poll, type PollDocument } from '../../models/poll.js';
import { votesGoOnTimelineAtOnce } from '../../policies/poll.js';
import { VoteModel, type VoteDocument } from '../../models/vote.js';
import { appendTimelineEvent, timelineTransaction, timelineTurn } from '../timeline.js';

export interface CastVoteProps {
  poll: Pick<Poll, '_id' | 'discussionId' | 'anonymous' | 'hideResults'>;
  voterId: Types.ObjectId;
  /** Already accepted by the shared `validateChoices`. */
  choices: Choice[];
  reason: string;
}

export interface CastVoteResult {
  vote: VoteDocument;
  /** False when an earlier vote was changed. */
  created: boolean;
  /** The poll as the transaction left it (absent when the vote repeated the stored one). */
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

/**
 * Casts the votes of one poll, by different people, in the session's
 * transaction, in as few commands as it takes however many they are: one
 * read of their earlier votes, one write of the poll, one insert of the new
 * votes (then a save per changed vote and, where votes go on the timeline at
 * once, an event per vote, in their order). Votes that repeat what is stored
 * write nothing; when all do, the poll is not written either. (A batch's first
 * try skips the read: see castFirstVotes.)
 */
async function castRound(round: CastVoteProps[], session: ClientSession): Promise<Cast[]> {
  const now = new Date();
  const { poll } = round[0];
  const earlier = await VoteModel.find(
    { pollId: poll._id, userId: { $in: round.map((props) => props.voterId) } },
    null,
    { session },
  );
  const stored = new Map(earlier.map((vote) => [String(vote.userId), vote]));
  const existing = (props: CastVoteProps) => stored.get(String(props.voterId)) ?? null;
  const writes = round.filter((props) => {
    const vote = existing(props);
    return !vote || !isSameVote(vote, props.choices, props.reason);
  });
  const cast = new Map<CastVoteProps, Cast>();
  if (writes.length > 0) {
    const fresh = writes.filter((props) => !existing(props));
    const open = await countVotes(poll, fresh.length, writes.length, session, now);
    const atOnce = votesGoOnTimelineAtOnce(open);
    const announcedAt = atOnce ? now : null;
    const inserted =
      fresh.length === 0
        ? []
        : await VoteModel.insertMany(
            fresh.map((props) => newVote(props, announcedAt)),
            { session },
          );
    fresh.forEach((props, i) => cast.set(props, { vote: inserted[i], created: true, poll: open }));
    for (const props of writes) {
      const vote = existing(props);
      if (!vote) continue;
      vote.set({ choices: choicesOf(props), reason: props.reason, announcedAt });
      cast.set(props, { vote: await vote.save({ session }), created: false, poll: open });
    }
    if (atOnce) await announce(writes, session);
  }
  return round.map((props) => cast.get(props) ?? { vote: existing(props)!, created: false });
}

const choicesOf = (props: CastVoteProps) =>
  props.choices.map((c) => ({ optionId: c.optionId, value: c.value }));

/** A new vote's document. */
const newVote = (props: CastVoteProps, announcedAt: Date | null) => ({
  pollId: props.poll._id,
  discussionId: props.poll.discussionId,
  userId: props.voterId,
  choices: choicesOf(props),
  reason: props.reason,
  announcedAt,
});

/**
 * Counts the votes on the poll if it is still open (else 409, or 404 once deleted). Every vote
 * writes the poll (the count of votes not yet published), as a close does, so
 * a concurrent close and these votes cannot both commit.
 */
async function countVotes(
  poll: CastVoteProps['poll'],
  fresh: number,
  written: number,
  session: ClientSession,
  now: Date,
): Promise<PollDocument> {
  const open = await PollModel.findOneAndUpdate(
    { _id: poll._id, closedAt: null, $or: [{ closesAt: null }, { closesAt: { $gt: now } }] },
    { $inc: { voterCount: fresh, unpublishedVotes: written } },
    { session, returnDocument: 'after', timestamps: false },
  );
  if (open) return open;
  // Deleted a moment ago (before this process's copy heard of it) is not closed: it is gone.
  const exists = await PollModel.exists({ _id: poll._id }).session(session);
  throw exists ? PollClosedError() : NotFoundError('Poll not found');
}

/** The votes' entries on the timeline, in their order (polls whose votes everyone sees at once). */
async function announce(writes: CastVoteProps[], session: ClientSession): Promise<void> {
  for (const props of writes)
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

/** The poll's rules moved since the route read them: the batch is cast again, reading. */
class RulesMoved extends Error {}

/**
 * Votes taken to be their voters' first on the poll (a batch's first try):
 * inserted without reading earlier votes, then counted: three commands with
 * the commit, not four. Someone who already voted makes the insert fail on
 * the unique index, and the batch is cast again with the read (castBatched).
 */
async function castFirstVotes(round: CastVoteProps[], session: ClientSession): Promise<Cast[]> {
  const now = new Date();
  const atOnce = votesGoOnTimelineAtOnce(round[0].poll);
  const inserted = await VoteModel.insertMany(
    round.map((props) => newVote(props, atOnce ? now : null)),
    { session },
  );
  const open = await countVotes(round[0].poll, round.length, round.length, session, now);
  if (votesGoOnTimelineAtOnce(open) !== atOnce) throw new RulesMoved();
  if (atOnce) await announce(round, session);
  return round.map((_, i) => ({ vote: inserted[i], created: true, poll: open }));
}

/** Casts votes of one poll in order; a person's second vote is a change of their first. */
async function castAll(
  all: CastVoteProps[],
  session: ClientSession,
  firstVotes = false,
): Promise<Cast[]> {
  const results: Cast[] = [];
  let round: CastVoteProps[] = [];
  const voters = new Set<string>();
  const flush = async () => {
    // Later rounds hold people voting again: changes, never first votes.
    const first = firstVotes && results.length === 0;
    if (round.length > 0)
      results.push(...(await (first ? castFirstVotes(round, session) : castRound(round, session))));
    round = [];
    voters.clear();
  };
  for (const props of all) {
    if (voters.has(String(props.voterId))) await flush();
    round.push(props);
    voters.add(String(props.voterId));
  }
  await flush();
  return results;
}

/** Casts one vote in a transaction of its own, retrying once as a change after a duplicate. */
async function castAlone(props: CastVoteProps): Promise<Cast> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [cast] = await timelineTransaction(props.poll.discussionId, (session) =>
        castAll([props], session),
      );
      return cast;
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
 * many as there is time for, each still checking that the poll is open, and
 * each with a handful of commands however many votes it holds (castRound),
 * not three per vote: under load a transaction's length is its round trips,
 * and the poll changes once per batch, not once per vote. A batch is first
 * cast as first votes (castFirstVotes) and, if someone in it had voted, cast
 * again with the read, in the same turn of the discussion's line. If a batch
 * fails (a vote racing on another process, a close), each of its votes is
 * cast alone, so one vote's failure is nobody else's.
 */
function castBatched(props: CastVoteProps): Promise<Cast> {
  const key = String(props.poll._id);
  let batch = waiting.get(key);
  if (!batch) {
    const mine: Waiting[] = (batch = []);
    waiting.set(key, mine);
    const together = timelineTurn(props.poll.discussionId, async () => {
      // From here on, votes arriving join the next batch.
      if (waiting.get(key) === mine) waiting.delete(key);
      const all = mine.map((one) => one.props);
      try {
        return await mongoose.connection.transaction((session) => castAll(all, session, true));
      } catch (error) {
        if (!isDuplicateKey(error) && !(error instanceof RulesMoved)) throw error;
        // Someone in the batch had voted (or the rules moved): the batch again, reading, in
        // the same turn, so no later batch commits between (a later vote stays the last).
        return mongoose.connection.transaction((session) => castAll(all, session));
      }
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
 * stopped accepting votes, 404 when it is gone. Returns the vote as its committed transaction
 * stored it, and whether it is new.
 */
export function castVote(props: CastVoteProps): Promise<CastVoteResult> {
  return castBatched(props);
}
