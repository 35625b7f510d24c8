import { expect } from 'chai';
import { RateLimitModel } from '../../models/rate-limit.js';
import { TEST_PASSWORD, buildUser } from '../../test/factories.js';
import { clearRateLimits, expectError, setCookies } from '../../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

describe('POST /api/auth/signin rate limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());
  beforeEach(() => clearRateLimits());

  const signIn = (email: string, password: string) =>
    app.post('/api/auth/signin', { email, password });

  it('locks an account after 5 failures in 15 minutes, even for the right password, with Retry-After', async () => {
    const user = await buildUser();
    for (let i = 0; i < 5; i++)
      expect((await signIn(user.email, `wrong ${i}`)).status).to.equal(401);
    const locked = await signIn(user.email, TEST_PASSWORD);
    expectError(locked, 429, 'rate_limited');
    expect(Number(locked.headers.get('retry-after'))).to.be.within(890, 900);
    expect(setCookies(locked)).to.deep.equal([]);
    // The same for an address without an account: the limit does not reveal existence.
    for (let i = 0; i < 5; i++) await signIn('ghost@example.org', `wrong ${i}`);
    expectError(await signIn('ghost@example.org', 'anything'), 429, 'rate_limited');
    // Other accounts from the same address still sign in.
    expect((await signIn((await buildUser()).email, TEST_PASSWORD)).status).to.equal(200);
  });

  it('counts failures only: a success clears the account counter', async () => {
    const user = await buildUser();
    for (let i = 0; i < 4; i++) await signIn(user.email, 'wrong');
    expect((await signIn(user.email, TEST_PASSWORD)).status).to.equal(200);
    for (let i = 0; i < 4; i++) await signIn(user.email, 'wrong');
    expect((await signIn(user.email, TEST_PASSWORD)).status).to.equal(200);
  });

  it('limits failures per address to 20 in 15 minutes, across accounts', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await signIn(`spray${i}@example.org`, 'guess')).status).to.equal(401);
    }
    const user = await buildUser();
    const res = await signIn(user.email, TEST_PASSWORD);
    expectError(res, 429, 'rate_limited');
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
  });

  it('keeps the counters in the database, shared by every process, keyed without raw data', async () => {
    const user = await buildUser();
    for (let i = 0; i < 5; i++) await signIn(user.email, 'wrong');
    const counters = await RateLimitModel.find({}).lean();
    expect(counters.map((c) => c.count).sort()).to.deep.equal([5, 5]);
    for (const c of counters) {
      expect(c._id).not.to.include(user.email).and.not.to.include('127.0.0');
      expect(c.resetAt.getTime()).to.be.above(Date.now());
    }
    expectError(await signIn(user.email, TEST_PASSWORD), 429, 'rate_limited');
    // Another process sees the same documents: a window that ended (resetAt passed)
    // counts for nothing, whether or not the TTL sweep has removed it yet.
    await RateLimitModel.updateMany({}, { $set: { resetAt: new Date(Date.now() - 1000) } });
    expect((await signIn(user.email, TEST_PASSWORD)).status).to.equal(200);
    // And a counter written by another process applies here at once.
    await RateLimitModel.updateMany(
      {},
      { $set: { count: 99, resetAt: new Date(Date.now() + 60_000) } },
    );
    const blocked = await signIn(user.email, TEST_PASSWORD);
    expectError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).to.be.within(55, 60);
  });
});
