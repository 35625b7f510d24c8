/**
 * Numbers a JS number cannot hold, as the engine keeps them: a Long beyond
 * 2^53 and a Decimal128 stay BSON values (int32, double and smaller Longs
 * arrive as JS numbers). Exact arithmetic over them, as MongoDB does it:
 * integers with a Long in 64 bits (BigInt), and anything with a Decimal128
 * in decimal (34 digits, rounded half to even; a fractional double counts
 * with 15 significant digits). Used by updates (arithmetic.ts) and by
 * aggregation expressions (wide-operators.ts).
 */
import { Decimal128, Long } from 'bson';
import { bsonType as typeOf } from './operand-types.js';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export const isWide = (value: unknown) =>
  typeOf(value) === 'Long' || typeOf(value) === 'Decimal128';

export const isDecimal = (value: unknown) => typeOf(value) === 'Decimal128';

/** NaN as a JS number or as a Decimal128. */
export const isNaNValue = (value: unknown) =>
  typeof value === 'number' ? Number.isNaN(value) : isDecimal(value) && String(value) === 'NaN';

/** A JS number where it holds the value exactly, as values arrive; else a Long. */
export function fromBigInt(value: bigint): number | Long {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  return value >= -safe && value <= safe ? Number(value) : Long.fromBigInt(value);
}

/** The integer a number or a Long holds; null for a fraction, a special or a Decimal128. */
export function toBigInt(value: unknown): bigint | null {
  if (typeOf(value) === 'Long') return (value as Long).toBigInt();
  if (typeOf(value) === 'Decimal128') return null;
  const number = toNumber(value);
  return Number.isSafeInteger(number) ? BigInt(number) : null;
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeOf(value) === 'Long') return (value as Long).toNumber();
  if (typeOf(value) === 'Decimal128') return Number(String(value));
  return Number((value as { valueOf(): unknown }).valueOf());
}

/** A decimal as coefficient and exponent (value = coefficient x 10^exponent), or a special. */
type Exact = { coefficient: bigint; exponent: number } | { special: number };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:E([+-]?\d+))?$/i;

function toExact(value: unknown): Exact {
  let text: string;
  if (isWide(value)) text = String(value);
  else {
    const number = toNumber(value);
    if (!Number.isFinite(number)) return { special: number };
    // An integer is exact; a fractional double counts with 15 significant digits, as in MongoDB.
    text = Number.isInteger(number) ? BigInt(number).toString() : number.toPrecision(15);
  }
  const match = DECIMAL.exec(text);
  if (!match) return { special: Number(text) };
  const [, minus, whole, fraction = '', power = '0'] = match;
  const coefficient = BigInt(whole + fraction);
  return {
    coefficient: minus ? -coefficient : coefficient,
    exponent: Number(power) - fraction.length,
  };
}

export type DecimalOperation = 'add' | 'subtract' | 'multiply' | 'divide';

const digits = (n: bigint) => (n < 0n ? -n : n).toString().length;

/** `a op b` as a Decimal128 (division by zero is the caller's to refuse). */
export function decimalArithmetic(op: DecimalOperation, a: unknown, b: unknown): Decimal128 {
  const x = toExact(a);
  const y = toExact(b);
  if ('special' in x || 'special' in y) {
    const [p, q] = [asNumber(x), asNumber(y)];
    const ops = { add: p + q, subtract: p - q, multiply: p * q, divide: p / q };
    return specialDecimal(ops[op]);
  }
  let coefficient: bigint;
  let exponent: number;
  if (op === 'multiply') {
    coefficient = x.coefficient * y.coefficient;
    exponent = x.exponent + y.exponent;
  } else if (op === 'divide') {
    // A quotient of at least 36 digits, rounded to 34; a remainder marks it inexact.
    const shift = Math.max(0, 36 + digits(y.coefficient) - digits(x.coefficient));
    const scaled = x.coefficient * 10n ** BigInt(shift);
    coefficient = (scaled / y.coefficient) * 10n;
    if (scaled % y.coefficient !== 0n) coefficient += scaled < 0n !== y.coefficient < 0n ? -1n : 1n;
    exponent = x.exponent - y.exponent - shift - 1;
    // An exact quotient keeps no trailing zeros below the operands' own exponent (10 / 4 is 2.5).
    const ideal = x.exponent - y.exponent;
    while (coefficient % 10n === 0n && exponent < ideal && coefficient !== 0n) {
      coefficient /= 10n;
      exponent++;
    }
    if (coefficient === 0n) exponent = ideal;
  } else {
    const sign = op === 'subtract' ? -1n : 1n;
    exponent = Math.min(x.exponent, y.exponent);
    coefficient =
      x.coefficient * 10n ** BigInt(x.exponent - exponent) +
      sign * y.coefficient * 10n ** BigInt(y.exponent - exponent);
  }
  try {
    return Decimal128.fromStringWithRounding(`${coefficient}E${exponent}`);
  } catch {
    // Beyond Decimal128's exponents: MongoDB's answer is an infinity.
    return specialDecimal(coefficient < 0n ? -Infinity : Infinity);
  }
}

function asNumber(value: Exact): number {
  return 'special' in value ? value.special : Number(`${value.coefficient}E${value.exponent}`);
}

function specialDecimal(value: number): Decimal128 {
  if (Number.isNaN(value)) return Decimal128.fromString('NaN');
  if (!Number.isFinite(value)) return Decimal128.fromString(value > 0 ? 'Infinity' : '-Infinity');
  return Decimal128.fromStringWithRounding(String(value));
}
