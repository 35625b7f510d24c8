/**
 * A poll's live presentation (fanOutPoll), at most about once per window per
 * poll on this process. Each publish presents the poll once per view, and
 * for each voter whose own vote opens the results, from one read of the poll
 * and its ballots; at 30 votes a second that was 30 presentations a second
 * and 30 all but identical payloads per socket. Now a vote publishes at once
 * when its poll has been quiet for a window, and otherwise once at the end
 * of the window, showing every vote stored by then. A change of the poll
 * itself (closing, editing, a published tally batch) publishes at once and
 * takes any waiting vote with it. Publishes of one poll run one after
 * another, each reading the poll afresh when it begins, so a tally never
 * goes back; a publish asked for while another waits to begin joins it.
 *
 * Who hears of what stays fanOutPoll's rule, decided when the publish runs:
 * a view that may not see the results hears nothing of votes, waiting or
 * not (only a change of the poll reaches every view), and an anonymous
 * poll's tally moves only with its published batches.
 */
import type { Types } from 'mongoose';

/** How long a poll's votes may wait to be shown together (ms). */
export const POLL_WINDOW_MS = 100;

/** Why a poll is presented again: a vote (only those who may see results hear) or any other change. */
export type PollCause = 'vote' | 'poll';

type Publish = (pollId: Types.ObjectId, cause: PollCause) => Promise<void>;

/** Time as the publishing sees it (tests drive their own). */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

interface Waiting {
  cause: PollCause;
  done: Promise<void>;
}

interface PollState {
  pollId: Types.ObjectId;
  /** When the last publish began (the window runs from there). */
  lastAt: number;
  /** A vote's publish waiting for the window to end. */
  timer: unknown;
  running: Promise<void> | null;
  /** The publish that begins when the running one ends. */
  next: Waiting | null;
}

/** Keeps at most this many idle polls' timing (the oldest idle ones are forgotten first). */
const IDLE_KEPT = 1000;

export class PollPublishing {
  private readonly polls = new Map<string, PollState>();
  private closed = false;

  constructor(
    private readonly publish: Publish,
    private readonly onError: (error: unknown) => void,
    private readonly windowMs = POLL_WINDOW_MS,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /**
   * A vote moved the poll's tally. Resolves when its publish is done if it
   * runs at once, or as soon as it is left to the end of the window.
   */
  vote(pollId: Types.ObjectId): Promise<void> {
    const state = this.state(pollId);
    // A publish that has not begun yet reads the poll with this vote in it.
    if (this.closed || state.timer !== null || state.next) return Promise.resolve();
    const wait = state.lastAt + this.windowMs - this.clock.now();
    if (wait <= 0) return this.request(state, 'vote');
    state.timer = this.clock.setTimeout(() => {
      state.timer = null;
      void this.request(state, 'vote');
    }, wait);
    return Promise.resolve();
  }

  /** The poll itself changed: published at once (after a running publish), with any waiting vote. */
  change(pollId: Types.ObjectId): Promise<void> {
    const state = this.state(pollId);
    if (this.closed) return Promise.resolve();
    if (state.timer !== null) {
      this.clock.clearTimeout(state.timer);
      state.timer = null;
    }
    return this.request(state, 'poll');
  }

  /** Stops: waiting votes are dropped (the sockets are closing too). */
  close(): void {
    this.closed = true;
    for (const state of this.polls.values())
      if (state.timer !== null) this.clock.clearTimeout(state.timer);
    this.polls.clear();
  }

  private state(pollId: Types.ObjectId): PollState {
    const key = String(pollId);
    let state = this.polls.get(key);
    if (!state) {
      if (this.polls.size >= IDLE_KEPT) this.forgetIdle();
      state = { pollId, lastAt: -Infinity, timer: null, running: null, next: null };
      this.polls.set(key, state);
    }
    return state;
  }

  private request(state: PollState, cause: PollCause): Promise<void> {
    if (state.next) {
      // Joins the publish waiting to begin; a change of the poll makes it one for every view.
      if (cause === 'poll') state.next.cause = 'poll';
      return state.next.done;
    }
    if (!state.running) return this.begin(state, cause);
    let start!: () => void;
    const next: Waiting = { cause, done: new Promise<void>((resolve) => (start = resolve)) };
    state.next = next;
    next.done = next.done.then(() => {
      state.next = null;
      return this.closed ? undefined : this.begin(state, next.cause);
    });
    void state.running.then(start);
    return next.done;
  }

  private begin(state: PollState, cause: PollCause): Promise<void> {
    state.lastAt = this.clock.now();
    const running = this.publish(state.pollId, cause).catch(this.onError);
    state.running = running;
    void running.then(() => {
      if (state.running === running) state.running = null;
    });
    return running;
  }

  /** Forgets the timing of polls with nothing going on whose window is over. */
  private forgetIdle(): void {
    const over = this.clock.now() - this.windowMs;
    for (const [key, state] of this.polls)
      if (state.timer === null && !state.running && !state.next && state.lastAt < over)
        this.polls.delete(key);
  }
}
