/**
 * Query matching with mingo, after removing what mingo does not know
 * (`$comment`) and rejecting what MongoDB rejects (a filter that is not a document).
 * Two shapes skip mingo, because they are common and mingo is slow at them:
 * plain scalar equality, and set operators over scalars (set-operators.ts),
 * whose list becomes a set once per query rather than once per document.
 */
import type { Document } from 'bson';
import { errors, toEngineError } from '../errors.js';
import { assertBounded } from './limits.js';
import { checkFilter } from './filter-check.js';
import { bsonRank, compareBson, getPathValues } from '../storage/bson-order.js';
import { ObjectId } from 'bson';
import { compileSetCondition, isScalarSetCondition } from './set-operators.js';
import { makeQuery, type EvalOptions } from './mingo-context.js';
import { toVariableError } from './let-variables.js';
import { assertCollationApplies } from './uncollated.js';

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

function isBranchList(value: unknown): value is Document[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((b) => typeof b === 'object' && b !== null && !Array.isArray(b))
  );
}

/**
 * Splits a filter's top level (a conjunction) into parts compiled apart: set
 * conditions over scalars, `$and` / `$or` branches (each compiled the same
 * way), and the rest, left to mingo. Null when nothing can be split off.
 */
function splitConjunction(clean: Document, options: EvalOptions): Matcher | null {
  const parts: Matcher[] = [];
  const rest: Document = {};
  for (const [key, cond] of Object.entries(clean)) {
    if ((key === '$and' || key === '$or') && isBranchList(cond)) {
      const branches = cond.map((branch) => compile(branch, options));
      parts.push(
        key === '$and'
          ? (doc) => branches.every((m) => m(doc))
          : (doc) => branches.some((m) => m(doc)),
      );
    } else if (!key.startsWith('$') && isScalarSetCondition(cond)) {
      parts.push(compileSetCondition(key, cond));
    } else rest[key] = cond;
  }
  if (parts.length === 0) return null;
  if (Object.keys(rest).length > 0) parts.push(withMingo(rest, options));
  return parts.length === 1 ? parts[0] : (doc) => parts.every((m) => m(doc));
}

function withMingo(filter: Document, options: EvalOptions): Matcher {
  return scalarEquality(filter) ?? mingoMatcher(filter, options);
}

/** mingo's matcher; with a collation or variables, the evaluation context that carries them. */
function mingoMatcher(filter: Document, options: EvalOptions): Matcher {
  assertCollationApplies(filter, options.collation);
  try {
    const query = makeQuery(filter, options);
    return (doc) => {
      try {
        return query.test(doc);
      } catch (err) {
        throw toVariableError(err);
      }
    };
  } catch (err) {
    throw toEngineError(err);
  }
}

function compile(clean: Document, options: EvalOptions): Matcher {
  if (Object.keys(clean).length === 0) return MATCH_ALL;
  // Under a collation the fast paths (binary comparisons) do not apply.
  if (options.collation) return mingoMatcher(clean, options);
  return scalarEquality(clean) ?? splitConjunction(clean, options) ?? withMingo(clean, options);
}

/** A filter's matcher; `options` brings the collation and the `let` variables its `$expr` may read. */
export function compileFilter(filter: unknown, options: EvalOptions = {}): Matcher {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw errors.typeMismatch('filter must be an object');
  assertBounded(filter);
  checkFilter(filter);
  const clean = { ...(filter as Document) };
  delete clean.$comment;
  return compile(clean, options);
}
