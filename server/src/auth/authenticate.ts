/**
 * Resolves the viewer of every API request from the session cookie or a Bearer
 * token. A token whose version no longer matches (signed out everywhere,
 * password changed) or whose user is deactivated or deleted counts as no token.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AuthenticationError } from '../errors.js';
import { SESSION_COOKIE, verifySession } from './session-token.js';
import { VISITOR, viewerOfHeld, type Viewer } from './viewer.js';
import { heldViewers, readViewer } from './viewers-held.js';
import { heldRestrictions } from '../moderation/restrictions-held.js';

declare module 'express-serve-static-core' {
  interface Request {
    viewer: Viewer;
    /** How the viewer authenticated; CSRF protection applies to cookies only. */
    authVia: 'cookie' | 'bearer' | null;
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The token a request presents, and how. */
export function presentedToken(
  req: Pick<Request, 'headers'>,
): { token: string; via: 'cookie' | 'bearer' } | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), via: 'bearer' };
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/**
 * The viewer a token belongs to, or the visitor: from this process's held
 * copy of the person (auth/viewers-held.ts), which the change feed keeps true,
 * so a request reads nothing to learn who asks. Sockets pass `hold: false`:
 * they keep their viewer for as long as they are connected, and a thousand
 * watchers joining should not each leave a copy here.
 */
export async function viewerFromToken(
  token: string | null,
  secret: string,
  options: { hold?: boolean; writing?: boolean } = {},
): Promise<Viewer> {
  const claims = token ? verifySession(token, secret) : null;
  if (!claims || !/^[0-9a-f]{24}$/.test(claims.sub)) return VISITOR;
  // A write passes the restrictions' gate next: read them alongside the person, not after.
  if (options.writing) heldRestrictions.warm(claims.sub);
  const held = await (options.hold === false
    ? readViewer(claims.sub)
    : heldViewers.load(claims.sub));
  const user = held?.user;
  if (!user || user.tokenVersion !== claims.tv || user.deactivatedAt || user.deletedAt)
    return VISITOR;
  return viewerOfHeld(held);
}

/** Methods that never write. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(secret: string): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const presented = presentedToken(req);
    req.viewer = await viewerFromToken(presented?.token ?? null, secret, {
      writing: !READS.has(req.method),
    });
    req.authVia = req.viewer.user ? presented!.via : null;
    next();
  };
}

/** For routes that need a signed-in user; narrows `req.viewer.user`. */
export function requireUser(
  req: Request,
): asserts req is Request & { viewer: Viewer & { user: NonNullable<Viewer['user']> } } {
  if (!req.viewer.user) throw AuthenticationError();
}
