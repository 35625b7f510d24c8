/**
 * Applying one update statement to one document: operator updates (through
 * mingo), replacements and pipeline updates, plus what mingo leaves to the server:
 * `$setOnInsert`, seeding an upsert from the query, keeping `_id` immutable, and
 * describing the change for change streams (`updateDescription`).
 */
import { ObjectId, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { EngineError, errors, toEngineError } from '../errors.js';
import { valueKey } from '../storage/bson-order.js';
import { applyOperatorUpdate, runPipeline, type EvalOptions } from './mingo-context.js';
import { settleCollatedOperators } from './collated-update.js';
import { settleWideArithmetic } from './arithmetic.js';
import {
  assertOperandTypes,
  assertUpdatePathNamed,
  settleCurrentTimestamps,
} from './operand-types.js';
import { assertUpdatePathsViable } from './path-viability.js';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$setOnInsert',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
]);

/** The only stages MongoDB runs in a pipeline update; a $match or $group there is refused. */
const UPDATE_PIPELINE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

export type UpdateSpec = Document | Document[];

export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Copies plain objects and arrays; BSON values (ObjectId, Date, ...) are shared, as they are never mutated. */
export function cloneDoc<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key of Object.keys(value)) out[key] = cloneDoc(value[key]);
    return out as T;
  }
  return value;
}

function isNumberLike(value: unknown): boolean {
  const type = (value as { _bsontype?: string } | null)?._bsontype;
  return type === 'Long' || type === 'Double' || type === 'Int32' || type === 'Decimal128';
}

export function isOperatorUpdate(spec: UpdateSpec): boolean {
  if (Array.isArray(spec)) return false;
  const first = Object.keys(spec)[0];
  return first !== undefined && first.startsWith('$');
}

