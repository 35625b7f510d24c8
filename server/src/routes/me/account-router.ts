/**
 * `/api/me/deactivate` and `/api/me/delete`: a person ending their own
 * account, confirmed with their password (P8, P9). Both end every session at
 * once (this browser's cookie is cleared too) and are audited.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { clearSessionCookie } from '../../auth/session-cookie.js';
import { confirmPassword } from '../../commands/accounts/confirm-password.js';
import { deactivateAccount } from '../../commands/accounts/deactivate.js';
import { deleteAccount } from '../../commands/accounts/delete-account.js';
import { parse } from '../../http/validate.js';
import type { ApiDeps } from '../deps.js';
import { retryAfterHeader } from '../auth/respond.js';
import { deactivateSchema, deleteAccountSchema } from './schema.js';

export function accountRouter(deps: ApiDeps): Router {
  const router = Router();

  /** Hides one's name everywhere, suspends memberships, stops email; reversible by signing in again. */
  router.post('/deactivate', async (req, res) => {
    requireUser(req);
    const { password } = parse(deactivateSchema, req.body);
    const user = req.viewer.user;
    await confirmPassword(user, password, deps.config.jwtSecret);
    await deactivateAccount({ user, actorId: user._id, ip: req.ip });
    clearSessionCookie(res, deps.config.publicUrl);
    res.status(204).end();
  });

  /** Erases the profile for good; content stays as "Deleted account". */
  router.post('/delete', async (req, res) => {
    requireUser(req);
    const { password } = parse(deleteAccountSchema, req.body);
    const user = req.viewer.user;
    await confirmPassword(user, password, deps.config.jwtSecret);
    await deleteAccount({ user, secret: deps.config.jwtSecret });
    clearSessionCookie(res, deps.config.publicUrl);
    res.status(204).end();
  });

  router.use(retryAfterHeader);
  return router;
}
