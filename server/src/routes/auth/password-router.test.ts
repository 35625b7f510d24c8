import { expect } from 'chai';
import { verifyPassword } from '../../auth/passwords.js';
import { AccountTokenModel } from '../../models/account-token.js';
import { UserModel } from '../../models/user.js';
import { TEST_PASSWORD, buildUser } from '../../test/factories.js';
import {
  buildAccountToken,
  clearRateLimits,
  expectError,
  findInDatabase,
  keysOf,
  linkIn,
  sessionCookieFrom,
  settle,
  setCookies,
  waitForMail,
} from '../../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type SignedInBody = { user: Record<string, unknown>; token: string };
describe('/api/auth passwords', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://quorum.test' });
  });
  after(() => app.close());
  beforeEach(() => clearRateLimits());

  const signIn = (email: string, password: string) =>
    app.post<SignedInBody>('/api/auth/signin', { email, password });

  describe('POST /password', () => {
    const change = (as: string | null, body: Record<string, unknown>, options = {}) =>
      app.post<SignedInBody>('/api/auth/password', body, { as, ...options });

    it('needs a signed-in user', async () => {
      expectError(
        await change(null, { currentPassword: TEST_PASSWORD, newPassword: 'new password' }),
        401,
        'authentication_required',
      );
    });

    it('rejects bad input and operators', async () => {
      const user = await buildUser();
      const token = app.tokenFor(user);
      expectError(
        await change(token, { currentPassword: TEST_PASSWORD, newPassword: 'short' }),
        400,
        'validation_error',
        'newPassword',
      );
      expectError(
        await change(token, { newPassword: 'long enough' }),
        400,
        'validation_error',
        'currentPassword',
      );
      expectError(
        await change(token, { currentPassword: { $ne: '' }, newPassword: 'long enough' }),
        400,
        'validation_error',
        'currentPassword.$ne',
      );
    });

    it('refuses a wrong current password on that field, and limits the guesses', async () => {
      const user = await buildUser();
      const token = app.tokenFor(user);
      for (let i = 0; i < 5; i++) {
        expectError(
          await change(token, { currentPassword: `guess ${i}`, newPassword: 'long enough' }),
          400,
          'validation_error',
          'currentPassword',
        );
      }
      const limited = await change(token, {
        currentPassword: TEST_PASSWORD,
        newPassword: 'long enough',
      });
      expectError(limited, 429, 'rate_limited');
      expect(limited.headers.get('retry-after')).to.match(/^\d+$/);
      expect(
        await verifyPassword(
          TEST_PASSWORD,
          (await UserModel.findById(user._id).orFail()).passwordHash,
        ),
      ).to.equal(true);
    });

    it('re-hashes, ends every other session and gives this client a fresh cookie and token', async () => {
      const user = await buildUser();
      const elsewhere = (await signIn(user.email, TEST_PASSWORD)).body.token;
      const here = await signIn(user.email, TEST_PASSWORD);
      const pendingReset = await buildAccountToken(user, 'password_reset');
      const res = await change(
        null,
        { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' },
        { cookie: sessionCookieFrom(here) },
      );
      expect(res.status).to.equal(200);
      expect(keysOf(res.body)).not.to.include('passwordHash').and.not.to.include('tokenVersion');
      expect(setCookies(res)).to.have.length(1);

      expectError(await app.get('/api/me', { as: elsewhere }), 401, 'authentication_required');
      expectError(
        await app.get('/api/me', { as: here.body.token }),
        401,
        'authentication_required',
      );
      expect((await app.get('/api/me', { as: res.body.token })).status).to.equal(200);
      expect((await app.get('/api/me', { cookie: sessionCookieFrom(res) })).status).to.equal(200);

      expect((await signIn(user.email, TEST_PASSWORD)).status).to.equal(401);
      expect((await signIn(user.email, 'a brand new password')).status).to.equal(200);
      const confirm = await app.post('/api/auth/password-reset/confirm', {
        token: pendingReset,
        newPassword: 'takeover!!',
      });
      expectError(confirm, 400, 'invalid_token');
    });
  });

  describe('POST /password-reset', () => {
    it('rejects a malformed address', async () => {
      expectError(
        await app.post('/api/auth/password-reset', { email: 'nope' }),
        400,
        'validation_error',
        'email',
      );
      expectError(
        await app.post('/api/auth/password-reset', { email: { $regex: '.' } }),
        400,
        'validation_error',
        'email.$regex',
      );
    });

    it('answers 202 alike for existing and unknown addresses, and emails only the existing one', async () => {
      const user = await buildUser();
      const unknown = await app.post('/api/auth/password-reset', { email: 'nobody@example.org' });
      const known = await app.post('/api/auth/password-reset', { email: user.email.toUpperCase() });
      expect([unknown.status, known.status]).to.deep.equal([202, 202]);
      expect(known.body).to.deep.equal(unknown.body);
      const [mail] = await waitForMail(app.server.mailer, user.email);
      expect(mail.subject).to.match(/reset/i);
      const { token } = linkIn(mail, 'http://quorum.test/reset-password');
      expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
      await settle();
      expect(app.server.mailer.to('nobody@example.org')).to.deep.equal([]);
      // Only the hash is stored: the raw token appears nowhere in the database.
      expect(await findInDatabase((s) => s.includes(token))).to.deep.equal([]);
      const stored = await AccountTokenModel.findOne({
        userId: user._id,
        purpose: 'password_reset',
      }).orFail();
      expect(stored.expiresAt.getTime() - Date.now()).to.be.within(3590_000, 3600_000);
    });

    it('sends nothing to a deactivated account', async () => {
      const user = await buildUser({ deactivatedAt: new Date() });
      expect((await app.post('/api/auth/password-reset', { email: user.email })).status).to.equal(
        202,
      );
      await settle();
      expect(app.server.mailer.to(user.email)).to.deep.equal([]);
    });

    it('limits requests per address they go to, existing or not', async () => {
      const user = await buildUser();
      for (const email of [user.email, 'ghost@example.org']) {
        for (let i = 0; i < 5; i++)
          expect((await app.post('/api/auth/password-reset', { email })).status).to.equal(202);
        const res = await app.post('/api/auth/password-reset', { email });
        expectError(res, 429, 'rate_limited');
        expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      }
      expect(await waitForMail(app.server.mailer, user.email, 5)).to.have.length(5);
    });
  });

  describe('POST /password-reset/confirm', () => {
    it('rejects bad input', async () => {
      const res = await app.post('/api/auth/password-reset/confirm', {
        newPassword: 'long enough',
      });
      expectError(res, 400, 'validation_error', 'token');
      expectError(
        await app.post('/api/auth/password-reset/confirm', { token: 'abc', newPassword: 'short' }),
        400,
        'validation_error',
        'newPassword',
      );
      expectError(
        await app.post('/api/auth/password-reset/confirm', {
          token: { $exists: true },
          newPassword: 'long enough',
        }),
        400,
        'validation_error',
        'token.$exists',
      );
    });

    it('refuses an unknown token with invalid_token', async () => {
      const res = await app.post('/api/auth/password-reset/confirm', {
        token: 'A'.repeat(43),
        newPassword: 'long enough',
      });
      expectError(res, 400, 'invalid_token');
    });

    it('sets the password from the emailed link once, ends old sessions and signs in', async () => {
      const user = await buildUser({ emailVerifiedAt: null });
      const oldSession = app.tokenFor(user);
      await app.post('/api/auth/password-reset', { email: user.email });
      const { token } = linkIn(
        (await waitForMail(app.server.mailer, user.email))[0],
        'http://quorum.test/reset-password',
      );

      const res = await app.post<SignedInBody>('/api/auth/password-reset/confirm', {
        token,
        newPassword: 'reset and new',
      });
      expect(res.status).to.equal(200);
      expect(res.body.user).to.include({ id: String(user._id), emailVerified: true });
      expect(keysOf(res.body)).not.to.include('passwordHash').and.not.to.include('tokenHash');
      expect((await app.get('/api/me', { cookie: sessionCookieFrom(res) })).status).to.equal(200);
      expectError(await app.get('/api/me', { as: oldSession }), 401, 'authentication_required');
      expect((await signIn(user.email, 'reset and new')).status).to.equal(200);

      const again = await app.post('/api/auth/password-reset/confirm', {
        token,
        newPassword: 'second try!',
      });
      expectError(again, 400, 'invalid_token');
      expect((await signIn(user.email, 'second try!')).status).to.equal(401);
    });

    it('refuses an expired token (one hour) and a token of another purpose', async () => {
      const user = await buildUser();
      const expired = await buildAccountToken(user, 'password_reset', {
        expiresAt: new Date(Date.now() - 1000),
      });
      expectError(
        await app.post('/api/auth/password-reset/confirm', {
          token: expired,
          newPassword: 'long enough',
        }),
        400,
        'invalid_token',
      );
      const link = await buildAccountToken(user, 'signin_link');
      expectError(
        await app.post('/api/auth/password-reset/confirm', {
          token: link,
          newPassword: 'long enough',
        }),
        400,
        'invalid_token',
      );
      expect(
        await verifyPassword(
          TEST_PASSWORD,
          (await UserModel.findById(user._id).orFail()).passwordHash,
        ),
      ).to.equal(true);
    });

    it('refuses the token of an account deactivated since', async () => {
      const user = await buildUser();
      const token = await buildAccountToken(user, 'password_reset');
      await UserModel.updateOne({ _id: user._id }, { $set: { deactivatedAt: new Date() } });
      expectError(
        await app.post('/api/auth/password-reset/confirm', { token, newPassword: 'long enough' }),
        400,
        'invalid_token',
      );
    });

    it('unlocks an account locked by failed sign-ins', async () => {
      const user = await buildUser();
      for (let i = 0; i < 6; i++) await signIn(user.email, 'wrong');
      expectError(await signIn(user.email, TEST_PASSWORD), 429, 'rate_limited');
      const token = await buildAccountToken(user, 'password_reset');
      expect(
        (await app.post('/api/auth/password-reset/confirm', { token, newPassword: 'unlocked now' }))
          .status,
      ).to.equal(200);
      expect((await signIn(user.email, 'unlocked now')).status).to.equal(200);
    });
  });
});
