/**
 * The operand checks mongod makes when it parses a filter, before any
 * document is read.
 *
 * Why: mingo takes `{n: {$mod: [0, 1]}}`, `{$and: []}`, `{s: {$not: 'x'}}`
 * or `{n: {$size: -1}}` and quietly matches nothing (or everything), and
 * `{n: {$in: 1}}` fails with a message about JavaScript. MongoDB refuses each
 * with 2 BadValue and a message naming the operator.
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { isPlainObject } from './update.js';

const LOGICAL = new Set(['$and', '$or', '$nor']);
const REGEX_FLAGS = /^[imxsu]*$/;

function isNumber(value: unknown): boolean {
  const type = (value as { _bsontype?: string } | null)?._bsontype;
  return (
    typeof value === 'number' ||
    type === 'Long' ||
    type === 'Int32' ||
    type === 'Double' ||
    type === 'Decimal128'
  );
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : Number((value as { valueOf(): unknown }).valueOf());
}

function checkOperator(op: string, operand: unknown, depth: number): void {
  switch (op) {
    case '$in':
    case '$nin':
    case '$all':
      if (!Array.isArray(operand)) throw errors.badValue(`${op} needs an array`);
      return;
    case '$mod': {
      if (!Array.isArray(operand)) throw errors.badValue('malformed mod, needs to be an array');
      if (operand.length < 2) throw errors.badValue('malformed mod, not enough elements');
      if (operand.length > 2) throw errors.badValue('malformed mod, too many elements');
      if (!isNumber(operand[0])) throw errors.badValue('malformed mod, divisor not a number');
      if (!isNumber(operand[1])) throw errors.badValue('malformed mod, remainder not a number');
      if (Math.trunc(numberOf(operand[0])) === 0) throw errors.badValue('divisor cannot be 0');
      return;
    }
    case '$size': {
      if (!isNumber(operand)) throw errors.badValue('$size needs a number');
      const n = numberOf(operand);
      if (n < 0) throw errors.badValue('$size may not be negative');
      if (!Number.isInteger(n)) throw errors.badValue('$size must be a whole number');
      return;
    }
    case '$not': {
      const regex =
        operand instanceof RegExp ||
        (operand as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp';
      if (regex) return;
      if (!isPlainObject(operand)) throw errors.badValue('$not needs a regex or a document');
      if (Object.keys(operand).length === 0) throw errors.badValue('$not cannot be empty');
      checkCondition(operand, depth + 1);
      return;
    }
    case '$elemMatch':
      if (!isPlainObject(operand)) throw errors.badValue('$elemMatch needs an Object');
      checkFilter(operand, depth + 1);
      return;
    case '$options':
      if (typeof operand === 'string' && !REGEX_FLAGS.test(operand)) {
        const flag = [...operand].find((c) => !'imxsu'.includes(c));
        throw new EngineError(51108, 'Location51108', `invalid flag in regex options: ${flag}`);
      }
      return;
  }
}

/** A field's condition: either a value (equality) or a document of operators. */
function checkCondition(condition: Document, depth: number): void {
  const keys = Object.keys(condition);
  if (keys.length === 0 || !keys[0].startsWith('$')) return;
  for (const key of keys) checkOperator(key, condition[key], depth);
}

/** Walks a filter (and what it nests: `$and`/`$or`/`$nor`, `$elemMatch`, `$not`) checking operands. */
export function checkFilter(filter: Document, depth = 0): void {
  if (depth > 100) return;
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL.has(key)) {
      if (!Array.isArray(value) || value.length === 0)
        throw errors.badValue('$and/$or/$nor must be a nonempty array');
      for (const item of value) {
        if (!isPlainObject(item))
          throw errors.badValue('$or/$and/$nor entries need to be full objects');
        checkFilter(item, depth + 1);
      }
    } else if (!key.startsWith('$') && isPlainObject(value)) {
      checkCondition(value, depth);
    } else if (key === '$not') {
      throw errors.badValue('unknown top level operator: $not');
    }
  }
}
