/**
 * Cross-site request forgery protection for cookie-authenticated writes: the
 * request must carry the `X-Quorum-CSRF` header (which a cross-site form cannot
 * send and a cross-site script cannot send without a CORS preflight Quorum never
 * approves), and its Origin, when present, must be Quorum's own.
 */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../errors.js';

export const CSRF_HEADER = 'x-quorum-csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function csrfProtection(publicUrl: string) {
  const allowed = new URL(publicUrl).origin;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE.has(req.method) || req.authVia !== 'cookie') return next();
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== allowed && hostOf(origin) !== req.headers.host) {
      return next(new HttpError('csrf_rejected', 403, 'Cross-site request refused'));
    }
    if (req.headers[CSRF_HEADER] !== '1')
      return next(new HttpError('csrf_rejected', 403, `Missing ${CSRF_HEADER} header`));
    next();
  };
}
