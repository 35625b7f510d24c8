/**
 * `let`: variables a command defines once and its filter (`$expr`), pipeline or
 * pipeline update reads as `$$name`.
 *
 * Each value is an expression evaluated once, before any document is read
 * (so `$$NOW` and arithmetic work, field paths have no document to read).
 * Names follow mongod's rule for user variables: a lowercase ASCII letter or a
 * non-ASCII character first, then letters, digits, `_` or non-ASCII.
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { isPlainObject } from './update.js';
import { evaluate } from './mingo-context.js';

function isNonAscii(char: string): boolean {
  return char.charCodeAt(0) > 0x7f;
}

/** Throws mongod's error (16866, 16867, 16868) for a name a user may not define. */
export function assertVariableName(name: string): void {
  if (name.length === 0)
    throw new EngineError(16866, 'Location16866', 'empty variable names are not allowed');
  const first = name[0];
  if (!((first >= 'a' && first <= 'z') || isNonAscii(first)))
    throw new EngineError(
      16867,
      'Location16867',
      `'${name}' starts with an invalid character for a user variable name`,
    );
  for (const char of name.slice(1)) {
    if (!/[A-Za-z0-9_]/.test(char) && !isNonAscii(char))
      throw new EngineError(
        16868,
        'Location16868',
        `'${name}' contains an invalid character for a variable name: '${char}'`,
      );
  }
}

/**
 * The evaluated variables of a command's `let` (undefined when it has none).
 * `CURRENT` and `ROOT` and other system names are refused like any invalid name.
 */
export function evaluateLet(raw: unknown): Document | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw))
    throw errors.typeMismatch(
      `BSON field 'let' is the wrong type '${Array.isArray(raw) ? 'array' : typeof raw}', expected type 'object'`,
    );
  const variables: Document = {};
  for (const [name, expr] of Object.entries(raw)) {
    assertVariableName(name);
    let value: unknown;
    try {
      value = evaluate(expr, {});
    } catch (err) {
      throw toVariableError(err);
    }
    variables[name] = value === undefined ? null : value;
  }
  return variables;
}

/** mingo's wording for an unknown `$$name`, as mongod's error 17276. */
export function toVariableError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  const match = /^Use of undefined variable: (.*)$/.exec(message);
  return match
    ? new EngineError(17276, 'Location17276', `Use of undefined variable: ${match[1]}`)
    : err;
}
