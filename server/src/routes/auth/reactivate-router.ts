/**
 * `POST /api/auth/reactivate`: signing in again to a deactivated account,
 * confirmed by the person after sign-in answered `account_deactivated` (P8).
 */
import { Router } from 'express';
import { reactivateWithPassword } from '../../commands/accounts/reactivate.js';
import { parse } from '../../http/validate.js';
import type { ApiDeps } from '../deps.js';
import { respondSignedIn } from './respond.js';
import { signInSchema } from './schema.js';

export function reactivateRouter(deps: ApiDeps): Router {
  const router = Router();
  /** Same body, limits and refusals as `/signin`; restores the account and signs in. */
  router.post('/reactivate', async (req, res) => {
    const input = parse(signInSchema, req.body);
    respondSignedIn(res, await reactivateWithPassword({ ...input, ip: req.ip }, deps), deps);
  });
  return router;
}
