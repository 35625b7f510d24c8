/**
 * `$inc`, `$mul`, `$min` and `$max` where a JS number cannot hold the operands or the result:
 * a Decimal128, or a Long beyond 2^53, on either side. mingo works such
 * values out as JS values, so `$inc` of a Decimal128 or of a large Long
 * changed nothing at all (and said so as "0 modified"), and a Long or a
 * Decimal128 added to a missing field was refused as non-numeric; `$max`
 * of 0.5 as a Decimal128 and 1 kept 0.5. Here they are worked out exactly,
 * as MongoDB does, and handed to `$set` (or dropped, where `$min`/`$max`
 * keeps the value; other types with `$min`/`$max` stay with mingo).
 *
 * The engine's numbers: int32 and double values arrive as JS numbers (the
 * driver's BSON decoding), and so do Longs that fit in 2^53; a Long beyond
 * that stays a Long, and a Decimal128 stays a Decimal128. So, as MongoDB:
 * - with a Decimal128 on either side, the result is a Decimal128 (34 digits,
 *   rounded half to even; a fractional double counts with 15 digits);
 * - integers with a large Long are added and multiplied exactly, and a
 *   result beyond 64 bits is refused (2 BadValue), never wrapped around; a
 *   result that fits in 2^53 is a JS number again, as on arrival;
 * - a large Long with a fractional double gives a double.
 * Positional paths (`a.$`, `a.$[]`, `a.$[id]`) stay with mingo, which cannot
 * do this: where one may reach such a value, the update is refused (115).
 */
import { Decimal128, type Long, type Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { bsonRank, compareBson, TypeRank } from '../storage/bson-order.js';
import { bsonType, valueAt } from './operand-types.js';
import {
  decimalArithmetic,
  fromBigInt,
  INT64_MAX,
  INT64_MIN,
  isWide,
  toBigInt,
  toNumber,
} from './wide-numbers.js';

type Operator = '$inc' | '$mul';
const OPERATORS = ['$inc', '$mul', '$min', '$max'] as const;

/**
 * Moves the `$inc`, `$mul`, `$min` and `$max` fields with a Decimal128 or a large Long on
 * either side to `$set`, with their results; returns `modifier` itself when
 * there are none. Types are checked before (operand-types.ts).
 */
export function settleWideArithmetic(doc: Document, modifier: Document): Document {
  let out: Document | null = null;
  for (const op of OPERATORS) {
    const fields = modifier[op] as Document | undefined;
    if (!fields || typeof fields !== 'object') continue;
    for (const [path, operand] of Object.entries(fields)) {
      if (path.split('.').some((part) => part.startsWith('$'))) {
        if (isWide(operand) || reachesWide(doc, path.split('.'))) throw positionalWide(op, path);
        continue;
      }
      const current = valueAt(doc, path);
      if (!isWide(current) && !isWide(operand)) continue;
      if ((op === '$min' || op === '$max') && !bothNumbers(current, operand)) continue;
      out ??= { ...modifier, $set: { ...(modifier.$set as Document | undefined) } };
      out[op] = { ...(out[op] as Document) };
      delete (out[op] as Document)[path];
      const result =
        op === '$min' || op === '$max'
          ? extreme(op, current, operand)
          : combine(op, current, operand, doc);
      if (result !== KEEP) (out.$set as Document)[path] = result;
    }
  }
  if (!out) return modifier;
  for (const op of [...OPERATORS, '$set'])
    if (out[op] && Object.keys(out[op] as Document).length === 0) delete out[op];
  return out;
}

/** Whether a path (a positional part standing for every element) reaches a wide number. */
function reachesWide(holder: unknown, parts: string[]): boolean {
  if (parts.length === 0) return isWide(holder);
  if (holder === null || typeof holder !== 'object' || bsonType(holder)) return false;
  const [part, ...rest] = parts;
  if (Array.isArray(holder) && part.startsWith('$'))
    return holder.some((item) => reachesWide(item, rest));
  return reachesWide((holder as Document)[part], rest);
}

const positionalWide = (op: string, path: string) =>
  new EngineError(
    115,
    'CommandNotSupported',
    `${op} of '${path}' is not supported by the embedded engine: a positional path reaching a Decimal128 or a Long beyond 2^53 (name the element's index instead)`,
  );

const KEEP = Symbol('keep');

const bothNumbers = (current: unknown, operand: unknown) =>
  (current === undefined || bsonRank(current) === TypeRank.number) &&
  bsonRank(operand) === TypeRank.number;

/** `$min` / `$max` of two numbers in MongoDB's numeric order: the operand, or KEEP the current value. */
function extreme(op: '$min' | '$max', current: unknown, operand: unknown): unknown {
  if (current === undefined) return normalized(operand);
  const cmp = compareBson(operand, current);
  return (op === '$min' ? cmp < 0 : cmp > 0) ? normalized(operand) : KEEP;
}

/** `current op operand`; a missing field counts as 0 of the operand's type. */
function combine(op: Operator, current: unknown, operand: unknown, doc: Document): unknown {
  if (current === undefined) return op === '$inc' ? normalized(operand) : zeroLike(operand);
  if (bsonType(current) === 'Decimal128' || bsonType(operand) === 'Decimal128')
    return decimalArithmetic(op === '$inc' ? 'add' : 'multiply', current, operand);
  const a = toBigInt(current);
  const b = toBigInt(operand);
  if (a === null || b === null) {
    const [x, y] = [toNumber(current), toNumber(operand)];
    return op === '$inc' ? x + y : x * y;
  }
  const result = op === '$inc' ? a + b : a * b;
  if (result < INT64_MIN || result > INT64_MAX)
    throw errors.badValue(
      `Failed to apply ${op} operations to current value (${shown(current)}) for document {_id: ${String(doc._id)}}`,
    );
  return fromBigInt(result);
}

const shown = (value: unknown) =>
  bsonType(value) === 'Long' ? `(NumberLong)${String(value)}` : String(value);

function normalized(value: unknown): unknown {
  return bsonType(value) === 'Long' ? fromBigInt((value as Long).toBigInt()) : value;
}

function zeroLike(value: unknown): unknown {
  return bsonType(value) === 'Decimal128' ? Decimal128.fromString('0') : 0;
}
