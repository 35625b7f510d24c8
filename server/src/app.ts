import express, { type Express, type RequestHandler } from 'express';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { apiNotFound, errorHandler } from './middleware/errorHandler.js';
import { healthRouter, type HealthProbe } from './routes/health/router.js';
import { testingRouter } from './routes/testing/router.js';
import { apiRoutes } from './routes/index.js';
import { authenticate } from './auth/authenticate.js';
import { csrfProtection } from './auth/csrf.js';
import { rejectOperators } from './http/validate.js';
import { jsonBody } from './http/json-body.js';
import { noStore } from './http/cache-control.js';
import type { Mailer } from './mail/mailer.js';
import { securityHeaders } from './http/security-headers.js';
import type { AccessLog } from './http/access-log.js';
import { supportAccess } from './routes/support/access.js';

/** Largest JSON body the API accepts; comments and proposals fit well within it. */
export const JSON_BODY_LIMIT = '256kb';

/**
 * What the Express app is built from. Everything the app touches comes in
 * here, so tests can build it with exactly what they need (a health probe
 * that reports a chosen state, a silent logger) without starting a database.
 */
export interface AppDeps {
  config: Pick<Config, 'nodeEnv' | 'trustProxy' | 'publicUrl' | 'jwtSecret'> &
    Partial<Pick<Config, 'webClient' | 'smtp' | 'mongodbUri' | 'policyFile' | 'policyVersion'>>;
  health: HealthProbe;
  logger: Logger;
  mailer: Mailer;
  /** The web client (built files or Vite in development), served after the API. */
  web?: RequestHandler;
  /** Where raw request addresses go (P4); absent: no access log. */
  accessLog?: AccessLog;
}

/**
 * Builds the HTTP application: `/api` routes, a JSON 404 for unknown API
 * paths, and one error handler that gives every failure a stable error id.
 * It does not listen; the composition root owns the server.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  if (deps.accessLog) app.use(deps.accessLog.middleware);
  app.use(
    securityHeaders({
      publicUrl: deps.config.publicUrl,
      viteDevServer: deps.config.webClient === 'vite',
    }),
  );

  const api = express.Router();
  api.use(noStore);
  api.use(jsonBody(JSON_BODY_LIMIT));
  api.use('/health', healthRouter(deps.health, deps.logger));
  if (deps.config.nodeEnv === 'test') api.use('/test', testingRouter());
  api.use(rejectOperators);
  api.use(authenticate(deps.config.jwtSecret));
  api.use(csrfProtection(deps.config.publicUrl));
  api.use(supportAccess());
  api.use(apiRoutes(deps));
  api.use(apiNotFound);

  app.use('/api', api);
  if (deps.web) app.use(deps.web);
  app.use(errorHandler(deps.logger));
  return app;
}
