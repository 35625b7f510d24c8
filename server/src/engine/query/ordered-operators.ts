/**
 * The accumulators and expressions that pick values by their order, in
 * MongoDB's BSON order and under the command's collation.
 *
 * Why: mingo's `$min`, `$max`, `$minN`, `$maxN`, `$top`, `$bottom`, `$topN`,
 * `$bottomN` and `$sortArray` order values with its own comparison, binary
 * for strings; MongoDB orders them with the collation (at strength 2, `$max`
 * of 'a' and 'B' is 'B'; `numericOrdering` puts '10' after '9'). These
 * replace them in the operator contexts of mingo-context.ts, with the
 * engine's comparison (`compareCollated`, which is `compareBson` without a
 * collation). mingo's `$top` and `$bottom` also answer an array where
 * MongoDB answers the single value; these answer the value.
 *
 * Arguments mingo would refuse (a bad `n`, a non-array input) are handed to
 * mingo's own operator, so the error stays the one it gives.
 */
import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import { compareCollated, type Collation } from './collation.js';
import { sortDocs } from './sort.js';

type AccumulatorOp = (coll: unknown[], expr: unknown, options: Options) => unknown;
type ExpressionOp = (obj: unknown, expr: unknown, options: Options) => unknown;

const mingoAccumulator = accumulatorOperators as unknown as Record<string, AccumulatorOp>;
const mingoExpression = expressionOperators as unknown as Record<string, ExpressionOp>;
const push = mingoAccumulator.$push;

function isNil(value: unknown): boolean {
  return value === null || value === undefined;
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

function isObject(value: unknown): value is Document {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The group's key, against which `n` is evaluated (MongoDB lets `n` depend on it). */
function groupKey(options: Options): unknown {
  return (options as Options & { local?: { groupId?: unknown } }).local?.groupId;
}

/** Accumulators and expressions ordering values by `collation` (null: MongoDB's binary BSON order). */
export function orderedOperators(collation: Collation | null): {
  accumulator: Record<string, AccumulatorOp>;
  expression: Record<string, ExpressionOp>;
} {
  const compare = (a: unknown, b: unknown) => compareCollated(a, b, collation);
  const present = (coll: unknown[], expr: unknown, options: Options) =>
    (push(coll, expr, options) as unknown[]).filter((v) => !isNil(v));
  const extreme =
    (sign: number): AccumulatorOp =>
    (coll, expr, options) => {
      let best: unknown = null;
      for (const value of present(coll, expr, options))
        if (best === null || compare(value, best) * sign > 0) best = value;
      return best;
    };
  const extremes =
    (name: '$minN' | '$maxN', sign: number): AccumulatorOp =>
    (coll, expr, options) => {
      const spec = isObject(expr) ? expr : {};
      const n = evalExpr(groupKey(options), spec.n, options);
      if (!isCount(n)) return mingoAccumulator[name](coll, expr, options);
      const values = present(coll, spec.input, options);
      return values.sort((a, b) => compare(a, b) * sign).slice(0, n);
    };
  const ranked =
    (name: '$topN' | '$bottomN', single: boolean): AccumulatorOp =>
    (coll, expr, options) => {
      const spec = isObject(expr) ? expr : {};
      const n = single ? 1 : evalExpr(groupKey(options), spec.n, options);
      if (!isCount(n) || !isObject(spec.sortBy))
        return mingoAccumulator[name](coll, single ? { ...spec, n: 1 } : expr, options);
      const sorted = sortDocs([...(coll as Document[])], spec.sortBy, collation);
      const kept =
        name === '$topN' ? sorted.slice(0, n) : sorted.slice(Math.max(0, sorted.length - n));
      const output = push(kept, spec.output, options) as unknown[];
      return single ? output[0] : output;
    };
  /**
   * The array expressions `$minN`/`$maxN`: `input` is an array evaluated against the document.
   * mingo looks expressions up before accumulators, so in `$group` (a group's documents as `obj`)
   * these stand for the accumulators.
   */
  const arrayExtremes =
    (name: '$minN' | '$maxN', sign: number): ExpressionOp =>
    (obj, expr, options) => {
      if (Array.isArray(obj)) return extremes(name, sign)(obj, expr, options);
      if (!isObject(expr)) return mingoExpression[name](obj, expr, options);
      const { input, n } = evalExpr(obj, expr, options) as Document;
      if (isNil(input)) return null;
      if (!Array.isArray(input) || !isCount(n)) return mingoExpression[name](obj, expr, options);
      return input
        .filter((v) => !isNil(v))
        .sort((a, b) => compare(a, b) * sign)
        .slice(0, n);
    };
  const sortArray: ExpressionOp = (obj, expr, options) => {
    if (!isObject(expr)) return mingoExpression.$sortArray(obj, expr, options);
    const { input, sortBy } = evalExpr(obj, expr, options) as Document;
    if (isNil(input)) return null;
    if (!Array.isArray(input)) return mingoExpression.$sortArray(obj, expr, options);
    if (isObject(sortBy)) return sortDocs([...(input as Document[])], sortBy, collation);
    if (sortBy !== 1 && sortBy !== -1) return mingoExpression.$sortArray(obj, expr, options);
    return [...input].sort((a, b) => compare(a, b) * sortBy);
  };
  return {
    accumulator: {
      $min: extreme(-1),
      $max: extreme(1),
      $minN: extremes('$minN', 1),
      $maxN: extremes('$maxN', -1),
      $top: ranked('$topN', true),
      $bottom: ranked('$bottomN', true),
      $topN: ranked('$topN', false),
      $bottomN: ranked('$bottomN', false),
    },
    expression: {
      $minN: arrayExtremes('$minN', 1),
      $maxN: arrayExtremes('$maxN', -1),
      $sortArray: sortArray,
    },
  };
}
