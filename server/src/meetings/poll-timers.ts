/**
 * Closes polls on time to the second: a timer in this process for every open
 * poll due within the horizon (not yet due: overdue ones are the closer's), set when the poll's change comes through the
 * feed (so on every process) and for the polls already due soon at start. The
 * close is `closePoll`'s conditional update, stamped with the poll's closing
 * time, so whichever process (or the periodic closer, the backstop for
 * anything further out or missed) gets there first closes it, once.
 */
import type { Types } from 'mongoose';
import { closePoll } from '../commands/polls/close-poll.js';
import type { Logger } from '../logger.js';
import { PollModel } from '../models/poll.js';

/** Polls due further out than this are left to the periodic closer (and rescheduled on change). */
export const TIMER_HORIZON_MS = 60 * 60_000;

export class PollTimers {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private closed = false;

  constructor(private readonly logger: Logger) {}

  /** Sets timers for the open polls due within the horizon (at start). */
  async load(): Promise<void> {
    const due = await PollModel.find(
      {
        closedAt: null,
        closesAt: { $gt: new Date(), $lte: new Date(Date.now() + TIMER_HORIZON_MS) },
      },
      { _id: 1, discussionId: 1, closesAt: 1 },
    ).lean();
    for (const poll of due) this.schedule(poll);
  }

  /** (Re)sets the timer of a poll as it is now: open with a closing time within the horizon, or none. */
  schedule(poll: {
    _id: Types.ObjectId;
    discussionId: Types.ObjectId;
    closesAt?: Date | null;
    closedAt?: Date | null;
  }): void {
    const id = String(poll._id);
    const at = poll.closedAt ? null : (poll.closesAt?.getTime() ?? null);
    const existing = this.timers.get(id);
    if (existing && existing.at === at) return;
    if (existing) clearTimeout(existing.timer);
    this.timers.delete(id);
    // Already due: that is the periodic closer's (it also closes at the closing time).
    if (at === null || this.closed) return;
    const wait = at - Date.now();
    if (wait <= 0 || wait > TIMER_HORIZON_MS) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      closePoll({
        poll: { _id: poll._id, discussionId: poll.discussionId },
        actorId: null,
        at: new Date(at),
      }).catch((error: unknown) =>
        this.logger.error(`poll timer: could not close poll ${id}`, error),
      );
    }, wait);
    timer.unref();
    this.timers.set(id, { at, timer });
  }

  close(): void {
    this.closed = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
