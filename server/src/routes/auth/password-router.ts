/**
 * `/api/auth/password*`: changing one's password, and resetting a forgotten
 * one by email. The reset request answers 202 whatever the address, before
 * any account is looked up, so it reveals nothing.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { consume } from '../../auth/rate-limit.js';
import { changePassword } from '../../commands/accounts/change-password.js';
import { requestPasswordReset, resetPassword } from '../../commands/accounts/password-reset.js';
import { parse } from '../../http/validate.js';
import type { ApiDeps } from '../deps.js';
import { acceptThenRun, emailLinkLimits, respondSignedIn } from './respond.js';
import { changePasswordSchema, emailRequestSchema, resetPasswordSchema } from './schema.js';

/** Password change and reset routes, mounted by `authRouter`. */
export function passwordRouter(deps: ApiDeps): Router {
  const router = Router();

  /** Needs the current password; ends every other session and returns a fresh token. */
  router.post('/password', async (req, res) => {
    requireUser(req);
    const input = parse(changePasswordSchema, req.body);
    respondSignedIn(res, await changePassword({ user: req.viewer.user, ...input }, deps), deps);
  });

  /** Always 202; emails a one-hour link if an active account has the address. */
  router.post('/password-reset', async (req, res) => {
    const { email } = parse(emailRequestSchema, req.body);
    await consume(emailLinkLimits(deps, email, req.ip));
    await acceptThenRun(res, deps, 'password reset request', () =>
      requestPasswordReset({ email }, deps),
    );
  });

  /** Sets the new password with the emailed token (once), ends other sessions and signs in. */
  router.post('/password-reset/confirm', async (req, res) => {
    const input = parse(resetPasswordSchema, req.body);
    respondSignedIn(res, await resetPassword({ ...input, ip: req.ip }, deps), deps);
  });

  return router;
}
