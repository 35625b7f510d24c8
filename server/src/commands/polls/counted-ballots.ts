/**
 * One read of a poll's ballots for everyone who presents the poll as the same
 * vote left it. A vote was answered from one read of the ballots (the voter's
 * reply, with the tally) and announced from another (its timeline entry, with
 * the tally every view sees): two reads of every ballot per vote, each longer
 * as the poll fills.
 *
 * The key is what the vote's transaction wrote on the poll: its count of
 * voters and of ballots written (`unpublishedVotes` grows by one per vote cast
 * or changed, in the same transaction as the ballot). Whoever holds the poll
 * with that key reads after that transaction committed, so one read serves
 * them all: it holds every ballot the key counts, and perhaps later ones, as
 * each separate read did. Kept a moment only, per process, and only for polls
 * whose votes go on the timeline as they are cast (`votesGoOnTimelineAtOnce`).
 * The key stays unique because, for those polls: both counts only grow (only
 * an anonymous poll's batches reset `unpublishedVotes`), a poll that turns
 * anonymous never turns back, and `hideResults` cannot change. Relaxing any of
 * these needs another key.
 */
import type { Types } from 'mongoose';
import type { Poll } from '../../models/poll.js';
import { votesGoOnTimelineAtOnce } from '../../policies/poll.js';
import { announcedBallots, ballots } from './load.js';

/** How long a read serves later callers (a vote's reply and its announcement are moments apart). */
const KEPT_MS = 2000;

/** A shared read: the ballots, and whether every one was announced as it was cast. */
export type CountedRead = Awaited<ReturnType<typeof announcedBallots>>;

/** Reads in the last moment, by poll and the counts they were made for. */
const reads = new Map<string, Promise<CountedRead>>();

type Counted = Pick<Poll, '_id' | 'voterCount' | 'unpublishedVotes' | 'anonymous' | 'hideResults'>;

const keyOf = (poll: Counted) => `${String(poll._id)}:${poll.voterCount}:${poll.unpublishedVotes}`;

/**
 * The read someone already made for presenting `poll` with its counts (a
 * vote's reply makes it as soon as its transaction returns), if any. It was
 * made after the transaction that left those counts committed, so it holds
 * every ballot they count, and perhaps later ones: `allAnnounced` tells
 * whether any of those was cast under other rules (the poll turned anonymous).
 */
export function countedRead(poll: Counted): Promise<CountedRead> | undefined {
  return votesGoOnTimelineAtOnce(poll) ? reads.get(keyOf(poll)) : undefined;
}

/**
 * The ballots loader for presenting `poll` as held: shared with whoever else
 * presents it with the same counts in the moment, where its votes go on the
 * timeline as they are cast; otherwise the plain read.
 */
export function countedBallots(poll: Counted): typeof ballots {
  if (!votesGoOnTimelineAtOnce(poll)) return ballots;
  const id = String(poll._id);
  const key = keyOf(poll);
  return (pollIds: Types.ObjectId[]) => {
    if (pollIds.length !== 1 || String(pollIds[0]) !== id) return ballots(pollIds);
    let read = reads.get(key);
    if (!read) {
      const made = announcedBallots(pollIds[0]);
      reads.set(key, (read = made));
      const forget = () => {
        if (reads.get(key) === made) reads.delete(key);
      };
      setTimeout(forget, KEPT_MS).unref();
      // A failed read is not kept: the next caller reads again.
      made.catch(forget);
    }
    return read.then((counted) => counted.ballots);
  };
}
