/**
 * The job that closes polls when their closing time comes. Each tick asks the
 * database for open polls due by now (an index on closedAt + closesAt), so
 * polls that fell due while no server was running are closed on the first tick
 * after a restart. Closing goes through `closePoll`, whose conditional update
 * lets exactly one of several processes close a poll and append its
 * `poll_closed` event (with no actor: the system closed it). The same rounds
 * publish the anonymous polls' tallies that are due (publish-tallies.ts).
 */
import type { Types } from 'mongoose';
import { closePoll } from '../commands/polls/close-poll.js';
import { publishDueTallies } from '../commands/polls/publish-tallies.js';
import type { Logger } from '../logger.js';
import { PollModel } from '../models/poll.js';
import { startPeriodicJob, type PeriodicJob } from './periodic.js';

/** How many due polls one query fetches; a full batch makes the tick go on. */
const BATCH = 200;

/**
 * Closes every open poll due at `now`; returns how many this call closed
 * (polls another process closed first are not counted). A poll that fails to
 * close is logged and left for the next tick, without stopping the others.
 */
export async function closeDuePolls(now: Date = new Date(), logger?: Logger): Promise<number> {
  let closed = 0;
  const failed: Types.ObjectId[] = [];
  for (;;) {
    const due = await PollModel.find(
      { closedAt: null, closesAt: { $lte: now }, _id: { $nin: failed } },
      { _id: 1, discussionId: 1, closesAt: 1 },
    )
      .sort({ closesAt: 1 })
      .limit(BATCH)
      .lean();
    for (const poll of due) {
      try {
        // Closed at its closing time, not at whenever the job got to it.
        if (await closePoll({ poll, actorId: null, at: poll.closesAt ?? now })) closed++;
      } catch (error) {
        failed.push(poll._id);
        logger?.error(`poll closer: could not close poll ${String(poll._id)}`, error);
      }
    }
    if (due.length < BATCH) return closed;
  }
}

export type PollCloser = PeriodicJob;

export interface PollCloserOptions {
  /** Pause between the end of one tick and the start of the next. */
  intervalMs: number;
  logger?: Logger;
}

/** Starts closing due polls at once and then every `intervalMs`, until stopped. */
export function startPollCloser(options: PollCloserOptions): PollCloser {
  return startPeriodicJob({
    name: 'poll closer',
    intervalMs: options.intervalMs,
    logger: options.logger,
    work: async () => {
      const count = await closeDuePolls(new Date(), options.logger);
      const published = await publishDueTallies(new Date(), options.logger);
      const report = [
        count > 0 ? `closed ${count} poll(s)` : null,
        published > 0 ? `published ${published} anonymous tally batch(es)` : null,
      ].filter((part) => part !== null);
      return report.length > 0 ? report.join(', ') : null;
    },
  });
}
