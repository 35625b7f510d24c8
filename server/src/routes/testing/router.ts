import { Router } from 'express';
import { ValidationError } from '../../errors.js';

/** Upper bound for `/api/test/slow`, so a typo cannot hang a test run. */
const MAX_DELAY_MS = 30_000;

/**
 * Routes that exist only when NODE_ENV=test, for tests that drive a real
 * server process from outside (graceful shutdown needs a request that is
 * demonstrably in flight). Never mounted in development or production.
 *
 * `GET /api/test/slow?ms=N` sends its headers at once, so the client knows the
 * request has reached the server, then finishes the body after N ms.
 */
export function testingRouter(): Router {
  const router = Router();
  router.get('/slow', async (req, res) => {
    const ms = Number(req.query.ms ?? 1000);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) {
      throw ValidationError('ms', `must be an integer from 0 to ${MAX_DELAY_MS}`);
    }
    res.status(200).type('application/json');
    res.flushHeaders();
    await new Promise((resolve) => setTimeout(resolve, ms));
    res.end(JSON.stringify({ sleptMs: ms }));
  });
  return router;
}
