/**
 * Small pieces the auth routers share: the signed-in answer, the
 * answer-first handling of requests that must not reveal whether an account
 * exists, the request limits that are not part of a command, and the
 * `Retry-After` header on 429s.
 */
import type { ErrorRequestHandler, Response } from 'express';
import {
  RATE_RULES,
  RateLimitedError,
  addressSubject,
  rateLimitKey,
} from '../../auth/rate-limit.js';
import { setSessionCookie } from '../../auth/session-cookie.js';
import type { SignedIn } from '../../commands/accounts/session.js';
import { presentSelf } from '../../presenters/user.js';
import type { ApiDeps } from '../deps.js';

/** Sets the session cookie and answers `{ user, token }` (the token is for API clients). */
export function respondSignedIn(
  res: Response,
  signedIn: SignedIn,
  deps: ApiDeps,
  status = 200,
): void {
  setSessionCookie(res, signedIn.token, deps.config.publicUrl);
  res.status(status).json({ user: presentSelf(signedIn.user), token: signedIn.token });
}

/**
 * Answers 202 at once, then does the work. Whether an account exists decides
 * whether a token is stored and a mail is sent; doing that after the answer
 * keeps it out of the response's content and timing alike. Failures are logged.
 */
export async function acceptThenRun(
  res: Response,
  deps: ApiDeps,
  what: string,
  work: () => Promise<void>,
): Promise<void> {
  res.status(202).end();
  try {
    await work();
  } catch (error) {
    deps.logger.error(`${what} failed after it was accepted`, error);
  }
}

/** Sign-ups per requesting address. */
export function signUpLimits(deps: ApiDeps, ip: string | undefined) {
  return [rateLimitKey(deps.config.jwtSecret, RATE_RULES.signUpAddress, addressSubject(ip))];
}

/** Password-reset and sign-in-link requests: per target address (existing or not) and per requester. */
export function emailLinkLimits(deps: ApiDeps, email: string, ip: string | undefined) {
  return [
    rateLimitKey(deps.config.jwtSecret, RATE_RULES.emailLinkAccount, email),
    rateLimitKey(deps.config.jwtSecret, RATE_RULES.emailLinkAddress, addressSubject(ip)),
  ];
}

/** Adds `Retry-After` to rate-limit refusals, then lets the app's error handler answer. */
export const retryAfterHeader: ErrorRequestHandler = (error, _req, res, next) => {
  if (error instanceof RateLimitedError)
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
  next(error);
};
