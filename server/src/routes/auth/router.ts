/**
 * `/api/auth`: signing in and out. Sign-up, password and emailed-link routes
 * live in their own routers, mounted here. The session cookie is the only cookie
 * Quorum sets; every sign-in also returns the token for API clients, which
 * send it as a Bearer token instead.
 *
 * Cross-site requests: these routes only parse JSON, which a cross-site form
 * cannot send and a cross-site script cannot send without a CORS preflight, so
 * nobody can sign a browser into another account (login CSRF); signed-in
 * cookie requests also need the CSRF header (`auth/csrf.ts`).
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { clearSessionCookie } from '../../auth/session-cookie.js';
import { signIn } from '../../commands/accounts/sign-in.js';
import { signOutEverywhere } from '../../commands/accounts/sign-out-everywhere.js';
import { parse } from '../../http/validate.js';
import type { ApiDeps } from '../deps.js';
import { emailRouter } from './email-router.js';
import { passwordRouter } from './password-router.js';
import { reactivateRouter } from './reactivate-router.js';
import { respondSignedIn, retryAfterHeader } from './respond.js';
import { signInSchema } from './schema.js';
import { signUpRouter } from './signup-router.js';

/** The `/api/auth` router, with its sub-routers and the `Retry-After` header on 429s. */
export function authRouter(deps: ApiDeps): Router {
  const router = Router();

  /**
   * Password sign-in: 401 `invalid_credentials` for every kind of refusal, 429 when limited;
   * the right password of a deactivated account answers 403 `account_deactivated`.
   */
  router.post('/signin', async (req, res) => {
    const input = parse(signInSchema, req.body);
    respondSignedIn(res, await signIn({ ...input, ip: req.ip }, deps), deps);
  });

  /** Forgets the session in this browser. Other sessions and Bearer tokens stay valid. */
  router.post('/signout', (_req, res) => {
    clearSessionCookie(res, deps.config.publicUrl);
    res.status(204).end();
  });

  /** Ends every session of the account, this one included. */
  router.post('/signout-everywhere', async (req, res) => {
    requireUser(req);
    await signOutEverywhere({ userId: req.viewer.user._id });
    clearSessionCookie(res, deps.config.publicUrl);
    res.status(204).end();
  });

  router.use(signUpRouter(deps));
  router.use(passwordRouter(deps));
  router.use(emailRouter(deps));
  router.use(reactivateRouter(deps));
  router.use(retryAfterHeader);
  return router;
}
