/**
 * Session tokens: JWTs naming the user and their token version. Bumping the
 * user's `tokenVersion` (sign out everywhere, password change, deactivation,
 * deletion) invalidates every token issued before.
 */
import jwt from 'jsonwebtoken';
import { secretKey } from './secret-key.js';

export const SESSION_COOKIE = 'quorum_session';
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export interface SessionClaims {
  sub: string;
  tv: number;
}

export function signSession(userId: string, tokenVersion: number, secret: string): string {
  return jwt.sign({ tv: tokenVersion }, secretKey(secret), {
    subject: userId,
    expiresIn: SESSION_TTL_SECONDS,
    algorithm: 'HS256',
  });
}

/** Tokens already verified, with their claims and expiry (ms): a signature is checked once per process. */
const verified = new Map<string, { claims: SessionClaims; expiresAt: number; secret: string }>();
const VERIFIED_LIMIT = 10_000;

/**
 * The claims of a valid token, or null for anything else (expired, forged,
 * malformed). A token this process has verified before is not verified again
 * until it expires (the same string under the same secret: the signature
 * cannot have changed); checking it took as long as the rest of
 * authenticating a request.
 */
export function verifySession(token: string, secret: string): SessionClaims | null {
  const known = verified.get(token);
  if (known && known.secret === secret && known.expiresAt > Date.now()) return known.claims;
  try {
    const claims = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
    if (
      typeof claims === 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.tv !== 'number'
    )
      return null;
    const result = { sub: claims.sub, tv: claims.tv };
    if (typeof claims.exp === 'number') {
      verified.delete(token);
      verified.set(token, { claims: result, expiresAt: claims.exp * 1000, secret });
      if (verified.size > VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
    }
    return result;
  } catch {
    return null;
  }
}
