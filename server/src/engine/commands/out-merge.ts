/**
 * The aggregation stages that write: `$out` replaces a collection with the
 * pipeline's result (built in a temporary collection, then renamed over the
 * target, as mongod does, so readers see the old or the new contents, never a
 * mix), and `$merge` folds the result into a collection document by document
 * (whenMatched / whenNotMatched, matched `on` fields backed by a unique index).
 */
import { randomUUID } from 'node:crypto';
import { ObjectId, type Document } from 'bson';
import { EngineError, errors, toEngineError } from '../errors.js';
import { idKeyOf, valueKey } from '../storage/bson-order.js';
import type { WriteOp } from '../storage/catalog.js';
import { isView, notSupportedOnView } from '../query/view-definitions.js';
import { applyUpdate, cloneDoc, isPlainObject } from '../query/update.js';
import { enforceValidator } from '../query/validation.js';
import { assertDocumentSize } from '../query/limits.js';
import { describeUpdate, isNoopUpdate } from '../changes/update-description.js';
import { cursorReply } from '../cursors.js';
import { runPipeline } from '../query/mingo-context.js';
import type { CommandRequest, EngineState } from './context.js';

export interface OutputStage {
  name: '$out' | '$merge';
  spec: unknown;
}

/** Takes a trailing $out/$merge off the pipeline; refuses one anywhere else or in a transaction. */
export function splitOutputStage(
  request: CommandRequest,
  pipeline: Document[],
): OutputStage | null {
  pipeline.forEach((stage, i) => {
    const name = Object.keys(stage)[0];
    if ((name === '$out' || name === '$merge') && i !== pipeline.length - 1)
      throw new EngineError(
        40601,
        'Location40601',
        `${name} can only be the final stage in the pipeline`,
      );
  });
  for (const stage of pipeline) refuseNestedOutput(stage);
  const last = pipeline[pipeline.length - 1];
  const name = last ? Object.keys(last)[0] : undefined;
  if (name !== '$out' && name !== '$merge') return null;
  if (request.txn)
    throw errors.operationNotSupportedInTransaction(`${name} cannot be used in a transaction`);
  pipeline.pop();
  return { name, spec: last[name] };
}

/** Where mongod refuses a writing stage inside another stage's sub-pipeline. */
const NESTED_OUTPUT: Record<string, [number, string]> = {
  $facet: [40600, 'is not allowed to be used within a $facet stage'],
  $lookup: [51047, "is not allowed within a $lookup's sub-pipeline"],
  $unionWith: [31441, "is not allowed within a $unionWith's sub-pipeline"],
};

function refuseNestedOutput(stage: Document): void {
  const name = Object.keys(stage)[0];
  const rule = NESTED_OUTPUT[name];
  const spec: unknown = stage[name];
  if (!rule || !isPlainObject(spec)) return;
  const pipelines: unknown[] =
    name === '$facet' ? Object.values(spec) : spec.pipeline ? [spec.pipeline] : [];
  for (const sub of pipelines) {
    if (!Array.isArray(sub)) continue;
    for (const inner of sub as unknown[]) {
      if (!isPlainObject(inner)) continue;
      const innerName = Object.keys(inner)[0];
      if (innerName === '$out' || innerName === '$merge')
        throw new EngineError(rule[0], `Location${rule[0]}`, `${innerName} ${rule[1]}`);
      refuseNestedOutput(inner);
    }
  }
}

function targetOf(spec: unknown, db: string, stage: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string')
    return { db: typeof spec.db === 'string' ? spec.db : db, coll: spec.coll };
  throw errors.failedToParse(
    `${stage} only supports a string or object argument, but found ${typeof spec}`,
  );
}

/** Runs the output stage over the pipeline's result and answers as mongod does: an empty cursor. */
export function writeOutput(
  request: CommandRequest,
  engine: EngineState,
  stage: OutputStage,
  docs: Document[],
): Document {
  if (stage.name === '$out') runOut(request, engine, stage.spec, docs);
  else runMerge(request, engine, stage.spec, docs);
  const ns = `${request.db}.${String(request.command.aggregate)}`;
  return cursorReply(0, ns, [], true);
}

