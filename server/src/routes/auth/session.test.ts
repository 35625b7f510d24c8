import { expect } from 'chai';
import { SESSION_COOKIE } from '../../auth/session-token.js';
import { UserModel } from '../../models/user.js';
import { buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

describe('GET /api/session', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('answers a visitor 200 with no one signed in, uncached', async () => {
    const res = await app.get('/api/session');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ user: null });
    expect(res.headers.get('cache-control')).to.equal('no-store');
  });

  it('answers the signed-in person with their own profile, as GET /api/me does', async () => {
    const user = await buildUser();
    const cookie = `${SESSION_COOKIE}=${app.tokenFor(user)}`;
    const session = await app.get<{ user: Record<string, unknown> }>('/api/session', { cookie });
    const me = await app.get<{ user: Record<string, unknown> }>('/api/me', { cookie });
    expect(session.status).to.equal(200);
    expect(session.body.user).to.include({ id: String(user._id), email: user.email });
    expect(session.body).to.deep.equal(me.body);
  });

  it('answers no one for a token that no longer counts, and for a forged one', async () => {
    const user = await buildUser();
    const token = app.tokenFor(user);
    await UserModel.updateOne({ _id: user._id }, { $inc: { tokenVersion: 1 } });
    expect((await app.get('/api/session', { as: token })).body).to.deep.equal({ user: null });
    const forged = await app.get('/api/session', { as: 'not.a.jwt' });
    expect(forged.status).to.equal(200);
    expect(forged.body).to.deep.equal({ user: null });
  });

  it('leaves GET /api/me answering 401 to a visitor, for API clients', async () => {
    expect((await app.get('/api/me')).status).to.equal(401);
  });
});
