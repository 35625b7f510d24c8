/**
 * P4: IP addresses are masked before they reach the database; raw addresses
 * live only in the day's access log, which the retention job deletes.
 */
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { accessLogFileName } from '../http/access-log.js';
import { deleteExpiredAccessLogs, isExpiredDay } from '../jobs/access-log-retention.js';
import { UserModel } from '../models/user.js';
import { buildUser, TEST_PASSWORD } from '../test/factories.js';
import { clearRateLimits, findInDatabase } from '../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../test/harness.js';

const V4 = '203.0.113.77';
const V6 = '2001:db8:abcd:12:34:56:78:9a';

describe('addresses and logs (P4)', () => {
  let app: TestApp;
  let logDir: string;

  before(async () => {
    logDir = await mkdtemp(path.join(tmpdir(), 'quorum-access-log-'));
    app = await startTestApp({ TRUST_PROXY: 'loopback', ACCESS_LOG_DIR: logDir });
  });
  after(async () => {
    await app?.close();
    await rm(logDir, { recursive: true, force: true });
  });

  /** Today's log once a line containing `needle` was flushed (lines are written as responses finish). */
  async function logOnceItHas(needle: string): Promise<string> {
    const file = path.join(logDir, accessLogFileName(new Date()));
    for (let i = 0; i < 100; i++) {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.includes(needle)) return text;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the access log never got ${needle}`);
  }

  const signIn = (email: string, password: string, ip: string) =>
    app.post('/api/auth/signin', { email, password }, { headers: { 'x-forwarded-for': ip } });

  it('P4: no unmasked IP is stored after sign-ins from IPv4 and IPv6', async () => {
    await clearRateLimits();
    const v4user = await buildUser();
    const v6user = await buildUser();
    // Failed attempts too: they count against per-address rate limits.
    expect((await signIn(v4user.email, 'wrong password', V4)).status).to.equal(401);
    expect((await signIn(v6user.email, 'wrong password', V6)).status).to.equal(401);
    expect((await signIn(v4user.email, TEST_PASSWORD, V4)).status).to.equal(200);
    expect((await signIn(v6user.email, TEST_PASSWORD, V6)).status).to.equal(200);
    const signUp = await app.post(
      '/api/auth/signup',
      { name: 'Sam', email: 'sam-p4@example.org', password: 'a long enough password' },
      { headers: { 'x-forwarded-for': V6 } },
    );
    expect(signUp.status).to.equal(201);

    expect((await UserModel.findById(v4user._id).lean())?.lastSignInIp).to.equal('203.0.113.0');
    expect((await UserModel.findById(v6user._id).lean())?.lastSignInIp).to.equal('2001:db8:abcd::');
    expect(
      (await UserModel.findOne({ email: 'sam-p4@example.org' }).lean())?.lastSignInIp,
    ).to.equal('2001:db8:abcd::');

    // Anything beyond the masked prefix, in any spelling, anywhere in the database.
    const raw = [V4, '113.77', V6, ':12:34', 'abcd:12', '2001:0db8:abcd:0012'];
    const found = await findInDatabase((s) => raw.some((r) => s.toLowerCase().includes(r)));
    expect(found, JSON.stringify(found)).to.deep.equal([]);
  });

  it('keeps the raw addresses in the day’s access log only, without query strings', async () => {
    await app.get('/api/health?token=secret-in-query', { headers: { 'x-forwarded-for': V4 } });
    const text = await logOnceItHas(' GET /api/health ');
    expect(text).to.include(` ${V4} POST /api/auth/signin 200 `);
    expect(text).to.include(` ${V6} POST /api/auth/signin 401 `);
    expect(text).to.include(` ${V4} GET /api/health 200 `);
    expect(text).not.to.include('secret-in-query');
  });

  it('logs to DATA_DIR/logs, and nowhere with DATA_DIR=:memory: unless ACCESS_LOG_DIR is set', () => {
    const base = { NODE_ENV: 'test' };
    expect(loadConfig({ ...base, DATA_DIR: ':memory:' }).accessLogDir).to.equal(null);
    expect(loadConfig({ ...base, DATA_DIR: '/srv/quorum' }).accessLogDir).to.equal(
      '/srv/quorum/logs',
    );
    expect(
      loadConfig({ ...base, DATA_DIR: ':memory:', ACCESS_LOG_DIR: '/var/log/quorum' }).accessLogDir,
    ).to.equal('/var/log/quorum');
    expect(loadConfig(base).accessLogRetentionDays).to.equal(14);
    expect(() => loadConfig({ ...base, ACCESS_LOG_RETENTION_DAYS: '0' })).to.throw(
      /ACCESS_LOG_RETENTION_DAYS/,
    );
  });

  it('retention deletes old logs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'quorum-retention-'));
    try {
      const now = new Date('2026-11-20T10:00:00Z');
      const names = [
        'access-2026-11-20.log', // today
        'access-2026-11-07.log', // 13 days ago: kept with 14 days' retention
        'access-2026-11-06.log', // 14 days ago: deleted
        'access-2025-01-01.log',
        'notes.txt', // not a log of ours
        'access-latest.log',
      ];
      for (const name of names) await writeFile(path.join(dir, name), 'x\n');
      const deleted = await deleteExpiredAccessLogs(dir, 14, now);
      expect(deleted.sort()).to.deep.equal(['access-2025-01-01.log', 'access-2026-11-06.log']);
      expect((await readdir(dir)).sort()).to.deep.equal([
        'access-2026-11-07.log',
        'access-2026-11-20.log',
        'access-latest.log',
        'notes.txt',
      ]);
      expect(await deleteExpiredAccessLogs(path.join(dir, 'missing'), 14, now)).to.deep.equal([]);
      expect(isExpiredDay('2026-11-19', 1, now)).to.equal(true);
      expect(isExpiredDay('2026-11-20', 1, now)).to.equal(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
