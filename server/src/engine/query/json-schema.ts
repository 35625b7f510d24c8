/**
 * `$jsonSchema`: MongoDB's dialect of JSON Schema (draft 4, with `bsonType`),
 * in query filters and in collection validators.
 *
 * Why: validators written as JSON Schema are how most MongoDB users constrain
 * a collection (`db.createCollection(name, {validator: {$jsonSchema}})`), and
 * a failed write should say which rule failed. A schema is checked as mongod
 * checks it when parsed (same codes and wording for the common mistakes); a
 * document is then checked against it, and the failures are reported in the
 * shape of MongoDB 7.0's `errInfo.details` (`schemaRulesNotSatisfied`,
 * `propertiesNotSatisfied`, `missingProperties`...).
 *
 * As in MongoDB, a restriction applies only to values of its type (`minimum`
 * to numbers, `minLength` to strings, `items` to arrays, `properties` to
 * documents) and passes other values; `type` or `bsonType` says which types
 * are allowed. Property names are names, not dotted paths, and arrays are not
 * traversed implicitly. Encryption keywords are refused (115).
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { bsonTypeName } from './bson-type.js';
import { collatedEqual } from './collation.js';

/** A failed rule, as MongoDB reports it inside `schemaRulesNotSatisfied`. */
export type RuleFailure = Document;

const KEYWORDS = new Set([
  'additionalItems',
  'additionalProperties',
  'allOf',
  'anyOf',
  'bsonType',
  'dependencies',
  'description',
  'enum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'items',
  'maxItems',
  'maxLength',
  'maxProperties',
  'maximum',
  'minItems',
  'minLength',
  'minProperties',
  'minimum',
  'multipleOf',
  'not',
  'oneOf',
  'pattern',
  'patternProperties',
  'properties',
  'required',
  'title',
  'type',
  'uniqueItems',
]);
const UNSUPPORTED_BY_MONGODB = new Set([
  '$ref',
  '$schema',
  'default',
  'definitions',
  'format',
  'id',
]);
const ENCRYPTION = new Set(['encrypt', 'encryptMetadata']);

const BSON_TYPES = new Set([
  'double',
  'string',
  'object',
  'array',
  'binData',
  'undefined',
  'objectId',
  'bool',
  'date',
  'null',
  'regex',
  'dbPointer',
  'javascript',
  'symbol',
  'javascriptWithScope',
  'int',
  'timestamp',
  'long',
  'decimal',
  'minKey',
  'maxKey',
  'number',
]);
const JSON_TYPES: Record<string, string[]> = {
  object: ['object'],
  array: ['array'],
  number: ['int', 'long', 'double', 'decimal'],
  boolean: ['bool'],
  string: ['string'],
  null: ['null'],
};
const NUMERIC = new Set(['int', 'long', 'double', 'decimal']);

function failedToParse(message: string): EngineError {
  return errors.failedToParse(message);
}

function isObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A numeric BSON value (int, long, double, decimal) as a JS number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const tagged = value as { toNumber?: () => number; toString(): string };
  if (typeof tagged.toNumber === 'function') return tagged.toNumber();
  return Number.parseFloat(tagged.toString());
}

function isNumeric(value: unknown): boolean {
  return NUMERIC.has(bsonTypeName(value));
}

function checkTypeList(keyword: string, raw: unknown): string[] {
  const names = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
    throw errors.typeMismatch(
      `$jsonSchema keyword '${keyword}' must be either a string or an array of strings`,
    );
  if (names.length === 0)
    throw failedToParse(`$jsonSchema keyword '${keyword}' must name at least one type`);
  const allowed: string[] = [];
  for (const name of names as string[]) {
    if (keyword === 'bsonType') {
      if (!BSON_TYPES.has(name)) throw errors.badValue(`Unknown type name alias: ${name}`);
      allowed.push(...(name === 'number' ? JSON_TYPES.number : [name]));
    } else {
      if (name === 'integer')
        throw failedToParse("$jsonSchema type 'integer' is not currently supported.");
      if (!JSON_TYPES[name]) throw errors.badValue(`Unknown JSON Schema alias: ${name}`);
      allowed.push(...JSON_TYPES[name]);
    }
  }
  return allowed;
}

