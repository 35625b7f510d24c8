/**
 * `$in`, `$nin` and `$all` over plain scalars, compiled once per query.
 *
 * Why: mingo builds a hash set of the operator's list for every document it
 * tests, so `updateMany({_id: {$in: ids}})` over N documents cost N x |ids|
 * (the presence heartbeat: N^2 in the number of watchers, stalls of over a
 * second at 3,000). Here the list becomes a set of index keys once, and each
 * document costs time linear in its own values, not in the list.
 *
 * Only lists of strings, finite numbers, booleans, ObjectIds and dates are
 * taken; anything else (null, regular expressions, arrays, documents, other
 * BSON types) keeps mingo's exact semantics. Values are compared by
 * `valueKey`, the key the indexes use, so 1 and 1.0 are equal as in MongoDB.
 */
import type { Document } from 'bson';
import { ObjectId } from 'bson';
import { getPathValues, isDocument, valueKey } from '../storage/bson-order.js';

export type Matcher = (doc: Document) => boolean;

type SetOperator = '$in' | '$nin' | '$all';
const SET_OPERATORS = new Set<string>(['$in', '$nin', '$all']);

function isSetScalar(value: unknown): boolean {
  const type = typeof value;
  return (
    type === 'string' ||
    type === 'boolean' ||
    (type === 'number' && Number.isFinite(value)) ||
    value instanceof ObjectId ||
    (value instanceof Date && !Number.isNaN(value.getTime()))
  );
}

/**
 * Whether a field's condition is only set operators over scalars, e.g.
 * `{ $in: [a, b] }` or `{ $nin: [...], $all: [...] }`.
 */
export function isScalarSetCondition(
  cond: unknown,
): cond is Partial<Record<SetOperator, unknown[]>> {
  if (!isDocument(cond)) return false;
  const entries = Object.entries(cond);
  return (
    entries.length > 0 &&
    entries.every(
      ([op, list]) => SET_OPERATORS.has(op) && Array.isArray(list) && list.every(isSetScalar),
    )
  );
}

/** The keys of what a document holds at `path`: each value, and each element of a leaf array. */
function keysAt(doc: Document, path: string, each: (key: string) => boolean | void): void {
  for (const found of getPathValues(doc, path)) {
    if (Array.isArray(found)) {
      for (const item of found) if (each(valueKey(item)) === true) return;
    } else if (each(valueKey(found)) === true) return;
  }
}

function inSet(path: string, keys: Set<string>): Matcher {
  return (doc) => {
    let hit = false;
    keysAt(doc, path, (key) => (hit = keys.has(key)));
    return hit;
  };
}

function allOf(path: string, keys: Set<string>): Matcher {
  // MongoDB: `$all: []` matches nothing.
  if (keys.size === 0) return () => false;
  return (doc) => {
    const seen = new Set<string>();
    keysAt(doc, path, (key) => {
      if (keys.has(key)) seen.add(key);
      return seen.size === keys.size;
    });
    return seen.size === keys.size;
  };
}

/** The matcher of one field's set condition (see {@link isScalarSetCondition}). */
export function compileSetCondition(
  path: string,
  cond: Partial<Record<SetOperator, unknown[]>>,
): Matcher {
  const parts: Matcher[] = [];
  for (const [op, list] of Object.entries(cond) as Array<[SetOperator, unknown[]]>) {
    const keys = new Set(list.map(valueKey));
    if (op === '$in') parts.push(inSet(path, keys));
    else if (op === '$nin') {
      const within = inSet(path, keys);
      parts.push((doc) => !within(doc));
    } else parts.push(allOf(path, keys));
  }
  return parts.length === 1 ? parts[0] : (doc) => parts.every((part) => part(doc));
}
