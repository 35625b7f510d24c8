/**
 * The sign-in privacy promises across every account flow: no raw IP address
 * reaches the database (P4), and no response carries a password hash, a token
 * version or a stored token hash (P17).
 */
import { expect } from 'chai';
import { AccountTokenModel } from '../../models/account-token.js';
import { UserModel } from '../../models/user.js';
import { TEST_PASSWORD, buildUser } from '../../test/factories.js';
import { findInDatabase, keysOf, linkIn, waitForMail } from '../../test/factories-accounts.js';
import { startTestApp, type ApiResponse, type TestApp } from '../../test/harness.js';

describe('account flows and privacy (P4, P17)', () => {
  let app: TestApp;
  const responses: ApiResponse<unknown>[] = [];
  const secrets = new Set<string>();

  before(async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://quorum.test' });
  });
  after(() => app.close());

  async function remember() {
    for (const u of await UserModel.find({}).lean())
      if (u.passwordHash) secrets.add(u.passwordHash);
    for (const t of await AccountTokenModel.find({}).lean()) secrets.add(t.tokenHash);
  }

  async function call<T>(method: string, path: string, body?: unknown, as?: string) {
    const res = await app.request<T>(method, path, { body, as });
    responses.push(res);
    await remember();
    return res;
  }

  before(async () => {
    const email = 'private@example.org';
    await call('POST', '/api/auth/signup', { name: 'Pat', email, password: 'first password' });
    const verify = linkIn(
      (await waitForMail(app.server.mailer, email, 1))[0],
      'http://quorum.test/verify-email',
    );
    await call('POST', '/api/auth/verify-email', { token: verify.token });
    await call('POST', '/api/auth/signin', { email, password: 'wrong password' });
    await call('POST', '/api/auth/signin', {
      email: 'nobody@example.org',
      password: 'wrong password',
    });
    const signedIn = await call<{ token: string }>('POST', '/api/auth/signin', {
      email,
      password: 'first password',
    });
    await call('GET', '/api/me', undefined, signedIn.body.token);
    await call('PATCH', '/api/me', { name: 'Pat Q.' }, signedIn.body.token);
    await call(
      'POST',
      '/api/auth/password',
      { currentPassword: 'first password', newPassword: 'second password' },
      signedIn.body.token,
    );
    await call('POST', '/api/auth/password-reset', { email });
    const reset = linkIn(
      (await waitForMail(app.server.mailer, email, 2))[1],
      'http://quorum.test/reset-password',
    );
    await call('POST', '/api/auth/password-reset/confirm', {
      token: reset.token,
      newPassword: 'third password',
    });
    await call('POST', '/api/auth/signin-link', { email });
    const link = linkIn(
      (await waitForMail(app.server.mailer, email, 3))[2],
      'http://quorum.test/sign-in-link',
    );
    const viaLink = await call<{ token: string }>('POST', '/api/auth/signin-link/confirm', {
      token: link.token,
    });
    await call('POST', '/api/auth/verify-email/resend', {}, viaLink.body.token);
    await call('POST', '/api/auth/signout-everywhere', {}, viaLink.body.token);
    await call('POST', '/api/auth/signout');
    const other = await buildUser();
    await call('POST', '/api/auth/signin', { email: other.email, password: TEST_PASSWORD });
  });

  it('went through every flow successfully', () => {
    expect(responses.map((r) => r.status)).to.deep.equal([
      201, 200, 401, 401, 200, 200, 200, 200, 202, 200, 202, 200, 409, 204, 204, 200,
    ]);
  });

  it('stores no raw IP address anywhere in the database, only the masked one', async () => {
    expect(await findInDatabase((s) => s.includes('127.0.0.1'))).to.deep.equal([]);
    const users = await UserModel.find({ lastSignInAt: { $ne: null } }).lean();
    expect(users).to.have.length(2);
    for (const user of users) expect(user.lastSignInIp).to.equal('127.0.0.0');
  });

  it('never answers with a password hash, a token version or a token hash', () => {
    expect(secrets.size).to.be.above(3);
    for (const res of responses) {
      const keys = keysOf(res.body);
      for (const key of ['passwordHash', 'tokenVersion', 'tokenHash', 'lastSignInIp'])
        expect(keys).not.to.include(key);
      const text = JSON.stringify(res.body);
      for (const secret of secrets) expect(text).not.to.include(secret);
    }
  });
});
