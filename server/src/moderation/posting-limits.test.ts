import { expect } from 'chai';
import { Types } from 'mongoose';
import { isHttpError } from '../errors.js';
import { RateLimitModel } from '../models/rate-limit.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { consumePostingAllowance, POSTING_RULES } from './posting-limits.js';

const { burst, minute } = POSTING_RULES;

/** The `until` of a refusal, or null when the post was allowed. */
async function refusedUntil(userId: Types.ObjectId, at: Date): Promise<Date | null> {
  try {
    await consumePostingAllowance(userId, at);
    return null;
  } catch (error) {
    if (!isHttpError(error) || error.id !== 'rate_limited') throw error;
    return error.until ?? null;
  }
}

describe('the per-person posting limit', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('allows a burst, refuses the next post until the burst window ends, then counts the minute', async () => {
    const userId = new Types.ObjectId();
    const start = new Date('2026-12-01T10:00:00.000Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < burst.limit; i++) expect(await refusedUntil(userId, at(0))).to.equal(null);
    expect(await refusedUntil(userId, at(1))).to.deep.equal(at(burst.windowSeconds));
    // The burst window over, posting goes on within the minute's allowance (refusals counted too).
    let allowed = 0;
    let seconds = burst.windowSeconds;
    let refused: Date | null = null;
    while (!refused && seconds < minute.windowSeconds) {
      refused = await refusedUntil(userId, at(seconds));
      if (!refused) allowed++;
      if (allowed % burst.limit === 0) seconds += burst.windowSeconds;
    }
    expect(burst.limit + 1 + allowed).to.equal(minute.limit);
    expect(refused).to.deep.equal(at(minute.windowSeconds));
    // One document holds every window, and expires when the last one ends.
    const counters = await RateLimitModel.find({ _id: `post:${String(userId)}` }).lean();
    expect(counters).to.have.length(1);
    expect(counters[0].resetAt.getTime()).to.be.at.least(at(minute.windowSeconds).getTime());
    // Once the minute is over, a new one begins.
    expect(await refusedUntil(userId, at(minute.windowSeconds + 1))).to.equal(null);
  });

  it('counts every one of many concurrent first posts once', async () => {
    const userId = new Types.ObjectId();
    const at = new Date();
    const outcomes = await Promise.all(
      Array.from({ length: burst.limit + 3 }, () => refusedUntil(userId, at)),
    );
    expect(outcomes.filter((until) => until === null)).to.have.length(burst.limit);
  });

  it('keeps people apart', async () => {
    const [a, b] = [new Types.ObjectId(), new Types.ObjectId()];
    const at = new Date();
    for (let i = 0; i < burst.limit; i++) await consumePostingAllowance(a, at);
    expect(await refusedUntil(a, at)).to.not.equal(null);
    expect(await refusedUntil(b, at)).to.equal(null);
  });
});
