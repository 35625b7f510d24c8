import { expect } from 'chai';
import { RATE_RULES, rateLimitKey } from '../../auth/rate-limit.js';
import { recordAudit } from '../../commands/audit/record.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { AvatarModel } from '../../models/avatar.js';
import { RateLimitModel } from '../../models/rate-limit.js';
import { UserModel } from '../../models/user.js';
import { TestClients } from '../../realtime/test-clients.js';
import { buildInvitation } from '../../test/factories-groups.js';
import {
  buildAccountToken,
  clearRateLimits,
  expectError,
  findInDatabase,
} from '../../test/factories-accounts.js';
import { buildPersonalWorld } from '../../test/factories-personal.js';
import { buildUser, TEST_PASSWORD } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

describe('POST /api/me/delete', () => {
  let app: TestApp;
  let clients: TestClients;
  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  beforeEach(() => clearRateLimits());
  afterEach(() => clients.closeAll());
  after(() => app.close());

  it('answers 401 to a visitor', async () => {
    expectError(
      await app.post('/api/me/delete', { password: 'x', confirm: 'DELETE' }),
      401,
      'authentication_required',
    );
  });

  it('answers 400 with the field unless DELETE is typed out', async () => {
    const user = await buildUser();
    for (const confirm of [undefined, 'delete', 'yes']) {
      expectError(
        await app.post('/api/me/delete', { password: TEST_PASSWORD, confirm }, { as: user }),
        400,
        'validation_error',
        'confirm',
      );
    }
    expectError(
      await app.post('/api/me/delete', { confirm: 'DELETE' }, { as: user }),
      400,
      'validation_error',
      'password',
    );
    expect((await UserModel.findById(user._id))!.deletedAt).to.equal(null);
  });

  it('refuses a wrong password with 403 wrong_password and keeps the account', async () => {
    const user = await buildUser();
    const res = await app.post(
      '/api/me/delete',
      { password: 'not it', confirm: 'DELETE' },
      { as: user },
    );
    expectError(res, 403, 'wrong_password', 'password');
    expect((await app.get('/api/me', { as: user })).status).to.equal(200);
  });

  it('P9: after deletion no profile field remains anywhere in the database', async () => {
    const w = await buildPersonalWorld(app);
    const { me, tag } = w;
    const profile = [me.name, me.email, me.handle, me.avatarId!, '203.0.113.0', '198.51.100.0'];
    const photo = `/api/avatars/${me.avatarId!}/256`;
    expect((await app.get(photo)).status).to.equal(200);
    // Everything kept for them: tokens, counters keyed by their address, an audit entry with an
    // address, invitations to their address (one pending, one used), a live presence.
    await buildAccountToken(me, 'password_reset');
    await app.post('/api/auth/signin', { email: me.email, password: 'wrong password' });
    await recordAudit({
      actorId: me._id,
      subjectUserId: me._id,
      action: 'test',
      ip: '198.51.100.9',
    });
    await buildInvitation({ group: w.group, email: me.email });
    await buildInvitation({ group: w.group, email: me.email, acceptedAt: new Date() });
    await clients.watching(me, String(w.discussion._id));
    const counter = rateLimitKey(app.jwtSecret, RATE_RULES.signInAccount, me.email).key;
    expect(await RateLimitModel.exists({ _id: counter })).not.to.equal(null);
    const before = await findInDatabase((s) => profile.some((p) => s.includes(p)));
    expect(before.map((f) => f.collection)).to.include.members([
      'users',
      'avatars',
      'invitations',
      'accounttokens',
      'auditentries',
    ]);

    const token = app.tokenFor(me);
    const res = await app.post(
      '/api/me/delete',
      { password: TEST_PASSWORD, confirm: 'DELETE' },
      { as: token },
    );
    expect(res.status).to.equal(204);
    expect(res.headers.getSetCookie().join()).to.match(/quorum_session=;/);

    expect(await findInDatabase((s) => profile.some((p) => s.includes(p)))).to.deep.equal([]);
    expect(await findInDatabase((s) => s.includes(`h_${tag}`))).to.deep.equal([]);
    expect(await RateLimitModel.exists({ _id: counter })).to.equal(null);
    // The photo is gone from the database, and its address with it.
    expect(await AvatarModel.countDocuments({ userId: me._id })).to.equal(0);
    expectError(await app.get(photo), 404, 'not_found');
    const stored = (await UserModel.findById(me._id).lean())!;
    expect(stored).to.include({
      name: '',
      passwordHash: null,
      avatarId: null,
      lastSignInIp: null,
    });
    expect(stored.email).to.equal(`deleted-${String(me._id)}@deleted.invalid`);
    expect(stored.deletedAt).to.be.instanceOf(Date);

    // Irreversible: no session, no sign-in, no reactivation.
    expectError(await app.get('/api/me', { as: token }), 401, 'authentication_required');
    expectError(
      await app.post('/api/auth/signin', { email: me.email, password: TEST_PASSWORD }),
      401,
      'invalid_credentials',
    );
    expectError(
      await app.post('/api/auth/reactivate', { email: me.email, password: TEST_PASSWORD }),
      401,
      'invalid_credentials',
    );

    // Content stays, as "Deleted account".
    const comments = await app.get<{ items: { id: string; body: string; author: unknown }[] }>(
      `/api/discussions/${String(w.discussion._id)}/comments`,
      { as: w.group.coordinator },
    );
    const mine = comments.body.items.find((c) => c.id === String(w.myComment._id))!;
    expect(mine.body).to.equal(`Final words ${tag}`);
    expect(mine.author).to.deep.include({ name: 'Deleted account', status: 'deleted' });
    const entry = await AuditEntryModel.findOne({
      subjectUserId: me._id,
      action: 'account_deleted',
    });
    expect(entry).to.not.equal(null);
    expect(entry!.ip).to.equal(null);
  });
});
