/**
 * The `_id` values MongoDB refuses to store: arrays, regular expressions,
 * `undefined` (InvalidIdField, 53) and objects with `$`-prefixed field names
 * (DollarPrefixedFieldName, 52). Checked on insert, on the document an upsert
 * creates and on replacements, whichever way the `_id` was chosen.
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';
import { isPlainObject } from '../query/update.js';

function invalidIdField(type: string): EngineError {
  return new EngineError(53, 'InvalidIdField', `The '_id' value cannot be of type ${type}`);
}

function dollarPrefixed(name: string): EngineError {
  return new EngineError(
    52,
    'DollarPrefixedFieldName',
    `_id fields may not contain '$'-prefixed fields: ${name} is not valid for storage.`,
  );
}

function isRegex(value: unknown): boolean {
  return (
    value instanceof RegExp || (value as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp'
  );
}

/** The first `$`-prefixed field name inside an `_id` object (its arrays and sub-documents too). */
function dollarField(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = dollarField(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) return key;
    const found = dollarField(child);
    if (found) return found;
  }
  return undefined;
}

/** Throws MongoDB's error when `doc` carries an `_id` it would not store. */
export function assertStorableId(doc: Document): void {
  if (!Object.hasOwn(doc, '_id')) return;
  const id = doc._id as unknown;
  if (id === undefined) throw invalidIdField('undefined');
  if (Array.isArray(id)) throw invalidIdField('array');
  if (isRegex(id)) throw invalidIdField('regex');
  const dollar = dollarField(id);
  if (dollar) throw dollarPrefixed(dollar);
}