/** Validates the shape of an update before any document is touched. */
export function validateUpdate(spec: unknown): asserts spec is UpdateSpec {
  if (Array.isArray(spec)) {
    for (const stage of spec) {
      if (!isPlainObject(stage)) throw errors.failedToParse('pipeline stages must be objects');
      const name = Object.keys(stage)[0];
      if (name !== undefined && !UPDATE_PIPELINE_STAGES.has(name))
        throw errors.invalidOptions(`${name} is not allowed to be used within an update`);
    }
    return;
  }
  if (!isPlainObject(spec)) throw errors.failedToParse('update must be an object or a pipeline');
  const keys = Object.keys(spec);
  const operators = keys.filter((k) => k.startsWith('$'));
  if (operators.length === 0) return;
  if (operators.length !== keys.length)
    throw errors.failedToParse('update document mixes operators and fields');
  const paths: string[] = [];
  for (const op of operators) {
    if (!OPERATORS.has(op))
      throw errors.failedToParse(`Unknown modifier: ${op}. Expected a valid update modifier`);
    if (!isPlainObject(spec[op]))
      throw errors.failedToParse(
        `Modifiers operate on fields but we found type ${typeof spec[op]} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(spec[op])}}`,
      );
    for (const [path, value] of Object.entries(spec[op])) {
      assertUpdatePathNamed(path);
      if (op === '$rename' && typeof value === 'string') assertUpdatePathNamed(value);
      if ((path === '_id' && op !== '$set' && op !== '$setOnInsert') || path.startsWith('_id.')) {
        throw errors.immutableField(
          `Performing an update on the path '${path}' would modify the immutable field '_id'`,
        );
      }
      if ((op === '$inc' || op === '$mul') && typeof value !== 'number' && !isNumberLike(value)) {
        throw errors.typeMismatch(
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(value)}}`,
        );
      }
      paths.push(path);
      if (op === '$rename' && typeof value === 'string') paths.push(value);
    }
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a === b || b.startsWith(a + '.')) {
      throw new EngineError(
        40,
        'ConflictingUpdateOperators',
        `Updating the path '${b}' would create a conflict at '${a}'`,
      );
    }
  }
}

export interface ApplyOptions {
  query?: Document;
  arrayFilters?: Document[];
  /** The document is being inserted by an upsert: `$setOnInsert` applies. */
  inserting?: boolean;
  /** The statement's collation and the command's `let` variables. */
  evaluation?: EvalOptions;
}

/** Returns the updated copy of `doc`; `doc` itself is left untouched. */
export function applyUpdate(doc: Document, spec: UpdateSpec, options: ApplyOptions = {}): Document {
  let next: Document;
  if (Array.isArray(spec)) {
    const [result] = runPipeline(spec, [cloneDoc(doc)], options.evaluation ?? {});
    next = result ?? {};
    // A pipeline that drops `_id` ($replaceWith, $replaceRoot, $unset, $project) keeps the original, as in MongoDB.
    if (next._id === undefined && doc._id !== undefined) next = { _id: doc._id, ...next };
  } else if (isOperatorUpdate(spec)) {
    // Top-level $set/$unset/$inc replace whole fields and change nothing inside the others, which
    // the new version may then share with the old (stored documents are never changed in place): a
    // heartbeat's `expiresAt` does not copy a document's arrays. Anything else works on a copy.
    let modifier: Document = { ...spec };
    if (modifier.$setOnInsert) {
      if (options.inserting)
        modifier.$set = { ...(modifier.$set as Document), ...(modifier.$setOnInsert as Document) };
      delete modifier.$setOnInsert;
    }
    const shared = isTopLevel(modifier);
    next = shared ? { ...doc } : cloneDoc(doc);
    // mingo refuses any $set of _id; MongoDB allows setting it to its current value (or choosing it on insert).
    if (modifier.$set && '_id' in (modifier.$set as Document)) {
      const { _id: wanted, ...rest } = modifier.$set as Document;
      if (next._id === undefined) next._id = wanted;
      else if (valueKey(wanted) !== valueKey(next._id)) throw immutableId();
      modifier.$set = rest;
    }
    for (const key of Object.keys(modifier))
      if (Object.keys(modifier[key] as Document).length === 0) delete modifier[key];
    assertUpdatePathsViable(next, modifier);
    assertOperandTypes(next, modifier);
    modifier = settleCurrentTimestamps(modifier);
    modifier = settleWideArithmetic(next, modifier);
    const collation = options.evaluation?.collation;
    if (collation) modifier = settleCollatedOperators(next, modifier, collation);
    if (applyTopLevel(next, modifier)) {
      // Done without mingo (see applyTopLevel).
    } else if (Object.keys(modifier).length > 0) {
      if (shared) next = cloneDoc(next);
      try {
        // The query is only needed for the positional `$` operator; compiling it costs more than the update.
        const condition = usesPositional(modifier) ? options.query : undefined;
        const evaluation = options.evaluation ?? {};
        if (evaluation.collation || evaluation.variables)
          applyOperatorUpdate(next, modifier, options.arrayFilters, condition, evaluation);
        else mingoUpdate(next, modifier, options.arrayFilters, condition, { cloneMode: 'none' });
      } catch (err) {
        throw toEngineError(err);
      }
    }
  } else {
    for (const key of Object.keys(spec)) {
      if (key.startsWith('$'))
        throw errors.badValue(
          `The dollar ($) prefixed field '${key}' is not allowed in a replacement`,
        );
    }
    const { _id: replacementId, ...rest } = spec;
    if (
      replacementId !== undefined &&
      doc._id !== undefined &&
      valueKey(replacementId) !== valueKey(doc._id)
    ) {
      throw immutableId();
    }
    next = { _id: doc._id ?? replacementId, ...cloneDoc(rest) };
    if (next._id === undefined) delete next._id;
  }
  if (doc._id !== undefined && (next._id === undefined || valueKey(next._id) !== valueKey(doc._id)))
    throw immutableId();
  if (next._id !== undefined && Object.keys(next)[0] !== '_id') {
    const { _id, ...rest } = next;
    next = { _id, ...rest };
  }
  return next;
}

const TOP_LEVEL_FIELD = /^[^.$][^.]*$/;

/** The operators applied directly to top-level fields (see applyTopLevel). */
const TOP_LEVEL_OPERATORS = new Set(['$set', '$unset', '$inc']);

/**
 * `$set`, `$unset` and `$inc` of top-level fields only (the heartbeat's
 * `expiresAt`, a discussion's `lastSequence`, a poll's counts: most of the
 * app's updates), applied directly. Why: mingo builds a fresh operator
 * context for every document it updates (about 0.1 ms for one `$inc`, 50
 * times the update itself), which also made a 3,000-document updateMany cost
 * half a second. An `$inc` here adds a number to a number (or to nothing,
 * which it creates); anything else (dotted paths, other operators, a field
 * named twice) is left to mingo: returns false. (Decimal128 and Longs beyond
 * 2^53 were worked out before, as `$set`: arithmetic.ts.)
 */
function applyTopLevel(doc: Document, modifier: Document): boolean {
  if (!isTopLevel(modifier)) return false;
  const inc = (modifier.$inc ?? {}) as Document;
  const current = (key: string) => doc[key] as unknown;
  const numeric = (key: string) => current(key) === undefined || typeof current(key) === 'number';
  if (!Object.keys(inc).every(numeric)) return false;
  for (const [op, fields] of Object.entries(modifier))
    for (const [key, value] of Object.entries(fields as Document)) {
      if (op === '$set') doc[key] = cloneDoc(value);
      else if (op === '$unset') delete doc[key];
      else doc[key] = ((current(key) as number | undefined) ?? 0) + (value as number);
    }
  return true;
}

/**
 * Whether a modifier only sets, unsets or increments (by a number) top-level
 * fields other than `_id`, none named twice: what applyTopLevel may apply, and
 * an update whose new version may share the other fields with the old one.
 */
function isTopLevel(modifier: Document): boolean {
  const operators = Object.keys(modifier);
  if (operators.length === 0 || operators.some((op) => !TOP_LEVEL_OPERATORS.has(op))) return false;
  const named = new Set<string>();
  for (const op of operators) {
    const fields = modifier[op] as unknown;
    if (!isPlainObject(fields)) return false;
    for (const [key, value] of Object.entries(fields)) {
      if (!TOP_LEVEL_FIELD.test(key) || named.has(key)) return false;
      if (op === '$inc' && (key === '_id' || typeof value !== 'number')) return false;
      named.add(key);
    }
  }
  return true;
}

function usesPositional(modifier: Document): boolean {
  for (const fields of Object.values(modifier)) {
    for (const path of Object.keys(fields as Document))
      if (path === '$' || path.includes('.$.') || path.endsWith('.$')) return true;
  }
  return false;
}

function immutableId() {
  return errors.immutableField(
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** The document an upsert starts from: the query's equality conditions. */
export function upsertSeed(query: Document | undefined): Document {
  const seed: Document = {};
  const visit = (filter: Document) => {
    for (const [key, value] of Object.entries(filter)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (key.startsWith('$')) continue;
      let literal: unknown = value;
      if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        if (!('$eq' in value)) continue;
        literal = value.$eq;
      }
      setPath(seed, key, cloneDoc(literal));
    }
  };
  if (query) visit(query);
  return seed;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[parts[parts.length - 1]] = value;
}

/** `doc` with `_id` as its first field, where MongoDB stores it (the same object if it already is). */
export function idFirst(doc: Document): Document {
  if (Object.keys(doc)[0] === '_id' || !Object.hasOwn(doc, '_id')) return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** The document an upsert inserts when nothing matched. */
export function upsertDocument(
  query: Document | undefined,
  spec: UpdateSpec,
  arrayFilters?: Document[],
  evaluation?: EvalOptions,
): Document {
  const seed = upsertSeed(query);
  let doc: Document;
  if (isOperatorUpdate(spec) || Array.isArray(spec)) {
    const { _id, ...rest } = seed;
    doc = applyUpdate(rest, spec, { inserting: true, arrayFilters, evaluation });
    if (_id !== undefined && doc._id === undefined) doc = { _id, ...doc };
  } else {
    doc = idFirst({ ...cloneDoc(spec) });
    if (doc._id === undefined && seed._id !== undefined) doc = { _id: seed._id, ...doc };
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  return doc;
}
