import { expect } from 'chai';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { MembershipModel } from '../../models/membership.js';
import { UserModel } from '../../models/user.js';
import { arrival, record, TestClients } from '../../realtime/test-clients.js';
import { clearRateLimits, expectError, settle } from '../../test/factories-accounts.js';
import { buildPersonalWorld, type PersonalWorld } from '../../test/factories-personal.js';
import { buildUser, TEST_PASSWORD } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

describe('POST /api/me/deactivate and POST /api/auth/reactivate', () => {
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
      await app.post('/api/me/deactivate', { password: 'x' }),
      401,
      'authentication_required',
    );
  });

  it('answers 400 with the field for bad input', async () => {
    const user = await buildUser();
    expectError(
      await app.post('/api/me/deactivate', {}, { as: user }),
      400,
      'validation_error',
      'password',
    );
    expectError(
      await app.post('/api/me/deactivate', { password: TEST_PASSWORD, extra: 1 }, { as: user }),
      400,
      'validation_error',
    );
    expectError(
      await app.post('/api/me/deactivate', { password: { $ne: null } }, { as: user }),
      400,
      'validation_error',
      'password.$ne',
    );
  });

  it('refuses a wrong password with 403 wrong_password and changes nothing', async () => {
    const user = await buildUser();
    const res = await app.post(
      '/api/me/deactivate',
      { password: 'not the password' },
      { as: user },
    );
    expectError(res, 403, 'wrong_password', 'password');
    expect((await UserModel.findById(user._id))!.deactivatedAt).to.equal(null);
    expect((await app.get('/api/me', { as: user })).status).to.equal(200);
  });

  describe('P8', () => {
    let w: PersonalWorld;
    before(async () => {
      w = await buildPersonalWorld(app);
    });

    const identifying = () => [w.me.name, w.me.handle, w.me.email, w.me.avatarId!];
    const photo = () => app.get(`/api/avatars/${w.me.avatarId!}/64`);
    const expectAnonymous = (payload: unknown, where: string) => {
      const text = JSON.stringify(payload);
      for (const value of identifying())
        expect(text, `${where} names the user`).not.to.include(value);
    };
    /** What the group's coordinator reads about the discussion, the group and its people. */
    const readAll = async () => {
      const c = w.group.coordinator;
      const d = String(w.discussion._id);
      const g = String(w.group._id);
      const paths = [
        `/api/discussions/${d}`,
        `/api/discussions/${d}/comments`,
        `/api/discussions/${d}/events`,
        `/api/discussions/${d}/polls`,
        `/api/polls/${String(w.namedPoll._id)}/votes`,
        `/api/groups/${g}`,
        `/api/groups/${g}/members`,
        `/api/comments/${String(w.myComment._id)}/history`,
      ];
      const out: Record<string, unknown> = {};
      for (const path of paths) {
        const res = await app.get(path, { as: c });
        expect(res.status, path).to.equal(200);
        out[path] = res.body;
      }
      return out;
    };

    it('P8: after deactivation no payload, REST or live, names the user; reactivation restores', async () => {
      const d = String(w.discussion._id);
      // Before: the coordinator sees the name and the photo (so the checks below can fail).
      expect(JSON.stringify(await readAll())).to.include(w.me.name);
      expect(JSON.stringify(await readAll())).to.include(w.me.avatarId!);
      expect((await photo()).status).to.equal(200);
      const watcher = await clients.watching(w.group.coordinator, d);
      const seen = record(watcher);
      const mine = await clients.watching(w.me, d);
      const revoked = new Promise((resolve) => mine.once('access:revoked', resolve));
      const gone = new Promise((resolve) => mine.once('disconnect', resolve));
      const token = app.tokenFor(w.me);
      const groupBefore = await app.get<{ group: { memberCount: number } }>(
        `/api/groups/${String(w.group._id)}`,
        { as: w.group.coordinator },
      );

      // Their own arrival in the room (presence) was announced before; from here on, nothing names them.
      await arrival(
        seen,
        (event, p) => event.startsWith('presence:') && JSON.stringify(p).includes(w.me.name),
      );
      const mark = seen.length;
      const res = await app.post('/api/me/deactivate', { password: TEST_PASSWORD }, { as: token });
      expect(res.status).to.equal(204);

      // Sessions and sockets end at once.
      expect(await revoked).to.deep.equal({ reason: 'signed_out' });
      await gone;
      expectError(await app.get('/api/me', { as: token }), 401, 'authentication_required');
      // Live: the comment is presented again, as a deactivated account's.
      const [, upserted] = await arrival(
        seen,
        (event, p) => event === 'comment:upserted' && p.id === String(w.myComment._id),
      );
      expect(upserted.author).to.deep.include({
        name: 'Deactivated account',
        status: 'deactivated',
      });
      // ...and so are the discussion and the poll they started.
      const [, discussion] = await arrival(
        seen,
        (event, p) => event === 'discussion:upserted' && p.id === d,
      );
      expect(discussion.author).to.deep.include({ name: 'Deactivated account' });
      const [, poll] = await arrival(
        seen,
        (event, p) => event === 'poll:upserted' && p.id === String(w.anonymousPoll._id),
      );
      expect(poll.author).to.deep.include({ name: 'Deactivated account' });
      // REST: nothing names them.
      const after = await readAll();
      for (const [path, body] of Object.entries(after)) expectAnonymous(body, path);
      expect(JSON.stringify(after)).to.include('Deactivated account');
      // The photo is no longer served, to anyone who kept its address.
      expect((await photo()).status).to.equal(404);
      // Memberships suspended: no longer counted.
      const groupAfter = await app.get<{ group: { memberCount: number } }>(
        `/api/groups/${String(w.group._id)}`,
        { as: w.group.coordinator },
      );
      expect(groupAfter.body.group.memberCount).to.equal(groupBefore.body.group.memberCount - 1);
      expect(
        await MembershipModel.countDocuments({ userId: w.me._id, suspendedAt: null }),
      ).to.equal(0);
      // No email: a password reset asked for the address sends nothing.
      await app.post('/api/auth/password-reset', { email: w.me.email });
      await settle();
      expect(app.server.mailer.to(w.me.email)).to.deep.equal([]);
      for (const [event, payload] of seen.slice(mark)) expectAnonymous(payload, event);

      // Signing in: a wrong password learns nothing, the right one is offered reactivation.
      expectError(
        await app.post('/api/auth/signin', { email: w.me.email, password: 'wrong password' }),
        401,
        'invalid_credentials',
      );
      expectError(
        await app.post('/api/auth/signin', { email: w.me.email, password: TEST_PASSWORD }),
        403,
        'account_deactivated',
      );
      expectError(
        await app.post('/api/auth/reactivate', { email: w.me.email, password: 'wrong password' }),
        401,
        'invalid_credentials',
      );
      const back = await app.post<{ user: { name: string }; token: string }>(
        '/api/auth/reactivate',
        { email: w.me.email, password: TEST_PASSWORD },
      );
      expect(back.status).to.equal(200);
      expect(back.body.user.name).to.equal(w.me.name);
      expect((await app.get('/api/me', { as: back.body.token })).status).to.equal(200);
      const [, restored] = await arrival(
        seen,
        (event, p) =>
          event === 'comment:upserted' &&
          p.id === String(w.myComment._id) &&
          (p.author as { status: string }).status === 'active',
      );
      expect(restored.author).to.deep.include({ name: w.me.name });
      expect((await photo()).status).to.equal(200);
      const again = await readAll();
      expect(JSON.stringify(again[`/api/groups/${String(w.group._id)}/members`])).to.include(
        w.me.name,
      );
      expect(
        await MembershipModel.countDocuments({ userId: w.me._id, suspendedAt: { $ne: null } }),
      ).to.equal(0);

      const audit = await AuditEntryModel.find({ subjectUserId: w.me._id }).sort({ _id: 1 }).lean();
      expect(audit.map((e) => e.action)).to.deep.equal([
        'account_deactivated',
        'account_reactivated',
      ]);
      expect(audit.map((e) => e.ip)).to.deep.equal(['127.0.0.0', '127.0.0.0']);
    });
  });

  it('lets an administrator reactivate an account, and no one else', async () => {
    const user = await buildUser({ deactivatedAt: new Date() });
    const admin = await buildUser({ isAdmin: true });
    const plain = await buildUser();
    const path = `/api/admin/users/${String(user._id)}/reactivate`;
    expectError(await app.post(path, {}, { as: plain }), 403, 'authorization_error');
    expect((await app.post(path, {}, { as: admin })).status).to.equal(204);
    expect((await UserModel.findById(user._id))!.deactivatedAt).to.equal(null);
    const entry = await AuditEntryModel.findOne({ subjectUserId: user._id }).lean();
    expect(entry).to.deep.include({ action: 'account_reactivated' });
    expect(String(entry!.actorId)).to.equal(String(admin._id));
  });
});
