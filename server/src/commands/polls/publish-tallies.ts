/**
 * Anonymous polls' tallies move in batches, so no single vote can be tied to a
 * moment (a tally that moves right after someone comes online names them).
 * While an anonymous poll takes votes, everyone (REST and live, its voters
 * included) sees the tally, the voter count and the list of ballots as last
 * published; a voter sees their own ballot at once, and only theirs. A batch
 * is published once at least `BATCH_VOTES` votes were cast or changed since
 * the last one and at least `BATCH_INTERVAL_MS` has passed since it (whichever
 * comes later), by the periodic poll job (jobs/poll-closer.ts), never in the
 * request of a vote, so even the moment of publication says nothing about the
 * last voter. At closing the full tally shows.
 *
 * The state lives on the poll and its votes, not in a process: any process's
 * job may publish, a conditional update lets exactly one publish each batch,
 * and a restart loses nothing.
 */
import mongoose, { type ClientSession, type Types } from 'mongoose';
import type { Logger } from '../../logger.js';
import { PollModel } from '../../models/poll.js';
import { VoteModel } from '../../models/vote.js';
import { EVERY_DOCUMENT } from '../../db/read-all.js';

/** A batch holds at least this many new or changed votes. */
export const BATCH_VOTES = 3;
/** And comes at least this long after the previous one (or the poll's creation). */
export const BATCH_INTERVAL_MS = 60_000;

/**
 * Makes the ballots as they are now the published ones, inside `session`.
 * Callers make sure the poll is anonymous (or becoming so) and still open.
 */
export async function publishTally(
  pollId: Types.ObjectId,
  at: Date,
  session: ClientSession,
): Promise<void> {
  const votes = await VoteModel.find(
    { pollId },
    { choices: 1, reason: 1 },
    { session, ...EVERY_DOCUMENT },
  ).lean();
  if (votes.length > 0)
    await VoteModel.bulkWrite(
      votes.map((v) => ({
        updateOne: {
          filter: { _id: v._id },
          update: { $set: { published: { choices: v.choices, reason: v.reason } } },
          timestamps: false,
        },
      })),
      { session },
    );
  await PollModel.updateOne(
    { _id: pollId },
    { $set: { unpublishedVotes: 0, tallyPublishedAt: at, publishedVoterCount: votes.length } },
    { session, timestamps: false },
  );
}

/** Publishes one poll's batch if it is still due; false when a vote or a close got there first. */
async function publishIfDue(pollId: Types.ObjectId, cutoff: Date, now: Date): Promise<boolean> {
  let published = false;
  await mongoose.connection.transaction(async (session) => {
    // The same conditions as the search, read again inside the transaction.
    const poll = await PollModel.findOne(
      { _id: pollId, ...dueFilter(cutoff) },
      { _id: 1 },
      { session },
    );
    if (!poll) return;
    await publishTally(pollId, now, session);
    published = true;
  });
  return published;
}

function dueFilter(cutoff: Date) {
  return {
    anonymous: true,
    closedAt: null,
    unpublishedVotes: { $gte: BATCH_VOTES },
    $or: [
      { tallyPublishedAt: { $lte: cutoff } },
      { tallyPublishedAt: null, createdAt: { $lte: cutoff } },
    ],
  };
}

/** Publishes every anonymous poll's batch that is due at `now`; returns how many. */
export async function publishDueTallies(now: Date = new Date(), logger?: Logger): Promise<number> {
  const cutoff = new Date(now.getTime() - BATCH_INTERVAL_MS);
  const due = await PollModel.find(dueFilter(cutoff), { _id: 1 }).limit(200).lean();
  let count = 0;
  for (const { _id } of due) {
    try {
      if (await publishIfDue(_id, cutoff, now)) count++;
    } catch (error) {
      logger?.error(`tally publisher: could not publish poll ${String(_id)}`, error);
    }
  }
  return count;
}
