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

/** The claims of a valid token, or null for anything else (expired, forged, malformed). */
export function verifySession(token: string, secret: string): SessionClaims | null {
  try {
    const claims = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'] });
    if (
      typeof claims === 'string' ||
      typeof claims.sub !== 'string' ||
      typeof claims.tv !== 'number'
    )
      return null;
    return { sub: claims.sub, tv: claims.tv };
  } catch {
    return null;
  }
}
