import { expect } from 'chai';
import { clearedSessionCookie, cookieOptionsFor, sessionCookie } from './session-cookie.js';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from './session-token.js';

describe('session cookie', () => {
  it('is Secure exactly when the public URL is https', () => {
    expect(cookieOptionsFor('https://quorum.example')).to.deep.equal({ secure: true });
    expect(cookieOptionsFor('http://localhost:3000')).to.deep.equal({ secure: false });
  });

  it('carries the token httpOnly, SameSite=Lax, on the whole site, for the token lifetime', () => {
    expect(sessionCookie('a.b.c', { secure: false })).to.equal(
      `${SESSION_COOKIE}=a.b.c; Path=/; Max-Age=${SESSION_TTL_SECONDS}; HttpOnly; SameSite=Lax`,
    );
    expect(sessionCookie('a.b.c', { secure: true })).to.match(/; Secure$/);
  });

  it('is cleared with the same attributes and Max-Age=0', () => {
    expect(clearedSessionCookie({ secure: true })).to.equal(
      `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure`,
    );
  });
});
