/**
 * The type each update operator needs in the field it changes, checked before
 * the update is applied, and `$currentDate`'s timestamp.
 *
 * Why: mingo leaves `{$inc: {s: 1}}` on a string field (and `$mul`, `$push`,
 * `$addToSet`, `$pull`, `$pullAll`, `$pop`, `$bit` on the wrong type) as a
 * silent no-op, and the write reported one match and nothing modified.
 * MongoDB refuses each with its own error (14 TypeMismatch or 2 BadValue).
 * A missing field is no error (the operator creates it or does nothing), nor
 * are paths through a positional operator (left to the update itself, but
 * `arr.$[]` needs an array at `arr`, as mongod says). And
 * mingo stores `{$currentDate: {d: {$type: 'timestamp'}}}` as a number of
 * milliseconds; MongoDB stores a BSON timestamp.
 */
import { Timestamp, type Document } from 'bson';
import { EngineError, errors } from '../errors.js';

export function bsonType(value: unknown): string | undefined {
  return (value as { _bsontype?: string } | null)?._bsontype;
}

function isNumeric(value: unknown): boolean {
  const type = bsonType(value);
  return (
    typeof value === 'number' ||
    type === 'Long' ||
    type === 'Double' ||
    type === 'Int32' ||
    type === 'Decimal128'
  );
}

function isIntegral(value: unknown): boolean {
  const type = bsonType(value);
  return (
    (typeof value === 'number' && Number.isInteger(value)) || type === 'Long' || type === 'Int32'
  );
}

/** The BSON type name mongod prints for a value. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'double';
  }
  const type = bsonType(value);
  if (type === 'ObjectId') return 'objectId';
  if (type === 'Binary') return 'binData';
  if (type === 'Int32') return 'int';
  if (type) return type.charAt(0).toLowerCase() + type.slice(1);
  return 'object';
}

function shownId(doc: Document): string {
  const id = doc._id as unknown;
  return typeof id === 'string' ? JSON.stringify(id) : String(id);
}

/** The value at a dotted path (through documents and array indexes); undefined when missing or positional. */
export function valueAt(doc: Document, path: string): unknown {
  let holder: unknown = doc;
  for (const part of path.split('.')) {
    if (part.startsWith('$')) return undefined;
    if (Array.isArray(holder)) {
      if (!/^\d+$/.test(part)) return undefined;
      holder = holder[Number(part)];
    } else if (holder !== null && typeof holder === 'object' && !bsonType(holder)) {
      holder = (holder as Document)[part];
    } else return undefined;
    if (holder === undefined) return undefined;
  }
  return holder;
}

function wrongType(op: string, doc: Document, path: string, value: unknown): EngineError | null {
  const field = path.slice(path.lastIndexOf('.') + 1);
  const type = typeName(value);
  switch (op) {
    case '$inc':
    case '$mul':
      return isNumeric(value)
        ? null
        : errors.typeMismatch(
            `Cannot apply ${op} to a value of non-numeric type. {_id: ${shownId(doc)}} has the field '${field}' of non-numeric type ${type}`,
          );
    case '$push':
      return Array.isArray(value)
        ? null
        : errors.badValue(
            `The field '${field}' must be an array but is of type ${type} in document {_id: ${shownId(doc)}}`,
          );
    case '$addToSet':
      return Array.isArray(value)
        ? null
        : errors.badValue(
            `Cannot apply $addToSet to non-array field. Field named '${field}' has non-array type ${type}`,
          );
    case '$pull':
    case '$pullAll':
      return Array.isArray(value)
        ? null
        : errors.badValue('Cannot apply $pull to a non-array value');
    case '$pop':
      return Array.isArray(value)
        ? null
        : errors.typeMismatch(`Path '${path}' contains an element of non-array type '${type}'`);
    case '$bit':
      return isIntegral(value)
        ? null
        : errors.badValue(
            `Cannot apply $bit to a value of non-integral type.{_id: ${shownId(doc)}} has the field ${field} of non-integer type ${type}`,
          );
    default:
      return null;
  }
}

/** `arr.$[]` and `arr.$[id]` need an array at `arr` when it exists (2 BadValue, as mongod answers). */
function assertArrayUpdateTarget(doc: Document, path: string): void {
  const parts = path.split('.');
  const at = parts.findIndex((part) => part.startsWith('$['));
  if (at <= 0) return;
  const value = valueAt(doc, parts.slice(0, at).join('.'));
  if (value === undefined || Array.isArray(value)) return;
  const shown =
    typeof value === 'number' || typeof value === 'boolean' || value === null
      ? String(value)
      : (JSON.stringify(value) ?? typeName(value));
  throw errors.badValue(
    `Cannot apply array updates to non-array element ${parts[at - 1]}: ${shown}`,
  );
}

/** Throws MongoDB's error when an operator meets a field of a type it cannot change. */
export function assertOperandTypes(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    if (fields === null || typeof fields !== 'object') continue;
    for (const path of Object.keys(fields as Document)) {
      assertArrayUpdateTarget(doc, path);
      const value = valueAt(doc, path);
      if (value === undefined) continue;
      const error = wrongType(op, doc, path, value);
      if (error) throw error;
    }
  }
}

/**
 * `$currentDate` fields asking for a timestamp, moved to `$set` with a BSON
 * timestamp of now (dates stay with `$currentDate`, which mingo stores right).
 */
export function settleCurrentTimestamps(modifier: Document): Document {
  const fields = modifier.$currentDate as Document | undefined;
  if (!fields || typeof fields !== 'object') return modifier;
  const timestamps = Object.entries(fields).filter(
    ([, spec]) => (spec as Document | null)?.$type === 'timestamp',
  );
  if (timestamps.length === 0) return modifier;
  const now = Timestamp.fromBits(1, Math.floor(Date.now() / 1000));
  const rest = Object.fromEntries(
    Object.entries(fields).filter(([path]) => !timestamps.some(([p]) => p === path)),
  );
  const out: Document = { ...modifier, $set: { ...(modifier.$set as Document | undefined) } };
  for (const [path] of timestamps) (out.$set as Document)[path] = now;
  if (Object.keys(rest).length > 0) out.$currentDate = rest;
  else delete out.$currentDate;
  return out;
}

/** Throws 56 EmptyFieldName for an update path that is empty or has an empty part (`a..b`). */
export function assertUpdatePathNamed(path: string): void {
  if (path === '')
    throw new EngineError(56, 'EmptyFieldName', 'An empty update path is not valid.');
  if (path.split('.').includes(''))
    throw new EngineError(
      56,
      'EmptyFieldName',
      `The update path '${path}' contains an empty field name, which is not allowed.`,
    );
}
