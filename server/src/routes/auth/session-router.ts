import { Router } from 'express';
import { presentSelf } from '../../presenters/user.js';

/**
 * `GET /api/session`: who is signed in, the web client's first question on
 * every page. "Nobody" is an answer here, not an error: 200 with
 * `{ user: null }`, so a signed-out page load logs no failed request. API
 * clients keep `GET /api/me`, which answers 401 to visitors.
 */
export function sessionRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { user } = req.viewer;
    res.json({ user: user ? presentSelf(user) : null });
  });
  return router;
}
