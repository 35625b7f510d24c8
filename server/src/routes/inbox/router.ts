/**
 * `GET /api/inbox`: the discussions the signed-in person takes part in, newest
 * activity first, each with its unread count (last sequence minus last read).
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { listInbox } from '../../commands/discussions/list.js';
import { presentDiscussionsFor } from '../../commands/discussions/view.js';
import { parse } from '../../http/validate.js';
import { inboxPageSchema } from './schema.js';

export function inboxRouter(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    requireUser(req);
    const query = parse(inboxPageSchema, req.query);
    const { rows, nextCursor } = await listInbox(req.viewer, query);
    res.json({ items: await presentDiscussionsFor(req.viewer, rows), nextCursor });
  });
  return router;
}
