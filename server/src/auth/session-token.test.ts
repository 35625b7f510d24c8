import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { signSession, verifySession } from './session-token.js';

/**
 * Session tokens are verified once per process and then remembered until they
 * expire: what is remembered must never let through a token that a fresh
 * verification would refuse.
 */
describe('session tokens', () => {
  const secret = 'a'.repeat(64);
  const userId = '64b7f0c2a1b2c3d4e5f60718';

  it('answers a token’s claims, the same the second time', () => {
    const token = signSession(userId, 3, secret);
    expect(verifySession(token, secret)).to.deep.equal({ sub: userId, tv: 3 });
    expect(verifySession(token, secret)).to.deep.equal({ sub: userId, tv: 3 });
  });

  it('refuses a token it verified before when asked under another secret', () => {
    const token = signSession(userId, 0, secret);
    expect(verifySession(token, secret)).to.not.equal(null);
    expect(verifySession(token, 'b'.repeat(64))).to.equal(null);
  });

  it('refuses forged, altered and expired tokens', () => {
    const token = signSession(userId, 0, secret);
    expect(verifySession(signSession(userId, 0, 'c'.repeat(64)), secret)).to.equal(null);
    const [head, , signature] = token.split('.');
    const body = Buffer.from(JSON.stringify({ sub: userId, tv: 9 })).toString('base64url');
    expect(verifySession(`${head}.${body}.${signature}`, secret)).to.equal(null);
    const expired = jwt.sign({ tv: 0, exp: Math.floor(Date.now() / 1000) - 10 }, secret, {
      subject: userId,
      algorithm: 'HS256',
    });
    expect(verifySession(expired, secret)).to.equal(null);
  });
});
