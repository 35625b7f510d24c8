/**
 * Checks a value against a `$jsonSchema` (already accepted by
 * `assertSchema`) and says which rules it breaks, in the shape of MongoDB
 * 7.0's validation error details: an empty list means the value satisfies
 * the schema. See json-schema.ts for the dialect.
 */
import type { Document } from 'bson';
import { bsonTypeName } from './bson-type.js';
import { collatedEqual } from './collation.js';
import { assertSchema, compilePattern, toNumber, type RuleFailure } from './json-schema.js';

const NUMERIC = new Set(['int', 'long', 'double', 'decimal']);
const JSON_TYPES: Record<string, string[]> = {
  object: ['object'],
  array: ['array'],
  number: [...NUMERIC],
  boolean: ['bool'],
  string: ['string'],
  null: ['null'],
};

function allowedTypes(keyword: 'type' | 'bsonType', raw: unknown): string[] {
  const names = typeof raw === 'string' ? [raw] : (raw as string[]);
  return names.flatMap((name) =>
    keyword === 'type' ? JSON_TYPES[name] : name === 'number' ? [...NUMERIC] : [name],
  );
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function typeRule(schema: Document, value: unknown): RuleFailure | null {
  for (const keyword of ['bsonType', 'type'] as const) {
    if (schema[keyword] === undefined) continue;
    const type = bsonTypeName(value);
    if (allowedTypes(keyword, schema[keyword]).includes(type)) return null;
    return {
      operatorName: keyword,
      specifiedAs: { [keyword]: schema[keyword] },
      reason: 'type did not match',
      consideredValue: value,
      consideredType: type,
    };
  }
  return null;
}

function numberRules(schema: Document, value: number, raw: unknown): RuleFailure[] {
  const out: RuleFailure[] = [];
  const bound = (
    keyword: 'minimum' | 'maximum',
    exclusive: 'exclusiveMinimum' | 'exclusiveMaximum',
  ) => {
    if (schema[keyword] === undefined) return;
    const limit = toNumber(schema[keyword]);
    const strict = schema[exclusive] === true;
    const ok =
      keyword === 'minimum'
        ? strict
          ? value > limit
          : value >= limit
        : strict
          ? value < limit
          : value <= limit;
    if (ok) return;
    const specifiedAs: Document = { [keyword]: schema[keyword] };
    if (schema[exclusive] !== undefined) specifiedAs[exclusive] = schema[exclusive];
    out.push({
      operatorName: keyword,
      specifiedAs,
      reason: 'comparison failed',
      consideredValue: raw,
    });
  };
  bound('minimum', 'exclusiveMinimum');
  bound('maximum', 'exclusiveMaximum');
  if (schema.multipleOf !== undefined) {
    const divisor = toNumber(schema.multipleOf);
    if (value % divisor !== 0)
      out.push({
        operatorName: 'multipleOf',
        specifiedAs: { multipleOf: schema.multipleOf },
        reason: 'considered value is not a multiple of the specified value',
        consideredValue: raw,
      });
  }
  return out;
}

function stringRules(schema: Document, value: string): RuleFailure[] {
  const out: RuleFailure[] = [];
  const length = codePoints(value);
  for (const keyword of ['minLength', 'maxLength']) {
    if (schema[keyword] === undefined) continue;
    const limit = toNumber(schema[keyword]);
    if (keyword === 'minLength' ? length >= limit : length <= limit) continue;
    out.push({
      operatorName: keyword,
      specifiedAs: { [keyword]: schema[keyword] },
      reason: 'specified string length was not satisfied',
      consideredValue: value,
    });
  }
  if (typeof schema.pattern === 'string' && !compilePattern(schema.pattern).test(value))
    out.push({
      operatorName: 'pattern',
      specifiedAs: { pattern: schema.pattern },
      reason: 'regular expression did not match',
      consideredValue: value,
    });
  return out;
}

function arrayRules(schema: Document, value: unknown[]): RuleFailure[] {
  const out: RuleFailure[] = [];
  for (const keyword of ['minItems', 'maxItems']) {
    if (schema[keyword] === undefined) continue;
    const limit = toNumber(schema[keyword]);
    if (keyword === 'minItems' ? value.length >= limit : value.length <= limit) continue;
    out.push({
      operatorName: keyword,
      specifiedAs: { [keyword]: schema[keyword] },
      reason: 'array did not match specified length',
      consideredValue: value,
    });
  }
  if (schema.uniqueItems === true) {
    const at = value.findIndex((v, i) => value.slice(0, i).some((w) => collatedEqual(v, w, null)));
    if (at >= 0)
      out.push({
        operatorName: 'uniqueItems',
        specifiedAs: { uniqueItems: true },
        reason: 'found a duplicate item',
        consideredValue: value,
        duplicatedValue: value[at],
      });
  }
  const items = schema.items;
  const itemFailure = (operatorName: string, index: number, details: RuleFailure[]) => ({
    operatorName,
    reason:
      operatorName === 'items'
        ? 'At least one item did not match the sub-schema'
        : 'At least one additional item did not match the sub-schema',
    itemIndex: index,
    details,
  });
  if (items && !Array.isArray(items)) {
    for (let i = 0; i < value.length; i++) {
      const details = checkSchema(items as Document, value[i]);
      if (details.length > 0) {
        out.push(itemFailure('items', i, details));
        break;
      }
    }
  } else if (Array.isArray(items)) {
    // One schema per position: each failing position is listed with its index.
    const tuple = items as Document[];
    const failing: Document[] = [];
    for (let i = 0; i < Math.min(tuple.length, value.length); i++) {
      const details = checkSchema(tuple[i], value[i]);
      if (details.length > 0) failing.push({ itemIndex: i, details });
    }
    if (failing.length > 0) out.push({ operatorName: 'items', details: failing });
    const extra = schema.additionalItems;
    if (extra === false && value.length > tuple.length)
      out.push({
        operatorName: 'additionalItems',
        specifiedAs: { additionalItems: false },
        reason: 'found additional items',
        additionalItems: value.slice(tuple.length),
      });
    else if (extra && typeof extra === 'object')
      for (let i = tuple.length; i < value.length; i++) {
        const details = checkSchema(extra as Document, value[i]);
        if (details.length > 0) {
          out.push(itemFailure('additionalItems', i, details));
          break;
        }
      }
  }
  return out;
}

function propertyReport(name: string, schema: Document, details: RuleFailure[]): Document {
  const report: Document = { propertyName: name };
  if (schema.title !== undefined) report.title = schema.title;
  if (schema.description !== undefined) report.description = schema.description;
  report.details = details;
  return report;
}

function objectRules(schema: Document, value: Document): RuleFailure[] {
  const out: RuleFailure[] = [];
  const names = Object.keys(value);
  if (Array.isArray(schema.required)) {
    const missing = (schema.required as string[]).filter((name) => value[name] === undefined);
    if (missing.length > 0)
      out.push({
        operatorName: 'required',
        specifiedAs: { required: schema.required },
        missingProperties: missing.sort(),
      });
  }
  for (const keyword of ['minProperties', 'maxProperties']) {
    if (schema[keyword] === undefined) continue;
    const limit = toNumber(schema[keyword]);
    if (keyword === 'minProperties' ? names.length >= limit : names.length <= limit) continue;
    out.push({
      operatorName: keyword,
      specifiedAs: { [keyword]: schema[keyword] },
      reason: 'specified number of properties was not satisfied',
      numberOfProperties: names.length,
    });
  }
  const properties = (schema.properties ?? {}) as Record<string, Document>;
  const failing: Document[] = [];
  for (const [name, nested] of Object.entries(properties)) {
    if (value[name] === undefined) continue;
    const details = checkSchema(nested, value[name]);
    if (details.length > 0) failing.push(propertyReport(name, nested, details));
  }
  if (failing.length > 0) out.push({ operatorName: 'properties', propertiesNotSatisfied: failing });
  const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Document>);
  const patternFailing: Document[] = [];
  const additional: string[] = [];
  const additionalFailing: Document[] = [];
  for (const name of names) {
    const matched = patterns.filter(([pattern]) => compilePattern(pattern).test(name));
    for (const [pattern, nested] of matched) {
      const details = checkSchema(nested, value[name]);
      if (details.length > 0)
        patternFailing.push({ propertyName: name, regexMatched: pattern, details });
    }
    if (name in properties || matched.length > 0) continue;
    if (schema.additionalProperties === false) additional.push(name);
    else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const details = checkSchema(schema.additionalProperties as Document, value[name]);
      if (details.length > 0) additionalFailing.push({ propertyName: name, details });
    }
  }
  if (patternFailing.length > 0)
    out.push({ operatorName: 'patternProperties', details: patternFailing });
  if (additional.length > 0)
    out.push({
      operatorName: 'additionalProperties',
      specifiedAs: { additionalProperties: false },
      additionalProperties: additional,
    });
  if (additionalFailing.length > 0)
    out.push({ operatorName: 'additionalProperties', details: additionalFailing });
  if (schema.dependencies) {
    for (const [name, dep] of Object.entries(schema.dependencies as Document)) {
      if (value[name] === undefined) continue;
      if (Array.isArray(dep)) {
        const missing = (dep as string[]).filter((d) => value[d] === undefined);
        if (missing.length > 0)
          out.push({
            operatorName: 'dependencies',
            failingDependencies: [{ conditionalProperty: name, missingProperties: missing }],
          });
      } else {
        const details = checkSchema(dep as Document, value);
        if (details.length > 0)
          out.push({
            operatorName: 'dependencies',
            failingDependencies: [{ conditionalProperty: name, details }],
          });
      }
    }
  }
  return out;
}