function nonNegativeInteger(keyword: string, raw: unknown): void {
  if (!isNumeric(raw)) throw errors.badValue(`Expected a number in: ${keyword}: ${String(raw)}`);
  const n = toNumber(raw);
  if (!Number.isInteger(n)) throw errors.badValue(`Expected an integer: ${keyword}: ${n}`);
  if (n < 0) throw errors.badValue(`Expected a positive number in: ${keyword}: ${n}`);
}

function schemaList(keyword: string, raw: unknown): void {
  if (!Array.isArray(raw))
    throw errors.typeMismatch(`$jsonSchema keyword '${keyword}' must be an array`);
  if (raw.length === 0)
    throw errors.badValue(`$jsonSchema keyword '${keyword}' must be a non-empty array`);
  for (const item of raw) {
    if (!isObject(item))
      throw errors.typeMismatch(
        `$jsonSchema keyword '${keyword}' must be an array of objects, but found an element of type ${bsonTypeName(item)}`,
      );
    assertSchema(item);
  }
}

function requireKeyword(schema: Document, keyword: string, check: (raw: unknown) => void): void {
  if (schema[keyword] !== undefined) check(schema[keyword]);
}

/** Throws mongod's parse error for a schema it would refuse. */
export function assertSchema(schema: unknown): void {
  if (!isObject(schema)) throw errors.typeMismatch('$jsonSchema must be an object');
  for (const key of Object.keys(schema)) {
    if (ENCRYPTION.has(key))
      throw new EngineError(
        115,
        'CommandNotSupported',
        `$jsonSchema keyword '${key}' is not supported by the embedded engine (no queryable encryption)`,
      );
    if (UNSUPPORTED_BY_MONGODB.has(key))
      throw failedToParse(`$jsonSchema keyword '${key}' is not currently supported`);
    if (!KEYWORDS.has(key)) throw failedToParse(`Unknown $jsonSchema keyword: ${key}`);
  }
  for (const keyword of ['description', 'title'])
    requireKeyword(schema, keyword, (raw) => {
      if (typeof raw !== 'string')
        throw errors.typeMismatch(`$jsonSchema keyword '${keyword}' must be of type string`);
    });
  if (schema.type !== undefined && schema.bsonType !== undefined)
    throw failedToParse("Cannot specify both $jsonSchema keywords 'type' and 'bsonType'");
  requireKeyword(schema, 'type', (raw) => checkTypeList('type', raw));
  requireKeyword(schema, 'bsonType', (raw) => checkTypeList('bsonType', raw));
  for (const keyword of ['minimum', 'maximum', 'multipleOf'])
    requireKeyword(schema, keyword, (raw) => {
      if (!isNumeric(raw))
        throw errors.typeMismatch(`$jsonSchema keyword '${keyword}' must be a number`);
    });
  requireKeyword(schema, 'multipleOf', (raw) => {
    if (toNumber(raw) <= 0)
      throw failedToParse("$jsonSchema keyword 'multipleOf' must have a positive value");
  });
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ])
    requireKeyword(schema, exclusive, (raw) => {
      if (typeof raw !== 'boolean')
        throw errors.typeMismatch(`$jsonSchema keyword '${exclusive}' must be a boolean`);
      if (schema[bound] === undefined)
        throw failedToParse(
          `$jsonSchema keyword '${bound}' must be a present if ${exclusive} is present`,
        );
    });
  for (const keyword of [
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
  ])
    requireKeyword(schema, keyword, (raw) => nonNegativeInteger(keyword, raw));
  requireKeyword(schema, 'pattern', (raw) => {
    if (typeof raw !== 'string')
      throw errors.typeMismatch("$jsonSchema keyword 'pattern' must be a string");
    compilePattern(raw);
  });
  requireKeyword(schema, 'uniqueItems', (raw) => {
    if (typeof raw !== 'boolean')
      throw errors.typeMismatch("$jsonSchema keyword 'uniqueItems' must be a boolean");
  });
  requireKeyword(schema, 'enum', (raw) => {
    if (!Array.isArray(raw))
      throw errors.typeMismatch(
        `$jsonSchema keyword 'enum' must be an array, but found an element of type ${bsonTypeName(raw)}`,
      );
    if (raw.length === 0)
      throw failedToParse("$jsonSchema keyword 'enum' cannot be an empty array");
    if (raw.some((v, i) => raw.slice(0, i).some((w) => collatedEqual(v, w, null))))
      throw failedToParse("$jsonSchema keyword 'enum' array cannot contain duplicate values.");
  });
  requireKeyword(schema, 'required', (raw) => {
    if (!Array.isArray(raw))
      throw errors.typeMismatch(
        `$jsonSchema keyword 'required' must be an array, but found an element of type ${bsonTypeName(raw)}`,
      );
    const odd = raw.find((v) => typeof v !== 'string');
    if (odd !== undefined)
      throw errors.typeMismatch(
        `$jsonSchema keyword 'required' must be an array of strings, but found an element of type: ${bsonTypeName(odd)}`,
      );
    if (raw.length === 0)
      throw failedToParse("$jsonSchema keyword 'required' cannot be an empty array");
    if (new Set(raw).size !== raw.length)
      throw failedToParse("$jsonSchema keyword 'required' array cannot contain duplicate values");
  });
  for (const keyword of ['properties', 'patternProperties'])
    requireKeyword(schema, keyword, (raw) => {
      if (!isObject(raw))
        throw errors.typeMismatch(`$jsonSchema keyword '${keyword}' must be an object`);
      for (const [name, nested] of Object.entries(raw)) {
        if (!isObject(nested))
          throw errors.typeMismatch(
            keyword === 'properties'
              ? `Nested schema for $jsonSchema property '${name}' must be an object`
              : `$jsonSchema keyword 'patternProperties' has property '${name}' which is not an object`,
          );
        if (keyword === 'patternProperties') compilePattern(name);
        assertSchema(nested);
      }
    });
  for (const keyword of ['additionalProperties', 'additionalItems'])
    requireKeyword(schema, keyword, (raw) => {
      if (typeof raw === 'boolean') return;
      if (!isObject(raw))
        throw errors.typeMismatch(
          `$jsonSchema keyword '${keyword}' must be an object or a boolean`,
        );
      assertSchema(raw);
    });
  requireKeyword(schema, 'items', (raw) => {
    if (Array.isArray(raw)) {
      for (const item of raw) {
        if (!isObject(item))
          throw errors.typeMismatch(
            "$jsonSchema keyword 'items' requires that each element of the array is an object",
          );
        assertSchema(item);
      }
    } else if (isObject(raw)) assertSchema(raw);
    else throw errors.typeMismatch("$jsonSchema keyword 'items' must be an array or an object");
  });
  for (const keyword of ['allOf', 'anyOf', 'oneOf'])
    requireKeyword(schema, keyword, (raw) => schemaList(keyword, raw));
  requireKeyword(schema, 'not', (raw) => {
    if (!isObject(raw)) throw errors.typeMismatch("$jsonSchema keyword 'not' must be an object");
    assertSchema(raw);
  });
  requireKeyword(schema, 'dependencies', (raw) => {
    if (!isObject(raw))
      throw errors.typeMismatch("$jsonSchema keyword 'dependencies' must be an object");
    for (const [name, dep] of Object.entries(raw)) {
      if (isObject(dep)) assertSchema(dep);
      else if (!Array.isArray(dep) || dep.length === 0 || dep.some((d) => typeof d !== 'string'))
        throw failedToParse(
          `property '${name}' in $jsonSchema keyword 'dependencies' must be either an object or a non-empty array of strings`,
        );
    }
  });
}

const patterns = new Map<string, RegExp>();

/** The compiled `pattern` (JSON Schema patterns take no flags; Unicode-aware as PCRE in UTF-8 mode). */
export function compilePattern(source: string): RegExp {
  let regex = patterns.get(source);
  if (!regex) {
    try {
      regex = new RegExp(source, 'u');
    } catch {
      // PCRE takes escapes the Unicode mode refuses (`\_`); read those without it.
    }
    try {
      regex ??= new RegExp(source);
    } catch (err) {
      throw new EngineError(
        51091,
        'Location51091',
        `Regular expression is invalid: ${(err as Error).message}`,
      );
    }
    patterns.set(source, regex);
  }
  return regex;
}
