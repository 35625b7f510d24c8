/**
 * Query matching with mingo, after removing what mingo does not know
 * (`$comment`) and rejecting what MongoDB rejects (a filter that is not a document).
 */
import { Query } from 'mingo';
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { assertBounded } from './limits.js';
import { bsonRank, compareBson, getPathValues } from '../storage/bson-order.js';
import { ObjectId } from 'bson';

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return (
    type === 'string' ||
    type === 'number' ||
    type === 'boolean' ||
    value instanceof ObjectId ||
    value instanceof Date
  );
}

function sameScalar(a: unknown, b: unknown): boolean {
  return bsonRank(a) === bsonRank(b) && compareBson(a, b) === 0;
}

/**
 * The common case, `{ field: scalar, ... }`, matched directly: compiling a mingo
 * query costs far more than testing a document. Arrays match when an element is equal.
 */
function scalarEquality(filter: Document): Matcher | null {
  const entries = Object.entries(filter);
  if (entries.length > 8) return null;
  for (const [key, value] of entries) if (key.startsWith('$') || !isScalar(value)) return null;
  return (doc) =>
    entries.every(([path, value]) =>
      getPathValues(doc, path).some((found) =>
        Array.isArray(found)
          ? found.some((item) => sameScalar(item, value))
          : sameScalar(found, value),
      ),
    );
}

export type Matcher = (doc: Document) => boolean;

const MATCH_ALL: Matcher = () => true;

export function compileFilter(filter: unknown): Matcher {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw errors.typeMismatch('filter must be an object');
  assertBounded(filter);
  const clean = { ...(filter as Document) };
  delete clean.$comment;
  if (Object.keys(clean).length === 0) return MATCH_ALL;
  const simple = scalarEquality(clean);
  if (simple) return simple;
  try {
    const query = new Query(clean);
    return (doc) => query.test(doc);
  } catch (err) {
    throw errors.badValue((err as Error).message);
  }
}
