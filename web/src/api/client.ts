/**
 * The one road from the web client to the HTTP API: same-origin fetch with the
 * session cookie and the CSRF header, JSON in and out, and failures turned
 * into `ApiError`s carrying the server's stable error id and offending field.
 */
import type { ErrorId } from '../../../shared/api.js';

export class ApiError extends Error {
  constructor(
    readonly id: ErrorId | 'network_error',
    message: string,
    readonly status: number,
    readonly field?: string,
    /** When a restriction ends or a retry is allowed (`muted`, `slow_mode`, `rate_limited`...). */
    readonly until?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type OutcomeListener = (answered: boolean) => void;
const outcomeListeners = new Set<OutcomeListener>();

/**
 * Hears whether each request got an answer from a working server (`true`, 4xx
 * included) or not (`false`: no answer at all, or a 5xx), so the page can
 * stop claiming to be live while requests fail. Returns the unsubscribe.
 */
export function onRequestOutcome(listener: OutcomeListener): () => void {
  outcomeListeners.add(listener);
  return () => outcomeListeners.delete(listener);
}

function report(answered: boolean): void {
  for (const listener of outcomeListeners) listener(answered);
}

export type Query = Record<string, string | number | boolean | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * Calls `/api<path>`; resolves with the JSON body (undefined for 202/204), rejects with ApiError.
 * `body` goes as JSON; `file` goes as it is (an upload), typed `application/octet-stream`: the
 * server reads the type from the content.
 */
export async function request<T>(
  method: Method,
  path: string,
  options: { body?: unknown; file?: Blob; query?: Query; signal?: AbortSignal } = {},
): Promise<T> {
  const contentType: Record<string, string> =
    options.file !== undefined
      ? { 'content-type': 'application/octet-stream' }
      : options.body === undefined
        ? {}
        : { 'content-type': 'application/json' };
  let response: Response;
  try {
    response = await fetch(withQuery(`/api${path}`, options.query), {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...contentType,
        ...(method === 'GET' ? {} : { 'x-quorum-csrf': '1' }),
      },
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    report(false);
    throw new ApiError('network_error', 'Quorum cannot be reached. Check your connection.', 0);
  }
  report(response.status < 500);
  if (response.status === 202 || response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (
      body as {
        error?: { id: ErrorId; message: string; field?: string; until?: string };
      } | null
    )?.error;
    throw new ApiError(
      error?.id ?? 'internal_error',
      error?.message ?? `The server answered ${response.status}.`,
      response.status,
      error?.field,
      error?.until,
    );
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** Sends a file's bytes as the body (`PUT`). */
  upload: <T>(path: string, file: Blob) => request<T>('PUT', path, { file }),
};

/** Page of a list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A message fit to show a person for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError && error.until)
    return `${error.message} (until ${new Date(error.until).toLocaleTimeString()})`;
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}
