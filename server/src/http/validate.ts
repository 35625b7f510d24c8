/**
 * Input validation: zod schemas per route, and a guard that refuses any key
 * starting with `$` anywhere in the input, so query operators can never be
 * smuggled into a database query (P17).
 */
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Throws for the first `$`-prefixed key (or key containing `$` in a query string) found. */
export function assertNoOperators(value: unknown, path: string[] = []): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoOperators(item, [...path, String(i)]));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('[$')) {
        throw ValidationError([...path, key].join('.'), 'Keys starting with $ are not allowed');
      }
      assertNoOperators(inner, [...path, key]);
    }
  }
}

/** Middleware: rejects operator keys in the body and the query string of every request. */
export function rejectOperators(req: Request, _res: Response, next: NextFunction): void {
  assertNoOperators(req.body);
  assertNoOperators(req.query);
  next();
}

/** Parses input with a schema; the first problem becomes a 400 naming its field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw ValidationError(field, issue.message);
}
