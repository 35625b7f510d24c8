/**
 * `GET /api/me/export`: the personal data export (P2), a JSON download
 * streamed as it is read, so it starts at once and a large account does not
 * exhaust the server's memory. Once the first byte is sent a failure can no
 * longer become an error answer: the connection is cut instead, so a
 * truncated file is never mistaken for a complete one.
 */
import { once } from 'node:events';
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { exportPersonalData } from '../../commands/accounts/export-data.js';
import type { ApiDeps } from '../deps.js';

export function exportRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/export', async (req, res) => {
    requireUser(req);
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="quorum-personal-data-${day}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await exportPersonalData(req.viewer.user, async (chunk) => {
        if (res.destroyed) throw new Error('export: the client went away');
        if (!res.write(chunk)) await once(res, 'drain');
      });
      res.end();
    } catch (error) {
      if (!res.destroyed) deps.logger.error('personal data export failed', error);
      res.destroy();
    }
  });
  return router;
}
