/**
 * Applies the allowed-fields table (commands/fields.ts) to a command before it
 * runs: unknown fields (40415), fields of the wrong BSON type (14), missing
 * required fields (40414) and fields of features the engine does not implement
 * (115), each error naming the field by its dotted path as MongoDB's IDL parser
 * does (`update.updates.sort`).
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { bsonTypeName } from '../query/bson-type.js';
import {
  COMMAND_FIELDS,
  GENERIC_FIELDS,
  INDEX_SPEC_FIELDS,
  LENIENT,
  type FieldRule,
  type FieldTable,
  type FieldType,
} from './fields.js';

/** Fields each command must carry besides its name (statements: per element). */
const REQUIRED: Record<string, string[]> = {
  insert: ['documents'],
  update: ['updates'],
  delete: ['deletes'],
  'update.updates': ['q', 'u'],
  'delete.deletes': ['q', 'limit'],
  createIndexes: ['indexes'],
  killCursors: ['cursors'],
  aggregate: ['pipeline'],
  distinct: ['key'],
  dropIndexes: ['index'],
  deleteIndexes: ['index'],
  getMore: ['collection'],
};

export const fieldErrors = {
  unknown: (path: string) =>
    new EngineError(40415, 'Location40415', `BSON field '${path}' is an unknown field.`),
  missing: (path: string) =>
    new EngineError(40414, 'Location40414', `BSON field '${path}' is missing but a required field`),
  wrongType: (path: string, actual: string, expected: string) =>
    new EngineError(
      14,
      'TypeMismatch',
      `BSON field '${path}' is the wrong type '${actual}', expected ${expected}`,
    ),
  unsupported: (path: string, reason: string) =>
    new EngineError(
      115,
      'CommandNotSupported',
      `BSON field '${path}' is not supported by the embedded engine: ${reason}`,
    ),
};

const NUMERIC = new Set(['int', 'long', 'double', 'decimal']);
const EXPECTED: Record<Exclude<FieldType, 'any'>, string> = {
  bool: "types '[bool, long, int, decimal, double]'",
  number: "types '[long, int, decimal, double]'",
  nonNegative: "types '[long, int, decimal, double]'",
  string: "type 'string'",
  object: "type 'object'",
  array: "type 'array'",
  hint: "types '[string, object]'",
  update: "types '[object, array]'",
};

function fits(type: FieldType, actual: string): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'bool':
      return actual === 'bool' || NUMERIC.has(actual);
    case 'number':
    case 'nonNegative':
      return NUMERIC.has(actual);
    case 'hint':
      return actual === 'string' || actual === 'object';
    case 'update':
      return actual === 'object' || actual === 'array';
    default:
      return actual === type;
  }
}

export function checkField(path: string, rule: FieldRule, value: unknown): void {
  // A null stands for an absent optional field (drivers serialise undefined options as null).
  if (value === null || value === undefined) return;
  if (typeof rule === 'object' && 'struct' in rule) {
    const actual = bsonTypeName(value);
    if (actual !== 'object') throw fieldErrors.wrongType(path, actual, "type 'object'");
    checkDocument(path, value, rule.struct, false);
    return;
  }
  if (typeof rule === 'object') {
    if (!rule.allow?.(value)) throw fieldErrors.unsupported(path, rule.unsupported);
    return;
  }
  const actual = bsonTypeName(value);
  if (!fits(rule, actual)) throw fieldErrors.wrongType(path, actual, EXPECTED[rule as 'bool']);
  if (rule === 'nonNegative' && Number(value) < 0) {
    const field = path.slice(path.lastIndexOf('.') + 1);
    throw new EngineError(
      51024,
      'Location51024',
      `BSON field '${field}' value must be >= 0, actual value '${Number(value)}'`,
    );
  }
}

function checkDocument(
  path: string,
  doc: Document,
  own: FieldTable,
  generic: boolean,
  skip?: string,
): void {
  for (const [field, value] of Object.entries(doc)) {
    if (field === skip) continue;
    const rule = Object.hasOwn(own, field)
      ? own[field]
      : generic && Object.hasOwn(GENERIC_FIELDS, field)
        ? GENERIC_FIELDS[field]
        : undefined;
    if (rule === undefined) throw fieldErrors.unknown(`${path}.${field}`);
    checkField(`${path}.${field}`, rule, value);
  }
  for (const field of REQUIRED[path] ?? [])
    if (doc[field] === undefined) throw fieldErrors.missing(`${path}.${field}`);
}

const isAbsent = (value: unknown) => value === undefined || value === null;

/** Throws MongoDB's IDL error for the first field of `command` (or of one of its statements) it would refuse. */
export function validateCommandFields(name: string, command: Document): void {
  const spec = Object.hasOwn(COMMAND_FIELDS, name) ? COMMAND_FIELDS[name] : undefined;
  if (spec === undefined || spec === LENIENT) return;
  checkDocument(name, command, spec.fields, true, name);
  if (name === 'aggregate' && isAbsent(command.cursor) && isAbsent(command.explain))
    throw errors.failedToParse(
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  const statements = spec.statements;
  if (!statements) return;
  const list = command[statements.field] as unknown;
  if (!Array.isArray(list)) return;
  const path = `${name}.${statements.field}`;
  list.forEach((statement: unknown, index) => {
    const actual = bsonTypeName(statement);
    if (actual !== 'object')
      throw fieldErrors.wrongType(`${path}.${index}`, actual, "type 'object'");
    checkDocument(path, statement as Document, statements.fields, false);
  });
}

/** Whether the command takes a writeConcern at all. */
export function acceptsWriteConcern(name: string): boolean {
  const spec = Object.hasOwn(COMMAND_FIELDS, name) ? COMMAND_FIELDS[name] : undefined;
  return spec === LENIENT || spec === undefined || spec.writeConcern === true;
}

/**
 * The index specification as MongoDB would build it: unknown options refused
 * (197), or dropped when the command asks `ignoreUnknownIndexOptions`.
 */
export function validateIndexSpec(spec: Document, ignoreUnknown: boolean): Document {
  const kept: Document = {};
  for (const [field, value] of Object.entries(spec)) {
    if (!Object.hasOwn(INDEX_SPEC_FIELDS, field)) {
      if (ignoreUnknown) continue;
      throw new EngineError(
        197,
        'InvalidIndexSpecificationOption',
        `The field '${field}' is not valid for an index specification. Specification: ${JSON.stringify(spec)}`,
      );
    }
    checkField(`createIndexes.indexes.${field}`, INDEX_SPEC_FIELDS[field], value);
    kept[field] = value;
  }
  return kept;
}