function withId(doc: Document): Document {
  return doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc;
}

function runOut(request: CommandRequest, engine: EngineState, spec: unknown, docs: Document[]) {
  const target = targetOf(spec, request.db, '$out');
  const { catalog } = engine;
  if (isView(catalog, target.db, target.coll)) throw notSupportedOnView(target.db, target.coll);
  const existing = catalog.collection(target.db, target.coll);
  const tmp = `tmp.agg_out.${randomUUID()}`;
  const temp = catalog.ensureCollection(target.db, tmp, existing ? { ...existing.options } : {});
  try {
    for (const index of existing?.indexes.values() ?? [])
      catalog.createIndex(target.db, tmp, { ...index.spec });
    const bypass = request.command.bypassDocumentValidation === true;
    const ops: WriteOp[] = docs.map((raw) => {
      const doc = withId(raw);
      assertDocumentSize(doc);
      if (!bypass) enforceValidator(temp.options, null, doc);
      const op: WriteOp = {
        kind: 'insert',
        db: target.db,
        coll: tmp,
        idKey: idKeyOf(doc._id),
        id: doc._id,
        before: null,
        after: doc,
      };
      return op;
    });
    if (ops.length > 0) catalog.commit(ops);
  } catch (err) {
    catalog.dropCollection(target.db, tmp);
    throw err;
  }
  catalog.renameCollection(target.db, tmp, target.db, target.coll);
}

const MERGE_FIELDS = new Set(['into', 'on', 'let', 'whenMatched', 'whenNotMatched']);
const WHEN_MATCHED = ['replace', 'keepExisting', 'merge', 'fail'];
const WHEN_NOT_MATCHED = ['insert', 'discard', 'fail'];

interface MergeSpec {
  into: { db: string; coll: string };
  on: string[];
  vars: Document;
  whenMatched: string | Document[];
  whenNotMatched: string;
}

function parseMerge(spec: unknown, db: string): MergeSpec {
  if (typeof spec === 'string')
    return {
      into: { db, coll: spec },
      on: ['_id'],
      vars: {},
      whenMatched: 'merge',
      whenNotMatched: 'insert',
    };
  if (!isPlainObject(spec))
    throw errors.failedToParse('$merge only supports a string or object argument');
  for (const key of Object.keys(spec))
    if (!MERGE_FIELDS.has(key))
      throw new EngineError(
        40415,
        'Location40415',
        `BSON field '$merge.${key}' is an unknown field.`,
      );
  if (spec.into === undefined)
    throw errors.failedToParse("BSON field '$merge.into' is missing but a required field");
  const into = targetOf(spec.into, db, '$merge');
  const rawOn = spec.on ?? '_id';
  const on = (Array.isArray(rawOn) ? rawOn : [rawOn]).map((field) => {
    if (typeof field !== 'string')
      throw errors.typeMismatch("$merge 'on' must be a string or an array of strings");
    return field;
  });
  if (on.length === 0) throw errors.badValue("$merge 'on' cannot be an empty array");
  const whenMatched = (spec.whenMatched ?? 'merge') as string | Document[];
  if (!Array.isArray(whenMatched) && !WHEN_MATCHED.includes(whenMatched))
    throw errors.badValue(
      `Enumeration value '${String(whenMatched)}' for field '$merge.whenMatched' is not a valid value.`,
    );
  const whenNotMatched = (spec.whenNotMatched ?? 'insert') as string;
  if (!WHEN_NOT_MATCHED.includes(whenNotMatched))
    throw errors.badValue(
      `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`,
    );
  const vars = spec.let === undefined ? {} : spec.let;
  if (!isPlainObject(vars)) throw errors.typeMismatch("$merge 'let' must be an object");
  return { into, on, vars, whenMatched, whenNotMatched };
}

