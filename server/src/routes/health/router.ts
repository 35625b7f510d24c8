import { Router } from 'express';
import type { HealthResponse } from '../../../../shared/api.js';
import type { DatabaseHealth } from '../../db/connect.js';
import { ServiceUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** Reports the database's state; production passes `() => databaseHealth(db)`. */
export type HealthProbe = () => Promise<DatabaseHealth>;

/**
 * `GET /api/health` for load balancers and operators: 200 when the database
 * answers a ping, 503 otherwise, so a process that lost its database is taken
 * out of rotation. It needs no authentication and reveals nothing private.
 */
export function healthRouter(probe: HealthProbe, logger: Logger): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    let database: DatabaseHealth;
    try {
      database = await probe();
    } catch (error) {
      logger.error('health probe failed', error);
      throw ServiceUnavailableError('Health could not be determined');
    }
    const body: HealthResponse = { status: database.reachable ? 'ok' : 'unavailable', database };
    res
      .status(database.reachable ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(body);
  });
  return router;
}
