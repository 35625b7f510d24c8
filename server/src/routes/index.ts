/**
 * Every API resource router, mounted under `/api`. Each router lives in its
 * own folder with its zod schema and its tests.
 */
import { Router } from 'express';
import type { ApiDeps } from './deps.js';
import { authRouter } from './auth/router.js';
import { meRouter } from './me/router.js';

export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/auth', authRouter(deps));
  router.use('/me', meRouter());
  return router;
}
