import { expect } from 'chai';
import { RateLimitModel } from '../models/rate-limit.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import {
  RateLimitedError,
  addressSubject,
  consume,
  forgive,
  hit,
  rateLimitKey,
  reset,
  type RateRule,
} from './rate-limit.js';

const RULE: RateRule = { name: 'test-rule', limit: 3, windowSeconds: 60 };

describe('rate limits', () => {
  describe('addressSubject', () => {
    it('keeps IPv4 addresses (mapped or not) and reduces IPv6 to its /64', () => {
      expect(addressSubject('203.0.113.7')).to.equal('203.0.113.7');
      expect(addressSubject('::ffff:203.0.113.7')).to.equal('203.0.113.7');
      expect(addressSubject('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
      expect(addressSubject('2001:db8:1:2:bbbb:cccc:dddd:eeee')).to.equal('2001:db8:1:2::/64');
      expect(addressSubject('::1')).to.equal('0:0:0:0::/64');
      expect(addressSubject(undefined)).to.equal('unknown');
    });
  });

  describe('rateLimitKey', () => {
    it('is a keyed hash: stable per secret, different across secrets, rules and subjects, never the subject', () => {
      const a = rateLimitKey('secret-one', RULE, '203.0.113.7');
      expect(a.key)
        .to.match(/^test-rule:[A-Za-z0-9_-]{43}$/)
        .and.not.include('203.0.113');
      expect(rateLimitKey('secret-one', RULE, '203.0.113.7').key).to.equal(a.key);
      expect(rateLimitKey('secret-two', RULE, '203.0.113.7').key).not.to.equal(a.key);
      expect(rateLimitKey('secret-one', RULE, '203.0.113.8').key).not.to.equal(a.key);
      expect(
        rateLimitKey('secret-one', { ...RULE, name: 'other' }, '203.0.113.7').key,
      ).not.to.equal(a.key);
    });
  });

  describe('counters in the database', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(() => app.close());
    beforeEach(() => RateLimitModel.deleteMany({}));

    it('counts concurrent hits exactly once each, in one document with a TTL', async () => {
      const key = rateLimitKey(app.jwtSecret, RULE, 'concurrent');
      const counters = await Promise.all(Array.from({ length: 12 }, () => hit(key)));
      expect(counters.map((c) => c.count).sort((x, y) => x - y)).to.deep.equal(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      expect(await RateLimitModel.countDocuments({})).to.equal(1);
      const indexes = await RateLimitModel.collection.indexes();
      expect(indexes.some((i) => i.key.resetAt === 1 && i.expireAfterSeconds === 0)).to.equal(true);
    });

    it('lets exactly `limit` of many concurrent attempts through', async () => {
      const key = rateLimitKey(app.jwtSecret, RULE, 'race');
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => consume([key])));
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(RULE.limit);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const r of refused) {
        expect(r.reason).to.be.instanceOf(RateLimitedError);
        expect((r.reason as RateLimitedError).retryAfterSeconds).to.be.within(1, 60);
      }
    });

    it('starts a new window once the old one ended', async () => {
      const key = rateLimitKey(app.jwtSecret, RULE, 'window');
      const start = new Date();
      for (let i = 0; i < 3; i++) await consume([key], start);
      let error: unknown;
      await consume([key], start).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RateLimitedError);
      const later = new Date(start.getTime() + 61_000);
      await consume([key], later);
      expect((await RateLimitModel.findById(key.key).lean())?.count).to.equal(1);
    });

    it('gives hits back with forgive and reset', async () => {
      const key = rateLimitKey(app.jwtSecret, RULE, 'forgive');
      await hit(key);
      await hit(key);
      await forgive(key);
      expect((await RateLimitModel.findById(key.key).lean())?.count).to.equal(1);
      await forgive(key);
      await forgive(key);
      expect((await RateLimitModel.findById(key.key).lean())?.count).to.equal(0);
      await reset(key);
      expect(await RateLimitModel.findById(key.key).lean()).to.equal(null);
    });
  });
});