function logicalRules(schema: Document, value: unknown): RuleFailure[] {
  const out: RuleFailure[] = [];
  const results = (keyword: string) =>
    (schema[keyword] as Document[]).map((nested, index) => ({
      index,
      details: checkSchema(nested, value),
    }));
  if (schema.allOf) {
    const failed = results('allOf').filter((r) => r.details.length > 0);
    if (failed.length > 0) out.push({ operatorName: 'allOf', schemasNotSatisfied: failed });
  }
  if (schema.anyOf) {
    const all = results('anyOf');
    if (all.every((r) => r.details.length > 0))
      out.push({ operatorName: 'anyOf', schemasNotSatisfied: all });
  }
  if (schema.oneOf) {
    const all = results('oneOf');
    const matching = all.filter((r) => r.details.length === 0).map((r) => r.index);
    if (matching.length === 0) out.push({ operatorName: 'oneOf', schemasNotSatisfied: all });
    else if (matching.length > 1)
      out.push({
        operatorName: 'oneOf',
        reason: 'more than one subschema matched',
        matchingSchemaIndexes: matching,
      });
  }
  if (schema.not && checkSchema(schema.not as Document, value).length === 0)
    out.push({ operatorName: 'not', reason: 'child expression matched' });
  return out;
}

/** The rules of `schema` that `value` breaks (none: it satisfies the schema). */
export function checkSchema(schema: Document, value: unknown): RuleFailure[] {
  const out: RuleFailure[] = [];
  const typeFailure = typeRule(schema, value);
  if (typeFailure) out.push(typeFailure);
  if (schema.enum && !(schema.enum as unknown[]).some((v) => collatedEqual(v, value, null)))
    out.push({
      operatorName: 'enum',
      specifiedAs: { enum: schema.enum },
      reason: 'value was not found in enum',
      consideredValue: value,
    });
  const type = bsonTypeName(value);
  if (NUMERIC.has(type)) out.push(...numberRules(schema, toNumber(value), value));
  else if (type === 'string') out.push(...stringRules(schema, value as string));
  else if (type === 'array') out.push(...arrayRules(schema, value as unknown[]));
  else if (type === 'object') out.push(...objectRules(schema, value as Document));
  out.push(...logicalRules(schema, value));
  return out;
}

/** MongoDB's `errInfo.details` for a document failing a `{$jsonSchema}` validator. */
export function schemaFailureDetails(schema: Document, doc: Document): Document {
  const details: Document = { operatorName: '$jsonSchema' };
  if (schema.title !== undefined) details.title = schema.title;
  if (schema.description !== undefined) details.description = schema.description;
  details.schemaRulesNotSatisfied = checkSchema(schema, doc);
  return details;
}

const accepted = new WeakSet<Document>();

/** A document test for a schema: mingo's `jsonSchemaValidator` option. Refuses a bad schema first. */
export function jsonSchemaValidator(schema: Document): (doc: Document) => boolean {
  if (!accepted.has(schema)) {
    assertSchema(schema);
    accepted.add(schema);
  }
  return (doc) => checkSchema(schema, doc).length === 0;
}
