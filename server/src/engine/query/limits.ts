/**
 * Guards that keep one client's query from taking the engine down for everyone:
 * documents over 16 MiB, regular expressions whose backtracking can run for
 * ever (nested quantifiers such as `(a+)+`), and `$range` expressions that would
 * build arrays larger than memory. JavaScript cannot interrupt a running regex
 * or allocation, so these are refused before they run.
 */
import { calculateObjectSize, type Document } from 'bson';
import { EngineError, errors } from '../errors.js';

export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
const MAX_RANGE_ELEMENTS = 5_000_000;

export function assertDocumentSize(doc: Document): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_DOCUMENT_BYTES) {
    throw new EngineError(
      10334,
      'BSONObjectTooLarge',
      `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`,
    );
  }
}

/** True when a quantified group itself contains a quantifier: the shape of catastrophic backtracking. */
export function hasNestedQuantifier(source: string): boolean {
  const groups: boolean[] = [false];
  const isQuantifier = (i: number) =>
    source[i] === '*' ||
    source[i] === '+' ||
    (source[i] === '{' && /^\{\d+,\d*\}/.test(source.slice(i)));
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '(') {
      groups.push(false);
    } else if (c === ')') {
      const inner = groups.length > 1 ? groups.pop()! : false;
      if (inner && isQuantifier(i + 1)) return true;
      if (inner) groups[groups.length - 1] = true;
    } else if (isQuantifier(i)) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}

function checkPattern(pattern: unknown): void {
  const source =
    pattern instanceof RegExp ? pattern.source : typeof pattern === 'string' ? pattern : null;
  if (source !== null && hasNestedQuantifier(source)) {
    throw errors.badValue(
      `regular expression '${source}' has nested quantifiers and could run for ever; rewrite it without them`,
    );
  }
}

function checkRange(args: unknown): void {
  if (!Array.isArray(args)) return;
  const [start, end, step = 1] = args as unknown[];
  if (
    typeof start !== 'number' ||
    typeof end !== 'number' ||
    typeof step !== 'number' ||
    step === 0
  )
    return;
  const count = Math.ceil((end - start) / step);
  if (count > MAX_RANGE_ELEMENTS) {
    throw new EngineError(
      20,
      'ExceededMemoryLimit',
      `$range would produce ${count} elements; the limit is ${MAX_RANGE_ELEMENTS}`,
    );
  }
}

/** The operators that would run server-side JavaScript, which the engine does not. */
const SCRIPT_OPERATORS = new Set(['$where', '$function', '$accumulator']);

/**
 * Walks a filter, update or pipeline and refuses what could exhaust the
 * process, and the server-side JavaScript operators (with a clear error rather
 * than whatever the evaluator would say about a string that is not a function).
 */
export function assertBounded(value: unknown, depth = 0, literal = false): void {
  if (depth > 200 || value === null || typeof value !== 'object') return;
  if (value instanceof RegExp) return checkPattern(value);
  if (Array.isArray(value)) {
    for (const item of value) assertBounded(item, depth + 1, literal);
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    if ((value as { _bsontype?: string })._bsontype === 'BSONRegExp')
      checkPattern((value as { pattern: string }).pattern);
    return;
  }
  for (const [key, inner] of Object.entries(value as Document)) {
    if (key === '$regex' || key === 'regex') checkPattern(inner);
    if (key === '$range') checkRange(inner);
    if (!literal && SCRIPT_OPERATORS.has(key))
      throw errors.badValue(
        `${key} is not supported by the embedded engine: it runs no server-side JavaScript`,
      );
    assertBounded(inner, depth + 1, literal || key === '$literal');
  }
}
