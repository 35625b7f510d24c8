import { expect } from 'chai';
import { Types } from 'mongoose';
import { PollPublishing, type Clock, type PollCause } from './poll-publishing.js';

/** A clock that moves only when told to. */
class ManualClock implements Clock {
  private time = 1_000_000;
  private timers: Array<{ at: number; run: () => void } | null> = [];

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    this.timers.push({ at: this.time + ms, run });
    return this.timers.length - 1;
  }

  clearTimeout(timer: unknown): void {
    this.timers[timer as number] = null;
  }

  /** Moves time on, running the timers that come due, in order. */
  advance(ms: number): void {
    this.time += ms;
    for (const [i, timer] of this.timers.entries()) {
      if (timer && timer.at <= this.time) {
        this.timers[i] = null;
        timer.run();
      }
    }
  }

  pending(): number {
    return this.timers.filter((t) => t !== null).length;
  }
}

const WINDOW = 100;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('poll publishing (a poll presented at most about once per window)', () => {
  let clock: ManualClock;
  let published: Array<{ poll: string; cause: PollCause }>;
  let release: Array<() => void>;
  /** When true, each publish waits until released (a slow publish). */
  let slow: boolean;
  let publishing: PollPublishing;

  beforeEach(() => {
    clock = new ManualClock();
    published = [];
    release = [];
    slow = false;
    publishing = new PollPublishing(
      (pollId, cause) => {
        published.push({ poll: String(pollId), cause });
        return slow ? new Promise<void>((resolve) => release.push(resolve)) : Promise.resolve();
      },
      (error) => {
        throw error;
      },
      WINDOW,
      clock,
    );
  });
  afterEach(() => publishing.close());

  it('publishes a vote on a quiet poll at once', async () => {
    const poll = new Types.ObjectId();
    await publishing.vote(poll);
    expect(published).to.deep.equal([{ poll: String(poll), cause: 'vote' }]);
    expect(clock.pending()).to.equal(0);
  });

  it('shows the votes of one window together, once, at its end', async () => {
    const poll = new Types.ObjectId();
    await publishing.vote(poll);
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      await publishing.vote(poll);
    }
    expect(published).to.have.length(1);
    clock.advance(WINDOW - 50);
    await settle();
    expect(published.map((p) => p.cause)).to.deep.equal(['vote', 'vote']);
    // The window begins again at that publish: the next vote waits for it to end too.
    clock.advance(WINDOW - 1);
    await publishing.vote(poll);
    expect(published).to.have.length(2);
    clock.advance(1);
    await settle();
    expect(published).to.have.length(3);
  });

  it('publishes a change of the poll at once, for every view, taking the waiting votes with it', async () => {
    const poll = new Types.ObjectId();
    await publishing.vote(poll);
    clock.advance(10);
    await publishing.vote(poll);
    await publishing.change(poll);
    expect(published.map((p) => p.cause)).to.deep.equal(['vote', 'poll']);
    clock.advance(WINDOW * 3);
    await settle();
    expect(published).to.have.length(2);
  });

  it('keeps polls apart', async () => {
    const [a, b] = [new Types.ObjectId(), new Types.ObjectId()];
    await publishing.vote(a);
    await publishing.vote(b);
    await publishing.vote(a);
    expect(published.map((p) => p.poll)).to.deep.equal([String(a), String(b)]);
  });

  it('runs one publish of a poll at a time; those asked for meanwhile become one, after it', async () => {
    const poll = new Types.ObjectId();
    slow = true;
    const first = publishing.vote(poll);
    expect(published).to.have.length(1);
    // The running publish may have read the poll before these: one more follows it.
    clock.advance(WINDOW);
    const second = publishing.vote(poll);
    const third = publishing.change(poll);
    expect(published).to.have.length(1);
    release.shift()!();
    await first;
    await settle();
    expect(published.map((p) => p.cause)).to.deep.equal(['vote', 'poll']);
    release.shift()!();
    await Promise.all([second, third]);
    expect(published).to.have.length(2);
  });

  it('drops what waits when closed', async () => {
    const poll = new Types.ObjectId();
    await publishing.vote(poll);
    await publishing.vote(poll);
    publishing.close();
    clock.advance(WINDOW);
    await settle();
    expect(published).to.have.length(1);
  });
});
