import { expect } from 'chai';
import { AccountTokenModel } from '../../models/account-token.js';
import { UserModel } from '../../models/user.js';
import { TEST_PASSWORD, buildUser } from '../../test/factories.js';
import {
  buildAccountToken,
  clearRateLimits,
  expectError,
  keysOf,
  linkIn,
  sessionCookieFrom,
  settle,
  setCookies,
  waitForMail,
} from '../../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type SignedInBody = { user: Record<string, unknown>; token: string };
describe('/api/auth emailed links', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://quorum.test' });
  });
  after(() => app.close());
  beforeEach(() => clearRateLimits());

  describe('POST /verify-email', () => {
    it('rejects a missing token, an operator, and an unknown token', async () => {
      expectError(await app.post('/api/auth/verify-email', {}), 400, 'validation_error', 'token');
      expectError(
        await app.post('/api/auth/verify-email', { token: { $gt: '' } }),
        400,
        'validation_error',
        'token.$gt',
      );
      expectError(
        await app.post('/api/auth/verify-email', { token: 'B'.repeat(43) }),
        400,
        'invalid_token',
      );
    });

    it('verifies the address with the link emailed at sign-up, once', async () => {
      const signedUp = await app.post<SignedInBody>('/api/auth/signup', {
        name: 'Vera',
        email: 'vera@example.org',
        password: 'long enough',
      });
      const { token } = linkIn(
        (await waitForMail(app.server.mailer, 'vera@example.org'))[0],
        'http://quorum.test/verify-email',
      );
      const res = await app.post('/api/auth/verify-email', { token });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ emailVerified: true });
      expect(
        (await UserModel.findOne({ email: 'vera@example.org' }).orFail()).emailVerifiedAt,
      ).to.be.instanceOf(Date);
      const me = await app.get<SignedInBody>('/api/me', { as: signedUp.body.token });
      expect(me.body.user.emailVerified).to.equal(true);
      expectError(await app.post('/api/auth/verify-email', { token }), 400, 'invalid_token');
    });

    it('refuses an expired token and one sent to an address the account no longer has', async () => {
      const user = await buildUser({ emailVerifiedAt: null });
      const expired = await buildAccountToken(user, 'verify_email', {
        expiresAt: new Date(Date.now() - 1),
      });
      expectError(
        await app.post('/api/auth/verify-email', { token: expired }),
        400,
        'invalid_token',
      );
      const stale = await buildAccountToken(user, 'verify_email');
      await UserModel.updateOne({ _id: user._id }, { $set: { email: `changed-${user.email}` } });
      expectError(await app.post('/api/auth/verify-email', { token: stale }), 400, 'invalid_token');
      expect((await UserModel.findById(user._id).orFail()).emailVerifiedAt).to.equal(null);
    });
  });

  describe('POST /verify-email/resend', () => {
    it('needs a signed-in user', async () => {
      expectError(await app.post('/api/auth/verify-email/resend'), 401, 'authentication_required');
    });

    it('answers 409 when the address is already verified', async () => {
      const user = await buildUser();
      expectError(
        await app.post('/api/auth/verify-email/resend', {}, { as: user }),
        409,
        'conflict',
      );
      expect(app.server.mailer.to(user.email)).to.deep.equal([]);
    });

    it('emails a new working link, at most 5 an hour', async () => {
      const user = await buildUser({ emailVerifiedAt: null });
      for (let i = 0; i < 5; i++) {
        expect((await app.post('/api/auth/verify-email/resend', {}, { as: user })).status).to.equal(
          202,
        );
      }
      expectError(
        await app.post('/api/auth/verify-email/resend', {}, { as: user }),
        429,
        'rate_limited',
      );
      const mails = app.server.mailer.to(user.email);
      expect(mails).to.have.length(5);
      const { token } = linkIn(mails[4], 'http://quorum.test/verify-email');
      expect((await app.post('/api/auth/verify-email', { token })).status).to.equal(200);
    });
  });

  describe('POST /signin-link', () => {
    it('rejects a malformed address', async () => {
      expectError(await app.post('/api/auth/signin-link', {}), 400, 'validation_error', 'email');
      expectError(
        await app.post('/api/auth/signin-link', { email: { $ne: null } }),
        400,
        'validation_error',
        'email.$ne',
      );
    });

    it('answers 202 alike whether the account exists, and emails a 15-minute link only to a real, active one', async () => {
      const user = await buildUser();
      const deactivated = await buildUser({ deactivatedAt: new Date() });
      const answers = [
        await app.post('/api/auth/signin-link', { email: 'nobody@example.org' }),
        await app.post('/api/auth/signin-link', { email: deactivated.email }),
        await app.post('/api/auth/signin-link', { email: user.email }),
      ];
      for (const res of answers) {
        expect(res.status).to.equal(202);
        expect(res.body).to.deep.equal(answers[0].body);
        expect(setCookies(res)).to.deep.equal([]);
      }
      const [mail] = await waitForMail(app.server.mailer, user.email);
      expect(mail.subject).to.match(/sign-in link/i);
      linkIn(mail, 'http://quorum.test/sign-in-link');
      await settle();
      expect(app.server.mailer.to('nobody@example.org')).to.deep.equal([]);
      expect(app.server.mailer.to(deactivated.email)).to.deep.equal([]);
      const stored = await AccountTokenModel.findOne({
        userId: user._id,
        purpose: 'signin_link',
      }).orFail();
      expect(stored.expiresAt.getTime() - Date.now()).to.be.within(890_000, 900_000);
    });

    it('limits requests per target address', async () => {
      for (let i = 0; i < 5; i++)
        await app.post('/api/auth/signin-link', { email: 'flood@example.org' });
      const res = await app.post('/api/auth/signin-link', { email: 'flood@example.org' });
      expectError(res, 429, 'rate_limited');
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
    });
  });

  describe('POST /signin-link/confirm', () => {
    it('rejects bad input and unknown tokens', async () => {
      expectError(
        await app.post('/api/auth/signin-link/confirm', {}),
        400,
        'validation_error',
        'token',
      );
      expectError(
        await app.post('/api/auth/signin-link/confirm', { token: 'has spaces' }),
        400,
        'validation_error',
        'token',
      );
      expectError(
        await app.post('/api/auth/signin-link/confirm', { token: 'C'.repeat(43) }),
        400,
        'invalid_token',
      );
    });

    it('signs in with the emailed link once, verifying the address', async () => {
      const user = await buildUser({ emailVerifiedAt: null });
      await app.post('/api/auth/signin-link', { email: user.email });
      const { token } = linkIn(
        (await waitForMail(app.server.mailer, user.email))[0],
        'http://quorum.test/sign-in-link',
      );
      const res = await app.post<SignedInBody>('/api/auth/signin-link/confirm', { token });
      expect(res.status).to.equal(200);
      expect(res.body.user).to.include({ id: String(user._id), emailVerified: true });
      expect(keysOf(res.body)).not.to.include('tokenHash').and.not.to.include('passwordHash');
      expect((await app.get('/api/me', { as: res.body.token })).status).to.equal(200);
      expect((await app.get('/api/me', { cookie: sessionCookieFrom(res) })).status).to.equal(200);
      const stored = await UserModel.findById(user._id).orFail();
      expect(stored.lastSignInIp).to.equal('127.0.0.0');
      expectError(await app.post('/api/auth/signin-link/confirm', { token }), 400, 'invalid_token');
    });

    it('refuses an expired link and a link of an account deactivated or deleted since', async () => {
      const user = await buildUser();
      const expired = await buildAccountToken(user, 'signin_link', {
        expiresAt: new Date(Date.now() - 1),
      });
      expectError(
        await app.post('/api/auth/signin-link/confirm', { token: expired }),
        400,
        'invalid_token',
      );
      const deactivated = await buildUser();
      const t1 = await buildAccountToken(deactivated, 'signin_link');
      await UserModel.updateOne({ _id: deactivated._id }, { $set: { deactivatedAt: new Date() } });
      expectError(
        await app.post('/api/auth/signin-link/confirm', { token: t1 }),
        400,
        'invalid_token',
      );
      const deleted = await buildUser();
      const t2 = await buildAccountToken(deleted, 'signin_link');
      await UserModel.deleteOne({ _id: deleted._id });
      expectError(
        await app.post('/api/auth/signin-link/confirm', { token: t2 }),
        400,
        'invalid_token',
      );
    });

    it('cannot be used as an email-verification or reset token', async () => {
      const user = await buildUser();
      const token = await buildAccountToken(user, 'verify_email');
      expectError(await app.post('/api/auth/signin-link/confirm', { token }), 400, 'invalid_token');
      // A password sign-in is unaffected by unused links.
      expect(
        (await app.post('/api/auth/signin', { email: user.email, password: TEST_PASSWORD })).status,
      ).to.equal(200);
    });
  });
});
