import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  InternalError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  isHttpError,
  type HttpError,
} from '../errors.js';
import type { Logger } from '../logger.js';

/** Terminates `/api/*` requests that no route handled with a JSON 404. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(NotFoundError(`No API route for ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** Errors raised by body-parser carry a `type`; map the ones a client can cause. */
function fromBodyParser(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  if (error.type === 'entity.too.large') return PayloadTooLargeError();
  if (error.type === 'entity.parse.failed')
    return InvalidRequestError('Request body is not valid JSON');
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
    return InvalidRequestError('Unsupported request body encoding');
  }
  return undefined;
}

/**
 * Turns anything thrown in a route into `{ error: { id, message } }`. Known
 * HttpErrors pass through; everything else is logged and answered as
 * `internal_error` with a generic message, so internal text never reaches a
 * client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let httpError = isHttpError(error) ? error : fromBodyParser(error);
    if (httpError === undefined) {
      logger.error(`unhandled error in ${req.method} ${req.originalUrl}`, error);
      httpError = InternalError();
    }
    res.status(httpError.status).json(httpError.toBody());
  };
}
