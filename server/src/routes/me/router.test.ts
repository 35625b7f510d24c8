import { expect } from 'chai';
import { UserModel } from '../../models/user.js';
import { buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { SESSION_COOKIE } from '../../auth/session-token.js';

describe('GET /api/me and request authentication', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('answers 401 to a visitor', async () => {
    const res = await app.get('/api/me');
    expect(res.status).to.equal(401);
    expect(res.body).to.deep.include({
      error: { id: 'authentication_required', message: 'Authentication required' },
    });
  });

  it('returns the profile, with the own email, for a Bearer token', async () => {
    const user = await buildUser();
    const res = await app.get<{ user: Record<string, unknown> }>('/api/me', { as: user });
    expect(res.status).to.equal(200);
    expect(res.body.user).to.include({ id: String(user._id), email: user.email, name: user.name });
    expect(res.body.user).not.to.have.property('passwordHash');
    expect(res.body.user).not.to.have.property('tokenVersion');
  });

  it('accepts the session cookie', async () => {
    const user = await buildUser();
    const res = await app.get('/api/me', { cookie: `${SESSION_COOKIE}=${app.tokenFor(user)}` });
    expect(res.status).to.equal(200);
  });

  it('rejects every earlier token once the token version changes', async () => {
    const user = await buildUser();
    const token = app.tokenFor(user);
    await UserModel.updateOne({ _id: user._id }, { $inc: { tokenVersion: 1 } });
    expect((await app.get('/api/me', { as: token })).status).to.equal(401);
  });

  it('rejects forged and malformed tokens', async () => {
    expect((await app.get('/api/me', { as: 'not.a.jwt' })).status).to.equal(401);
    expect(
      (await app.get('/api/me', { as: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' })).status,
    ).to.equal(401);
  });

  it('treats deactivated accounts as signed out', async () => {
    const user = await buildUser({ deactivatedAt: new Date() });
    expect((await app.get('/api/me', { as: user })).status).to.equal(401);
  });

  it('rejects query operators anywhere in the input with the offending field', async () => {
    const res = await app.post('/api/me', { profile: { name: { $ne: null } } });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        id: 'validation_error',
        message: 'Keys starting with $ are not allowed',
        field: 'profile.name.$ne',
      },
    });
    const query = await app.get('/api/me?name[$ne]=x');
    expect(query.status).to.equal(400);
  });

  it('refuses cookie-authenticated writes without the CSRF header or from another origin', async () => {
    const user = await buildUser();
    const cookie = `${SESSION_COOKIE}=${app.tokenFor(user)}`;
    const missing = await app.post('/api/me', {}, { cookie, headers: { 'x-quorum-csrf': '' } });
    expect(missing.status).to.equal(403);
    expect((missing.body as { error: { id: string } }).error.id).to.equal('csrf_rejected');
    const foreign = await app.post(
      '/api/me',
      {},
      { cookie, headers: { origin: 'https://evil.example' } },
    );
    expect(foreign.status).to.equal(403);
  });

  describe('PATCH /api/me', () => {
    type Body = { user: Record<string, unknown>; error?: { id: string; field?: string } };

    it('answers 401 to a visitor', async () => {
      expect((await app.patch('/api/me', { name: 'X' })).status).to.equal(401);
    });

    it('changes name and handle, and returns the own profile', async () => {
      const user = await buildUser();
      const res = await app.patch<Body>(
        '/api/me',
        { name: '  Ms. Anonymous 🐙 ', handle: 'Octo_Pus' },
        { as: user },
      );
      expect(res.status).to.equal(200);
      expect(res.body.user).to.include({
        name: 'Ms. Anonymous 🐙',
        handle: 'octo_pus',
        avatarUrl: null,
        email: user.email,
      });
      expect(res.body.user).not.to.have.property('passwordHash');
      const stored = await UserModel.findById(user._id).orFail();
      expect(stored).to.include({ name: 'Ms. Anonymous 🐙', handle: 'octo_pus' });
    });

    it('keeps the own handle without a conflict', async () => {
      const user = await buildUser();
      expect((await app.patch('/api/me', { handle: user.handle }, { as: user })).status).to.equal(
        200,
      );
    });

    it('answers 409 on the handle field for a handle someone has or Quorum reserves', async () => {
      const [user, other] = [await buildUser(), await buildUser()];
      for (const handle of [other.handle, 'everyone']) {
        const res = await app.patch<Body>('/api/me', { handle }, { as: user });
        expect(res.status).to.equal(409);
        expect(res.body.error).to.include({ id: 'conflict', field: 'handle' });
      }
      expect((await UserModel.findById(user._id).orFail()).handle).to.equal(user.handle);
    });

    it('rejects bad input, fields that are not editable here and image addresses (photos are uploaded)', async () => {
      const user = await buildUser();
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'body'],
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ handle: 'a' }, 'handle'],
        [{ handle: 'has space' }, 'handle'],
        [{ avatarUrl: 'https://tracker.example/pixel.png' }, 'body'],
        [{ avatarUrl: '/uploads/avatars/octo.png' }, 'body'],
        [{ email: 'new@example.org' }, 'body'],
        [{ isAdmin: true }, 'body'],
        [{ name: { $set: 'x' } }, 'name.$set'],
      ];
      for (const [body, field] of cases) {
        const res = await app.patch<Body>('/api/me', body, { as: user });
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error).to.include({ id: 'validation_error', field });
      }
      const stored = await UserModel.findById(user._id).orFail();
      expect(stored).to.include({ name: user.name, email: user.email, isAdmin: false });
    });
  });
});
