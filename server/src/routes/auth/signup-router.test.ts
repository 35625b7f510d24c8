import { expect } from 'chai';
import { UserModel } from '../../models/user.js';
import { buildUser } from '../../test/factories.js';
import {
  clearRateLimits,
  expectError,
  expectNoSecrets,
  linkIn,
  sessionCookieFrom,
  setCookies,
} from '../../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type SignedInBody = { user: Record<string, unknown>; token: string };

describe('POST /api/auth/signup', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://quorum.test' });
  });
  after(() => app.close());
  beforeEach(() => clearRateLimits());

  const signUp = (body: Record<string, unknown>) =>
    app.post<SignedInBody>('/api/auth/signup', body);

  it('creates the account, signs it in with the cookie and emails a verification link', async () => {
    const res = await signUp({
      name: ' Ada Lovelace ',
      email: ' Ada@Example.ORG ',
      password: 'analytical engine',
    });
    expect(res.status).to.equal(201);
    expect(res.body.user).to.include({
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      handle: 'adalovelace',
      emailVerified: false,
    });
    expectNoSecrets(res);

    const stored = await UserModel.findOne({ email: 'ada@example.org' }).orFail();
    expect(stored.passwordHash)
      .to.match(/^scrypt\$/)
      .and.not.include('analytical');
    expect(stored.lastSignInIp).to.equal('127.0.0.0');
    expect(stored.lastSignInAt).to.be.instanceOf(Date);

    const me = await app.get<SignedInBody>('/api/me', { as: res.body.token });
    expect(me.body.user.id).to.equal(String(stored._id));
    const viaCookie = await app.get('/api/me', { cookie: sessionCookieFrom(res) });
    expect(viaCookie.status).to.equal(200);

    const [mail] = app.server.mailer.to('ada@example.org');
    expect(mail.subject).to.match(/confirm/i);
    linkIn(mail, 'http://quorum.test/verify-email');
  });

  it('welcomes pseudonyms and any script in names, deriving unique handles', async () => {
    const owl = await signUp({
      name: '🦉 Night Owl',
      email: 'owl1@example.org',
      password: 'hoot hoot hoot',
    });
    const owl2 = await signUp({
      name: 'Night  Owl!',
      email: 'owl2@example.org',
      password: 'hoot hoot hoot',
    });
    const li = await signUp({
      name: '李雷',
      email: 'li@example.org',
      password: 'hoot hoot hoot',
    });
    const admin = await signUp({
      name: 'Admin',
      email: 'admin@example.org',
      password: 'hoot hoot hoot',
    });
    expect(owl.body.user).to.include({ name: '🦉 Night Owl', handle: 'nightowl' });
    expect(owl2.body.user.handle).to.match(/^nightowl\d+$/);
    expect(li.body.user).to.include({ name: '李雷' });
    expect(li.body.user.handle).to.match(/^member\d*$/);
    expect(admin.body.user.handle).to.match(/^admin\d+$/);
  });

  it('keeps a chosen handle, lowercased', async () => {
    const res = await signUp({
      name: 'Grace',
      email: 'grace@example.org',
      password: 'cobol cobol',
      handle: 'Amazing_Grace',
    });
    expect(res.status).to.equal(201);
    expect(res.body.user.handle).to.equal('amazing_grace');
  });

  it('answers 409 on the email field for an address that has an account (in any case)', async () => {
    const user = await buildUser();
    const res = await signUp({
      name: 'Copy',
      email: user.email.toUpperCase(),
      password: 'long enough',
    });
    expectError(res, 409, 'conflict', 'email');
    expect(setCookies(res)).to.deep.equal([]);
    expect(await UserModel.countDocuments({ email: user.email })).to.equal(1);
  });

  it('answers 409 on the handle field for a taken or reserved handle', async () => {
    const user = await buildUser();
    expectError(
      await signUp({
        name: 'X',
        email: 'h1@example.org',
        password: 'long enough',
        handle: user.handle,
      }),
      409,
      'conflict',
      'handle',
    );
    expectError(
      await signUp({
        name: 'X',
        email: 'h2@example.org',
        password: 'long enough',
        handle: 'everyone',
      }),
      409,
      'conflict',
      'handle',
    );
    expect(await UserModel.exists({ email: 'h1@example.org' })).to.equal(null);
  });

  it('rejects bad input naming the field, including operators', async () => {
    const ok = { name: 'Valid', email: 'valid@example.org', password: 'long enough' };
    expectError(await signUp({ ...ok, name: '   ' }), 400, 'validation_error', 'name');
    expectError(await signUp({ ...ok, name: 'x'.repeat(101) }), 400, 'validation_error', 'name');
    expectError(await signUp({ ...ok, name: 'a\u0000b' }), 400, 'validation_error', 'name');
    expectError(await signUp({ ...ok, email: 'not-an-email' }), 400, 'validation_error', 'email');
    expectError(await signUp({ ...ok, password: 'short' }), 400, 'validation_error', 'password');
    expectError(
      await signUp({ ...ok, password: 'x'.repeat(201) }),
      400,
      'validation_error',
      'password',
    );
    expectError(await signUp({ ...ok, handle: 'no spaces' }), 400, 'validation_error', 'handle');
    expectError(await signUp({ ...ok, email: { $gt: '' } }), 400, 'validation_error', 'email.$gt');
    expect(await UserModel.exists({ email: 'valid@example.org' })).to.equal(null);
  });

  it('limits sign-ups per address with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await signUp({
        name: `P ${i}`,
        email: `many${i}@example.org`,
        password: 'long enough',
      });
      expect(res.status).to.equal(201);
    }
    const res = await signUp({
      name: 'One more',
      email: 'many10@example.org',
      password: 'long enough',
    });
    expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).to.be.within(3500, 3600);
    expect(await UserModel.exists({ email: 'many10@example.org' })).to.equal(null);
  });
});
