/**
 * `/api/auth/verify-email*` and `/api/auth/signin-link*`: the flows that work
 * through a link sent by email. The web pages the links open POST the token
 * here, so a mail scanner following links cannot use a token up.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { consume } from '../../auth/rate-limit.js';
import { requestSignInLink, signInWithLink } from '../../commands/accounts/sign-in-link.js';
import { resendVerification, verifyEmail } from '../../commands/accounts/verify-email.js';
import { parse } from '../../http/validate.js';
import type { ApiDeps } from '../deps.js';
import { acceptThenRun, emailLinkLimits, respondSignedIn } from './respond.js';
import { emailRequestSchema, tokenOnlySchema } from './schema.js';

/** Email verification and sign-in-link routes, mounted by `authRouter`. */
export function emailRouter(deps: ApiDeps): Router {
  const router = Router();

  /** Marks the address verified; works signed in or not (the token names the account). */
  router.post('/verify-email', async (req, res) => {
    const { token } = parse(tokenOnlySchema, req.body);
    await verifyEmail({ token });
    res.json({ emailVerified: true });
  });

  /** Sends a new verification link to the signed-in person; 409 if already verified. */
  router.post('/verify-email/resend', async (req, res) => {
    requireUser(req);
    await resendVerification({ user: req.viewer.user }, deps);
    res.status(202).end();
  });

  /** Always 202; emails a 15-minute sign-in link if an active account has the address. */
  router.post('/signin-link', async (req, res) => {
    const { email } = parse(emailRequestSchema, req.body);
    await consume(emailLinkLimits(deps, email, req.ip));
    await acceptThenRun(res, deps, 'sign-in link request', () =>
      requestSignInLink({ email }, deps),
    );
  });

  /** Signs in with the emailed token (once). */
  router.post('/signin-link/confirm', async (req, res) => {
    const { token } = parse(tokenOnlySchema, req.body);
    respondSignedIn(res, await signInWithLink({ token, ip: req.ip }, deps), deps);
  });

  return router;
}
