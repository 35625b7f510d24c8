/**
 * The query operator `$type` with MongoDB's type names and numbers.
 *
 * Why: mingo's `$type` knows a few aliases only and answers false for the
 * rest, so `{_id: {$type: 'objectId'}}` or `{at: {$type: 'timestamp'}}`
 * silently matched nothing, and a misspelled alias was no error. Numbers are
 * JavaScript numbers here, so `int`, `long` and `double` are told apart by
 * value (an integral double counts as `int`), as the README says.
 */
import type { Document } from 'bson';
import { resolve } from 'mingo/util';
import { errors } from '../errors.js';

const CODES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};
const KNOWN_CODES = new Set(Object.values(CODES));
const NUMBER = 'number';

/** The BSON type number of a value as the engine holds it. */
function typeCode(value: unknown): number {
  if (value === null) return 10;
  if (value === undefined) return 6;
  if (Array.isArray(value)) return 4;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  switch (typeof value) {
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    case 'number':
      if (!Number.isInteger(value)) return 1;
      return value >= -2147483648 && value <= 2147483647 ? 16 : 18;
    case 'bigint':
      return 18;
  }
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'ObjectId':
      return 7;
    case 'Binary':
    case 'UUID':
      return 5;
    case 'Timestamp':
      return 17;
    case 'Long':
      return 18;
    case 'Int32':
      return 16;
    case 'Double':
      return 1;
    case 'Decimal128':
      return 19;
    case 'BSONRegExp':
      return 11;
    case 'Code':
      return (value as { scope?: unknown }).scope ? 15 : 13;
    case 'BSONSymbol':
      return 14;
    case 'DBRef':
      return 3;
    case 'MinKey':
      return -1;
    case 'MaxKey':
      return 127;
  }
  return 3;
}

/** The wanted types as numbers (`'number'` kept as is); MongoDB's error for anything else. */
function parseTypes(spec: unknown): (number | typeof NUMBER)[] {
  const list = Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) throw errors.failedToParse('$type must match at least one type');
  return list.map((item) => {
    if (typeof item === 'string') {
      if (item === NUMBER) return NUMBER;
      if (Object.hasOwn(CODES, item)) return CODES[item];
      throw errors.badValue(`Unknown type name alias: ${item}`);
    }
    const n =
      typeof item === 'number' ? item : Number((item as { valueOf(): unknown })?.valueOf?.());
    if (!Number.isInteger(n))
      throw errors.typeMismatch('type must be represented as a number or a string');
    if (!KNOWN_CODES.has(n)) throw errors.badValue(`Invalid numerical type code: ${n}`);
    return n;
  });
}

function isType(value: unknown, wanted: number | typeof NUMBER): boolean {
  const code = typeCode(value);
  if (wanted === NUMBER) return code === 1 || code === 16 || code === 18 || code === 19;
  return code === wanted;
}

/** `{field: {$type: ...}}`: the field, or an element of the array it holds, is of a wanted type. */
export function typeQueryOperator(selector: string, spec: unknown): (doc: unknown) => boolean {
  const types = parseTypes(spec);
  return (doc) => {
    const value = resolve(doc as Document, selector, { unwrapArray: true });
    if (value === undefined) return false;
    const matches = (v: unknown) => types.some((t) => isType(v, t));
    if (matches(value)) return true;
    return Array.isArray(value) && value.some(matches);
  };
}
