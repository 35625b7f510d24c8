import type { ApiErrorBody, ErrorId } from '../../shared/api.js';

/**
 * An error that is meant to reach the client: it carries a stable id and an
 * HTTP status, and its message is safe to show. Anything thrown that is not an
 * HttpError is treated as a bug and reported as `internal_error` without its
 * text, so internal details never leak to a client.
 */
export class HttpError extends Error {
  readonly id: ErrorId;
  readonly status: number;
  readonly field: string | undefined;
  /** When a restriction ends or a retry is allowed, for the ids that carry one. */
  until: Date | undefined;

  constructor(id: ErrorId, status: number, message: string, field?: string) {
    super(message);
    this.name = 'HttpError';
    this.id = id;
    this.status = status;
    this.field = field;
  }

  /** The JSON body sent for this error; the one place the error shape is built. */
  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { error: { id: this.id, message: this.message } };
    if (this.field !== undefined) body.error.field = this.field;
    if (this.until !== undefined) body.error.until = this.until.toISOString();
    return body;
  }
}

/** Narrows an unknown thrown value to an HttpError. */
export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}

/** The request cannot be understood at all (malformed JSON, wrong content type). */
export function InvalidRequestError(message = 'The request could not be understood'): HttpError {
  return new HttpError('invalid_request', 400, message);
}

/** One input field failed validation; `field` lets the client point at it. */
export function ValidationError(field: string, message: string): HttpError {
  return new HttpError('validation_error', 400, message, field);
}

/** No valid credentials were presented. */
export function AuthenticationError(message = 'Authentication required'): HttpError {
  return new HttpError('authentication_required', 401, message);
}

/** The actor is known but a policy forbids the action. */
export function AuthorizationError(message = 'You are not allowed to do that'): HttpError {
  return new HttpError('authorization_error', 403, message);
}

/**
 * The resource does not exist, or the actor may not know it exists: routes use
 * this rather than 403 when revealing existence would itself be a leak.
 */
export function NotFoundError(message = 'Resource not found'): HttpError {
  return new HttpError('not_found', 404, message);
}

/** The write collides with existing state (a duplicate, a stale version). */
export function ConflictError(message = 'The request conflicts with the current state'): HttpError {
  return new HttpError('conflict', 409, message);
}

/** The request body exceeds the configured limit. */
export function PayloadTooLargeError(message = 'Request body is too large'): HttpError {
  return new HttpError('payload_too_large', 413, message);
}

/** The caller has sent too many requests; retry later. */
export function RateLimitError(message = 'Too many requests, try again later'): HttpError {
  return new HttpError('rate_limited', 429, message);
}

/** An unexpected failure; the message is deliberately generic. */
export function InternalError(message = 'Something went wrong'): HttpError {
  return new HttpError('internal_error', 500, message);
}

/** A dependency (the database) is down or the server is shutting down. */
export function ServiceUnavailableError(message = 'Service temporarily unavailable'): HttpError {
  return new HttpError('service_unavailable', 503, message);
}

/** An error that says until when: the client shows it and may retry then. */
function withUntil(error: HttpError, until: Date | null): HttpError {
  if (until) error.until = until;
  return error;
}

/** 403: the person is muted in this group; `until` null means until a moderator lifts it. */
export function MutedError(until: Date | null): HttpError {
  return withUntil(
    new HttpError('muted', 403, 'You are muted in this group and cannot post for now'),
    until,
  );
}

/** 403: the account is suspended across the site. */
export function SuspendedError(until: Date | null): HttpError {
  return withUntil(new HttpError('suspended', 403, 'Your account is suspended'), until);
}

/** 403: banned from the group; joining, asking and invitations are refused until lifted. */
export function BannedError(): HttpError {
  return new HttpError('banned', 403, 'You are banned from this group');
}

/** 429: slow mode in this discussion; `until` is when the next comment is allowed. */
export function SlowModeError(until: Date): HttpError {
  return withUntil(
    new HttpError('slow_mode', 429, 'Slow mode: wait a little before commenting again'),
    until,
  );
}

/** 429 with a retry time: too many posts in a short time. */
export function PostingRateError(until: Date): HttpError {
  return withUntil(
    new HttpError('rate_limited', 429, 'You are posting very fast: wait a moment'),
    until,
  );
}
