/**
 * The access log: the one place raw IP addresses are kept (P4). One file per
 * UTC day (`access-YYYY-MM-DD.log`) in the log directory, appended to as
 * responses finish; the retention job (jobs/access-log-retention.ts) deletes
 * the days past their retention. The database only ever sees masked
 * addresses (http/mask-ip.ts).
 *
 * A line records what maintenance and security need and nothing else: time,
 * address, method, path (never the query string, which can carry emailed
 * tokens), status, duration and response size.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';

/** `access-2026-11-01.log`: the day's file name; the retention job parses it back. */
export const ACCESS_LOG_PATTERN = /^access-(\d{4}-\d{2}-\d{2})\.log$/;

export function accessLogFileName(day: Date): string {
  return `access-${day.toISOString().slice(0, 10)}.log`;
}

/** An open access log; `middleware` records each request, `close` flushes on shutdown. */
export interface AccessLog {
  readonly dir: string;
  middleware: RequestHandler;
  /** Appends one line (exposed for tests and for callers outside Express). */
  write(line: string, at?: Date): void;
  close(): Promise<void>;
}

/** Spaces and control characters would break the one-line-per-request format. */
function field(value: string): string {
  return value.replace(/[\s\p{Cc}"]/gu, (c) => encodeURIComponent(c)) || '-';
}

export function openAccessLog(dir: string): AccessLog {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let day: string | null = null;
  let stream: WriteStream | null = null;

  const streamFor = (at: Date): WriteStream => {
    const name = accessLogFileName(at);
    if (stream && day === name) return stream;
    stream?.end();
    day = name;
    stream = createWriteStream(path.join(dir, name), { flags: 'a', mode: 0o600 });
    // A failing disk must not take the server down; the request itself has been answered.
    stream.on('error', () => undefined);
    return stream;
  };

  const write = (line: string, at = new Date()) => {
    streamFor(at).write(`${line}\n`);
  };

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const at = new Date();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const pathOnly = req.originalUrl.split('?')[0] ?? '/';
      const size = res.getHeader('content-length');
      write(
        [
          at.toISOString(),
          field(req.ip ?? '-'),
          field(req.method),
          field(pathOnly),
          res.statusCode,
          ms.toFixed(1),
          typeof size === 'string' || typeof size === 'number' ? size : '-',
        ].join(' '),
        at,
      );
    });
    next();
  };

  return {
    dir,
    middleware,
    write,
    close: () =>
      new Promise<void>((resolve) => {
        const open = stream;
        stream = null;
        day = null;
        if (!open) return resolve();
        open.end(() => resolve());
      }),
  };
}
