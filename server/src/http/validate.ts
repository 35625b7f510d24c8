/**
 * Input validation: zod schemas per route, and a guard that refuses any key
 * starting with `$` anywhere in the input, so query operators can never be
 * smuggled into a database query (P17).
 */
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/**
 * How deeply input may nest. Quorum's bodies are a few levels deep; the limit
 * keeps a body nested tens of thousands of levels (which JSON.parse accepts)
 * from costing anything beyond a 400.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * Throws for the first `$`-prefixed key (or key containing `$` in a query
 * string) found, and for input nested more than {@link MAX_INPUT_DEPTH} levels.
 * The walk uses its own stack, not recursion, so no input can overflow the
 * call stack.
 */
export function assertNoOperators(value: unknown, path: string[] = []): void {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.path.length - path.length >= MAX_INPUT_DEPTH) {
      throw ValidationError(
        next.path.join('.') || 'body',
        `Input is nested more than ${MAX_INPUT_DEPTH} levels deep`,
      );
    }
    const isArray = Array.isArray(next.value);
    const entries = isArray
      ? (next.value as unknown[]).map((item, i) => [String(i), item] as const)
      : Object.entries(next.value);
    for (const [key] of entries) {
      if (!isArray && (key.startsWith('$') || key.includes('[$'))) {
        throw ValidationError(
          [...next.path, key].join('.'),
          'Keys starting with $ are not allowed',
        );
      }
    }
    // Pushed in reverse, so children are walked in their order.
    for (let i = entries.length - 1; i >= 0; i--) {
      stack.push({ value: entries[i][1], path: [...next.path, entries[i][0]] });
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
