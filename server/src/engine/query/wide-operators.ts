/**
 * Aggregation arithmetic over Decimal128 and Long values beyond 2^53 (which
 * stay BSON values in the engine: wide-numbers.ts). mingo's `$add`,
 * `$subtract`, `$multiply` and `$divide` refused them as non-numbers, and its
 * `$sum` and `$avg` skipped them silently (a `$sum` of Decimal128 prices was
 * 0). These work them out as MongoDB does: a Decimal128 anywhere gives a
 * Decimal128, integers with a Long stay exact (beyond 64 bits, a double),
 * and anything with a fraction is a double; `$divide` without a Decimal128
 * gives a double. The comparison expressions, `$toString` and `$abs` took
 * them for objects, and `$toDecimal` gave a JS number. Values that are all
 * JS numbers, and dates, go to mingo's own operators, with the arguments
 * already evaluated.
 */
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { compareBson } from '../storage/bson-order.js';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import {
  decimalArithmetic,
  fromBigInt,
  INT64_MAX,
  INT64_MIN,
  isDecimal,
  isWide,
  toBigInt,
  toNumber,
  type DecimalOperation,
} from './wide-numbers.js';

type AccumulatorOp = (coll: unknown[], expr: unknown, options: Options) => unknown;
type ExpressionOp = (obj: unknown, expr: unknown, options: Options) => unknown;

const mingoAccumulator = accumulatorOperators as unknown as Record<string, AccumulatorOp>;
const mingoExpression = expressionOperators as unknown as Record<string, ExpressionOp>;

const isNumeric = (value: unknown) => typeof value === 'number' || isWide(value);
const isNil = (value: unknown) => value === null || value === undefined;

/** `values` (numbers, at least one wide) folded with `op`, in MongoDB's result type. */
function fold(op: Exclude<DecimalOperation, 'divide'>, values: unknown[]): unknown {
  if (values.some(isDecimal))
    return values.slice(1).reduce((acc: unknown, v) => decimalArithmetic(op, acc, v), values[0]);
  const integers = values.map(toBigInt);
  if (integers.every((v) => v !== null)) {
    const exact = integers
      .slice(1)
      .reduce(
        (acc, v) => (op === 'add' ? acc + v : op === 'subtract' ? acc - v : acc * v),
        integers[0],
      );
    return exact < INT64_MIN || exact > INT64_MAX ? Number(exact) : fromBigInt(exact);
  }
  const numbers = values.map(toNumber);
  return numbers
    .slice(1)
    .reduce(
      (acc, v) => (op === 'add' ? acc + v : op === 'subtract' ? acc - v : acc * v),
      numbers[0],
    );
}

/**
 * An expression operator that folds its evaluated arguments where one is a
 * wide number, and otherwise hands them to mingo's (evaluated once: as a literal).
 */
function arithmetic(name: string, op: DecimalOperation): ExpressionOp {
  return (obj, expr, options) => {
    const args = evalExpr(obj, expr, options);
    // Not a list of arguments: mingo's own answer (its error), evaluating again.
    if (!Array.isArray(args)) return mingoExpression[name](obj, expr, options);
    const mingos = (values: unknown[]) => mingoExpression[name](obj, values.map(literal), options);
    if (!args.some(isWide) || args.some(isNil)) return mingos(args);
    // Dates and the like: mingo's rules, with the wide numbers as JS numbers.
    if (!args.every(isNumeric)) return mingos(args.map((v) => (isWide(v) ? toNumber(v) : v)));
    if (op !== 'divide') return fold(op, args);
    const [dividend, divisor] = args as unknown[];
    if (args.length !== 2 || toNumber(divisor) === 0) return mingos(args.map(toNumber));
    return isDecimal(dividend) || isDecimal(divisor)
      ? decimalArithmetic('divide', dividend, divisor)
      : toNumber(dividend) / toNumber(divisor);
  };
}

/**
 * A comparison expression where an argument is a wide number: in the engine's
 * BSON order (mingo compared them as objects, so `$gt: ['$price', 1]` was
 * false for a Decimal128 1.5); otherwise mingo's.
 */
function comparison(name: string, answer: (cmp: number) => boolean | number): ExpressionOp {
  return (obj, expr, options) => {
    const args = evalExpr(obj, expr, options);
    if (!Array.isArray(args) || args.length !== 2 || !args.some(isWide))
      return mingoExpression[name](obj, Array.isArray(args) ? args.map(literal) : expr, options);
    return answer(compareBson(args[0] ?? null, args[1] ?? null));
  };
}

/** A one-argument expression with its own answer for a wide number; otherwise mingo's. */
function unary(name: string, wide: (value: unknown) => unknown): ExpressionOp {
  return (obj, expr, options) => {
    const arg = evalExpr(obj, expr, options);
    const value = Array.isArray(arg) && arg.length === 1 ? arg[0] : arg;
    return isWide(value) ? wide(value) : mingoExpression[name](obj, literal(arg), options);
  };
}

const literal = (value: unknown) => ({ $literal: value });

const push = mingoAccumulator.$push;

const sum: AccumulatorOp = (coll, expr, options) => {
  if (typeof expr === 'number') return mingoAccumulator.$sum(coll, expr, options);
  const values = (push(coll, expr, options) as unknown[]).filter(isNumeric);
  if (!values.some(isWide)) return (values as number[]).reduce((acc, v) => acc + v, 0);
  return fold('add', values);
};

const avg: AccumulatorOp = (coll, expr, options) => {
  const values = (push(coll, expr, options) as unknown[]).filter(isNumeric);
  if (values.length === 0) return null;
  if (!values.some(isWide))
    return (values as number[]).reduce((acc, v) => acc + v, 0) / values.length;
  const total = fold('add', values);
  return isDecimal(total)
    ? decimalArithmetic('divide', total, values.length)
    : toNumber(total) / values.length;
};

/** The operators above, for mingo's operator contexts (mingo-context.ts). */
export const wideOperators = {
  accumulator: { $sum: sum, $avg: avg } as Record<string, AccumulatorOp>,
  expression: {
    $add: arithmetic('$add', 'add'),
    $subtract: arithmetic('$subtract', 'subtract'),
    $multiply: arithmetic('$multiply', 'multiply'),
    $divide: arithmetic('$divide', 'divide'),
    $eq: comparison('$eq', (cmp) => cmp === 0),
    $ne: comparison('$ne', (cmp) => cmp !== 0),
    $gt: comparison('$gt', (cmp) => cmp > 0),
    $gte: comparison('$gte', (cmp) => cmp >= 0),
    $lt: comparison('$lt', (cmp) => cmp < 0),
    $lte: comparison('$lte', (cmp) => cmp <= 0),
    $cmp: comparison('$cmp', (cmp) => cmp),
    $toString: unary('$toString', (value) => String(value)),
    $abs: unary('$abs', (value) => (toNumber(value) < 0 ? fold('multiply', [value, -1]) : value)),
    // A number becomes a Decimal128 (a fraction with 15 digits, as MongoDB converts a double).
    $toDecimal: (obj, expr, options) => {
      const arg = evalExpr(obj, expr, options);
      const value = Array.isArray(arg) && arg.length === 1 ? arg[0] : arg;
      if (isWide(value) || typeof value === 'number') return decimalArithmetic('add', value, 0);
      return mingoExpression.$toDecimal(obj, literal(arg), options);
    },
  } as Record<string, ExpressionOp>,
};
