import { expect } from 'chai';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from '../../auth/session-token.js';
import { UserModel } from '../../models/user.js';
import { TEST_PASSWORD, buildUser } from '../../test/factories.js';
import {
  buildAccountToken,
  clearRateLimits,
  expectError,
  expectNoSecrets,
  linkIn,
  sessionCookieFrom,
  setCookies,
} from '../../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type SignedInBody = { user: Record<string, unknown>; token: string };
type ErrorBody = { error: { id: string; message: string; field?: string } };

describe('/api/auth: sign-in and sign-out', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://quorum.test' });
  });
  after(() => app.close());
  beforeEach(() => clearRateLimits());

  const signIn = (email: string, password: string) =>
    app.post<SignedInBody>('/api/auth/signin', { email, password });

  describe('the session cookie', () => {
    it('is the only cookie: HttpOnly, SameSite=Lax, Path=/, 30 days, not Secure over http', async () => {
      const user = await buildUser();
      const res = await signIn(user.email, TEST_PASSWORD);
      const cookies = setCookies(res);
      expect(cookies).to.have.length(1);
      const [value, ...attributes] = cookies[0].split('; ');
      expect(value).to.equal(`${SESSION_COOKIE}=${res.body.token}`);
      expect(attributes).to.have.members([
        'Path=/',
        `Max-Age=${SESSION_TTL_SECONDS}`,
        'HttpOnly',
        'SameSite=Lax',
      ]);
    });
  });

  describe('POST /signin', () => {
    it('signs in with the right password (email in any case), recording time and masked address', async () => {
      const user = await buildUser();
      const res = await signIn(user.email.toUpperCase(), TEST_PASSWORD);
      expect(res.status).to.equal(200);
      expect(res.body.user).to.include({ id: String(user._id), email: user.email });
      expectNoSecrets(res);
      expect((await app.get('/api/me', { as: res.body.token })).status).to.equal(200);
      expect((await app.get('/api/me', { cookie: sessionCookieFrom(res) })).status).to.equal(200);
      const stored = await UserModel.findById(user._id).orFail();
      expect(stored.lastSignInIp).to.equal('127.0.0.0');
      expect(Date.now() - stored.lastSignInAt!.getTime()).to.be.below(5000);
    });

    it('answers the same 401 for a wrong password, an unknown, deactivated (wrong password), deleted or password-less account', async () => {
      const user = await buildUser();
      const deactivated = await buildUser({ deactivatedAt: new Date() });
      const deleted = await buildUser({ deletedAt: new Date() });
      const passwordless = await buildUser({ passwordHash: null });
      const answers = [
        await signIn(user.email, 'wrong password'),
        await signIn('nobody@example.org', TEST_PASSWORD),
        await signIn(deactivated.email, 'wrong password'),
        await signIn(deleted.email, TEST_PASSWORD),
        await signIn(passwordless.email, TEST_PASSWORD),
      ];
      for (const res of answers) {
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal(answers[0].body);
        expect(setCookies(res)).to.deep.equal([]);
      }
      expect((answers[0].body as unknown as ErrorBody).error.id).to.equal('invalid_credentials');
    });

    it('takes about as long for an unknown account as for a wrong password', async () => {
      const user = await buildUser();
      const time = async (email: string) => {
        const started = performance.now();
        await signIn(email, 'wrong password');
        return performance.now() - started;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 4; i++) {
        known.push(await time(user.email));
        unknown.push(await time(`ghost${i}@example.org`));
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const ratio = median(unknown) / median(known);
      expect(ratio, `unknown ${median(unknown)} ms vs known ${median(known)} ms`).to.be.within(
        0.33,
        3,
      );
    });

    it('rejects bad input and operator injection with 400', async () => {
      expectError(
        await app.post('/api/auth/signin', { email: 'x', password: 'y' }),
        400,
        'validation_error',
        'email',
      );
      expectError(
        await app.post('/api/auth/signin', { email: 'a@example.org' }),
        400,
        'validation_error',
        'password',
      );
      const injected = await app.post('/api/auth/signin', {
        email: 'a@example.org',
        password: { $ne: null },
      });
      expectError(injected, 400, 'validation_error', 'password.$ne');
    });

    it('accepts only JSON, so a cross-site form cannot sign a browser in (login CSRF)', async () => {
      const user = await buildUser();
      const res = await app.request('POST', '/api/auth/signin', {
        raw: `{"email":"${user.email}","password":"${TEST_PASSWORD}"}`,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).to.equal(400);
      expect(setCookies(res)).to.deep.equal([]);
    });
  });

  describe('POST /signout', () => {
    it('expires the cookie with 204', async () => {
      const user = await buildUser();
      const res = await app.post(
        '/api/auth/signout',
        {},
        { cookie: `${SESSION_COOKIE}=${app.tokenFor(user)}` },
      );
      expect(res.status).to.equal(204);
      const cookies = setCookies(res);
      expect(cookies).to.have.length(1);
      expect(cookies[0])
        .to.match(new RegExp(`^${SESSION_COOKIE}=;`))
        .and.include('Max-Age=0')
        .and.include('HttpOnly');
    });

    it('also answers 204 to a visitor', async () => {
      expect((await app.post('/api/auth/signout')).status).to.equal(204);
    });

    it('refuses a cookie-authenticated sign-out without the CSRF header', async () => {
      const user = await buildUser();
      const res = await app.post(
        '/api/auth/signout',
        {},
        {
          cookie: `${SESSION_COOKIE}=${app.tokenFor(user)}`,
          headers: { 'x-quorum-csrf': '' },
        },
      );
      expectError(res, 403, 'csrf_rejected');
    });
  });

  describe('POST /signout-everywhere', () => {
    it('needs a signed-in user', async () => {
      expectError(await app.post('/api/auth/signout-everywhere'), 401, 'authentication_required');
    });

    it('ends every session of the account and pending sign-in links, and clears the cookie', async () => {
      const user = await buildUser();
      const laptop = (await signIn(user.email, TEST_PASSWORD)).body.token;
      const phone = await signIn(user.email, TEST_PASSWORD);
      const link = await buildAccountToken(user, 'signin_link');
      const res = await app.post(
        '/api/auth/signout-everywhere',
        {},
        { cookie: sessionCookieFrom(phone) },
      );
      expect(res.status).to.equal(204);
      expect(setCookies(res)[0]).to.include('Max-Age=0');
      expectError(await app.get('/api/me', { as: laptop }), 401, 'authentication_required');
      expectError(
        await app.get('/api/me', { cookie: sessionCookieFrom(phone) }),
        401,
        'authentication_required',
      );
      expectError(
        await app.post('/api/auth/signin-link/confirm', { token: link }),
        400,
        'invalid_token',
      );
      // Other people's sessions are untouched; signing in again works.
      const other = await buildUser();
      expect((await app.get('/api/me', { as: other })).status).to.equal(200);
      expect((await signIn(user.email, TEST_PASSWORD)).status).to.equal(200);
    });
  });
});

describe('/api/auth behind https', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://quorum.example' });
  });
  after(() => app.close());

  it('marks the session cookie Secure, on sign-in and on sign-out', async () => {
    const user = await buildUser();
    const signedIn = await app.post('/api/auth/signin', {
      email: user.email,
      password: TEST_PASSWORD,
    });
    expect(setCookies(signedIn)).to.have.length(1);
    expect(setCookies(signedIn)[0].split('; ')).to.include.members([
      'Secure',
      'HttpOnly',
      'SameSite=Lax',
    ]);
    const signedOut = await app.post('/api/auth/signout');
    expect(setCookies(signedOut)[0].split('; ')).to.include('Secure');
  });

  it('puts the public URL in emailed links', async () => {
    await app.post('/api/auth/signup', {
      name: 'Sec',
      email: 'sec@example.org',
      password: 'long enough',
    });
    linkIn(app.server.mailer.to('sec@example.org')[0], 'https://quorum.example/verify-email');
  });
});
