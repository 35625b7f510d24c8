import type { ErrorRequestHandler, RequestHandler } from 'express';
import { InternalError, NotFoundError, isHttpError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Terminates `/api/*` requests that no route handled with a JSON 404. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(NotFoundError(`No API route for ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/**
 * Turns anything thrown in a route into `{ error: { id, message } }`. Known
 * HttpErrors pass through (body-parser's failures become HttpErrors where the
 * body is parsed, http/json-body.ts); everything else is logged and answered as
 * `internal_error` with a generic message, so internal text never reaches a
 * client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (!isHttpError(error))
      logger.error(`unhandled error in ${req.method} ${req.originalUrl}`, error);
    const httpError = isHttpError(error) ? error : InternalError();
    res.status(httpError.status).json(httpError.toBody());
  };
}
