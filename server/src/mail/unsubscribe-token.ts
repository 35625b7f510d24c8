/**
 * Unsubscribe tokens: a JWT signed with the app's secret naming one person and
 * one kind of email, with its own audience, so it is no session token (it
 * carries no token version, which sessions require) and a session token is no
 * unsubscribe token. It does not expire: a link in an old email keeps working.
 * It only ever switches one kind of email off, so holding it grants nothing
 * else; it reveals nothing either (no address, no name).
 */
import jwt from 'jsonwebtoken';
import { secretKey } from '../auth/secret-key.js';
import { UNSUBSCRIBE_KINDS, type UnsubscribeKind } from '../../../shared/email.js';
import { appUrl, unsubscribePath } from '../../../shared/routes.js';

const AUDIENCE = 'quorum:unsubscribe';

export interface UnsubscribeClaims {
  userId: string;
  kind: UnsubscribeKind;
}

export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  return jwt.sign({ k: claims.kind }, secretKey(secret), {
    subject: claims.userId,
    audience: AUDIENCE,
    algorithm: 'HS256',
    noTimestamp: true,
  });
}

/** The claims of a valid token, or null for anything else. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaims | null {
  try {
    const claims = jwt.verify(token, secretKey(secret), {
      algorithms: ['HS256'],
      audience: AUDIENCE,
    });
    if (typeof claims === 'string' || typeof claims.sub !== 'string') return null;
    const kind = (claims as { k?: unknown }).k;
    if (!/^[0-9a-f]{24}$/.test(claims.sub)) return null;
    if (!UNSUBSCRIBE_KINDS.includes(kind as UnsubscribeKind)) return null;
    return { userId: claims.sub, kind: kind as UnsubscribeKind };
  } catch {
    return null;
  }
}

/** The one-click endpoint (RFC 8058): List-Unsubscribe points here and mail providers POST to it. */
export const unsubscribeApiUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/api/unsubscribe/${token}`;

/** The page of the web client the link in the email body opens; it shows what stops and POSTs. */
export const unsubscribePageUrl = (publicUrl: string, token: string) =>
  appUrl(publicUrl, unsubscribePath(token));