/** 'on' fields other than _id need a unique index on exactly those fields. */
function checkOnIndex(engine: EngineState, spec: MergeSpec): void {
  if (spec.on.length === 1 && spec.on[0] === '_id') return;
  const coll = engine.catalog.collection(spec.into.db, spec.into.coll);
  const wanted = [...spec.on].sort().join('\0');
  const found = [...(coll?.indexes.values() ?? [])].some(
    (index) =>
      index.spec.unique === true &&
      !index.spec.partialFilterExpression &&
      Object.keys(index.spec.key).sort().join('\0') === wanted,
  );
  if (!found)
    throw new EngineError(
      51183,
      'Location51183',
      'Cannot find index to verify that join fields will be unique',
    );
}

function onFilter(doc: Document, on: string[]): Document {
  const filter: Document = {};
  for (const field of on) {
    const value = field
      .split('.')
      .reduce<unknown>((v, part) => (isPlainObject(v) ? v[part] : undefined), doc);
    if (value === undefined || value === null || Array.isArray(value))
      throw new EngineError(
        51132,
        'Location51132',
        `$merge write error: 'on' field '${field}' cannot be missing, null, undefined or an array`,
      );
    filter[field] = value;
  }
  return filter;
}

function runMerge(request: CommandRequest, engine: EngineState, raw: unknown, docs: Document[]) {
  const spec = parseMerge(raw, request.db);
  const { db, coll } = spec.into;
  if (isView(engine.catalog, db, coll)) throw notSupportedOnView(db, coll);
  checkOnIndex(engine, spec);
  const bypassValidation = request.command.bypassDocumentValidation === true;
  const write = (
    kind: WriteOp['kind'],
    before: Document | null,
    after: Document,
    ud?: WriteOp['ud'],
  ) => {
    assertDocumentSize(after);
    request.view.write({
      kind,
      db,
      coll,
      idKey: idKeyOf(after._id),
      id: after._id,
      before,
      after,
      ud,
      bypassValidation,
    });
  };
  for (const result of docs) {
    const incoming = spec.on.includes('_id') ? withId(result) : result;
    const [existing] = request.view.find(db, coll, onFilter(incoming, spec.on));
    if (!existing) {
      if (spec.whenNotMatched === 'fail')
        throw new EngineError(
          13113,
          'MergeStageNoMatchingDocument',
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      if (spec.whenNotMatched === 'insert') write('insert', null, withId(incoming));
      continue;
    }
    if (spec.whenMatched === 'keepExisting') continue;
    if (spec.whenMatched === 'fail')
      throw new EngineError(
        11000,
        'DuplicateKey',
        `$merge with whenMatched: fail found an existing document with the same values for the 'on' fields: ${JSON.stringify(onFilter(incoming, spec.on))}`,
      );
    if (incoming._id !== undefined && valueKey(incoming._id) !== valueKey(existing._id))
      throw errors.immutableField(
        "$merge failed to update the matching document, did you attempt to modify the _id or the shard key? :: caused by :: Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    if (spec.whenMatched === 'replace') {
      const { _id: _same, ...fields } = cloneDoc(incoming);
      const ordered = { _id: existing._id, ...fields };
      if (!isNoopUpdate(describeUpdate(existing, ordered))) write('replace', existing, ordered);
      continue;
    }
    let after: Document;
    let ud;
    if (Array.isArray(spec.whenMatched)) {
      try {
        [after] = runPipeline(spec.whenMatched, [cloneDoc(existing)], {
          variables: { new: incoming, ...spec.vars },
        });
      } catch (err) {
        throw toEngineError(err);
      }
      if (!after || valueKey(after._id) !== valueKey(existing._id))
        after = { ...after, _id: existing._id };
      ud = describeUpdate(existing, after, spec.whenMatched);
    } else {
      const { _id: _ignored, ...fields } = incoming;
      after = applyUpdate(existing, { $set: cloneDoc(fields) });
      ud = describeUpdate(existing, after, { $set: fields });
    }
    if (!isNoopUpdate(ud)) write('update', existing, after, ud);
  }
}
