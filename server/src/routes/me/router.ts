import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { presentSelf } from '../../presenters/user.js';

/** `GET /api/me`: the signed-in person's own profile (401 for visitors). */
export function meRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    requireUser(req);
    res.json({ user: presentSelf(req.viewer.user) });
  });
  return router;
}
