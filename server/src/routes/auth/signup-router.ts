/**
 * `POST /api/auth/signup`: creating an account, limited per requesting address.
 * It answers 409 on `email` for an address that already has an account (see
 * `commands/accounts/sign-up.ts` for why that is acceptable here).
 */
import { Router } from 'express';
import { consume } from '../../auth/rate-limit.js';
import { signUp } from '../../commands/accounts/sign-up.js';
import { parse } from '../../http/validate.js';
import type { ApiDeps } from '../deps.js';
import { respondSignedIn, signUpLimits } from './respond.js';
import { signUpSchema } from './schema.js';

/** The sign-up route, mounted by `authRouter`. */
export function signUpRouter(deps: ApiDeps): Router {
  const router = Router();

  /** Creates an account, signs it in (201 with cookie and token) and emails a verification link. */
  router.post('/signup', async (req, res) => {
    const input = parse(signUpSchema, req.body);
    await consume(signUpLimits(deps, req.ip));
    respondSignedIn(res, await signUp({ ...input, ip: req.ip }, deps), deps, 201);
  });

  return router;
}
