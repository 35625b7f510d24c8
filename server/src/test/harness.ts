/**
 * Starts the whole app (the same composition root `npm start` uses) on port 0
 * with a fresh in-memory engine, and offers a small HTTP client for tests.
 * Models use mongoose's default connection, so one app runs at a time: start it
 * in `before` and close it in `after`.
 */
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { CSRF_HEADER } from '../auth/csrf.js';
import { signSession } from '../auth/session-token.js';
import type { UserDocument } from '../models/user.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  /** Bearer token, or a user (a token is signed for them). */
  as?: string | UserDocument | null;
  /** Raw cookie header instead of a Bearer token. */
  cookie?: string;
  headers?: Record<string, string>;
  /** Raw body: text (malformed or oversized input) or bytes (an upload, `application/octet-stream`). */
  raw?: string | Uint8Array;
}

export interface TestApp {
  server: RunningServer;
  url: string;
  jwtSecret: string;
  tokenFor(user: UserDocument): string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  get<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  patch<T = Record<string, unknown>>(
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  delete<T = Record<string, unknown>>(
    path: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startServer(config, silentLogger);
  const url = `http://127.0.0.1:${server.port}`;
  const tokenFor = (user: UserDocument) =>
    signSession(String(user._id), user.tokenVersion, config.jwtSecret);

  const request = async <T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as)
      headers.authorization = `Bearer ${typeof options.as === 'string' ? options.as : tokenFor(options.as)}`;
    if (options.cookie) {
      headers.cookie = options.cookie;
      headers[CSRF_HEADER] ??= '1';
    }
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body instanceof Uint8Array) headers['content-type'] ??= 'application/octet-stream';
    else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };

  return {
    server,
    url,
    jwtSecret: config.jwtSecret,
    tokenFor,
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
    delete: (path, options) => request('DELETE', path, options),
    close: () => server.graceful.shutdown('test finished').then(() => undefined),
  };
}
