/**
 * The stages and operators that do not honour a collation here, refused
 * under a non-simple one.
 *
 * Why: MongoDB compares strings with the collation in `$bucket`,
 * `$bucketAuto`, the `$addToSet` accumulator, the set expressions,
 * `$indexOfArray`, the sorts and partitions of `$setWindowFields`, `$densify`
 * and `$fill`, and `$graphLookup`'s matching; mingo compares them binary. Rather than answer with a
 * silently different result, a command whose collation is non-simple and
 * whose pipeline, filter or update uses one of them fails with 115
 * CommandNotSupported naming it. (`$sortByCount`, `$min`, `$max`, `$top`,
 * `$sortArray` and the like are applied: see mingo-context.ts.)
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';
import type { Collation } from './collation.js';

const UNCOLLATED = new Set([
  '$bucket',
  '$bucketAuto',
  '$addToSet',
  '$setUnion',
  '$setIntersection',
  '$setDifference',
  '$setEquals',
  '$setIsSubset',
  '$indexOfArray',
  // Sort and partition by mingo's own comparison and grouping, out of reach of the collated context.
  '$setWindowFields',
  '$densify',
  '$fill',
  '$graphLookup',
]);

/** The first uncollated stage or operator named anywhere in `spec` (a `$literal` is data, not read). */
function findUncollated(spec: unknown, depth = 0): string | undefined {
  if (spec === null || typeof spec !== 'object' || depth > 200) return undefined;
  if (Array.isArray(spec)) {
    for (const item of spec) {
      const found = findUncollated(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(spec) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const [key, value] of Object.entries(spec as Document)) {
    if (UNCOLLATED.has(key)) return key;
    if (key === '$literal') continue;
    const found = findUncollated(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Throws 115 CommandNotSupported when a non-simple collation meets an operator that would ignore it. */
export function assertCollationApplies(spec: unknown, collation: Collation | null | undefined) {
  if (!collation) return;
  const name = findUncollated(spec);
  if (name === undefined) return;
  throw new EngineError(
    115,
    'CommandNotSupported',
    `${name} does not support a non-simple collation in the embedded engine (it would compare strings binary); use the simple collation or remove ${name}`,
  );
}
