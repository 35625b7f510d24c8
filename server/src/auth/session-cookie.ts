/**
 * The session cookie: the only cookie Quorum sets (P1, P13). httpOnly so
 * scripts cannot read it, SameSite=Lax so other sites cannot make the browser
 * send it with their requests (CSRF protection adds the header check on top),
 * Secure whenever Quorum is served over https (P10), and as long-lived as the
 * JWT it carries.
 */
import type { Response } from 'express';
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from './session-token.js';

export interface SessionCookieOptions {
  /** Add `Secure`: true when the public URL is https. */
  secure: boolean;
}

/** Whether cookies for this public URL must be `Secure`. */
export function cookieOptionsFor(publicUrl: string): SessionCookieOptions {
  return { secure: new URL(publicUrl).protocol === 'https:' };
}

function build(value: string, maxAge: number, options: SessionCookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The `Set-Cookie` value carrying a session token (a JWT: base64url and dots, no escaping needed). */
export function sessionCookie(token: string, options: SessionCookieOptions): string {
  return build(token, SESSION_TTL_SECONDS, options);
}

/** The `Set-Cookie` value that makes the browser forget the session. */
export function clearedSessionCookie(options: SessionCookieOptions): string {
  return build('', 0, options);
}

/** Signs this client in: sets the session cookie on the response. */
export function setSessionCookie(res: Response, token: string, publicUrl: string): void {
  res.setHeader('Set-Cookie', sessionCookie(token, cookieOptionsFor(publicUrl)));
}

/** Signs this client out: expires the session cookie. */
export function clearSessionCookie(res: Response, publicUrl: string): void {
  res.setHeader('Set-Cookie', clearedSessionCookie(cookieOptionsFor(publicUrl)));
}
