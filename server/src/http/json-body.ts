/**
 * The API's JSON body parser: `express.json` with every failure it can raise
 * turned into an {@link HttpError} at the source, so a malformed, oversized or
 * badly compressed body is the client's 4xx with a stable id, never a 500.
 */
import express, { type RequestHandler } from 'express';
import { HttpError, InvalidRequestError, PayloadTooLargeError } from '../errors.js';

/** What body-parser (http-errors) attaches to the errors it raises. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/**
 * The client-facing error for a body-parser failure. Failures of the client's
 * own making (status 4xx) all become 4xx: a corrupt `Content-Encoding: br`,
 * gzip or deflate stream comes from zlib without a `type`, with status 400.
 * Anything else (5xx: the stream was misused by the server) stays a bug.
 */
export function bodyParserError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { type, status } = error as BodyParserError;
  switch (type) {
    case 'entity.too.large':
      return PayloadTooLargeError();
    case 'entity.parse.failed':
      return InvalidRequestError('Request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return InvalidRequestError('Unsupported request body encoding');
    case 'request.size.invalid':
      return InvalidRequestError('Request body length does not match Content-Length');
    case 'request.aborted':
      return InvalidRequestError('The request was aborted');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return InvalidRequestError('Request body could not be decoded (check Content-Encoding)');
  }
  return error;
}

/** `express.json({ limit })` whose errors are already {@link HttpError}s. */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      next(error === undefined || error instanceof HttpError ? error : bodyParserError(error));
    });
  };
}
