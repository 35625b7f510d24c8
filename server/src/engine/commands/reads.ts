/**
 * find, getMore, killCursors, count, distinct and aggregate. Results are
 * materialised (the engine is in-memory) and handed out in batches through the
 * cursor registry; change streams branch off to their own cursor kind.
 */
import { Long, type Document } from 'bson';
import { EngineError, errors, toEngineError } from '../errors.js';
import { assertBounded } from '../query/limits.js';
import { isKnownStage } from '../query/stages.js';
import { getPathValues, valueKey } from '../storage/bson-order.js';
import { cloneDoc, isPlainObject } from '../query/update.js';
import { projectDocs, sortDocs } from '../query/sort.js';
import { CollatedSet } from '../query/collation.js';
import { runPipeline } from '../query/mingo-context.js';
import { toVariableError } from '../query/let-variables.js';
import { assertCollationApplies } from '../query/uncollated.js';
import { commandVariables, evaluationFor } from './evaluation.js';
import { cursorReply, takeBatch } from '../cursors.js';
import { checkCursorOrigin, cursorOrigin } from './txn-rules.js';
import { assertHintExists } from './hint.js';
import { openChangeStream, changeStreamGetMore } from '../changes/change-stream.js';
import { diagnosticAggregate, isDiagnosticPipeline } from './diagnostics.js';
import { splitOutputStage, writeOutput } from './out-merge.js';
import {
  collectionName,
  type CommandHandler,
  type CommandRequest,
  type EngineState,
} from './context.js';

const DEFAULT_FIRST_BATCH = 101;

function optionalObject(request: CommandRequest, field: string): Document | undefined {
  const value = request.command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw errors.typeMismatch(`'${field}' must be an object`);
  return value;
}

function nonNegative(request: CommandRequest, field: string): number | undefined {
  const value = request.command[field];
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw errors.typeMismatch(`'${field}' must be a number`);
  return n;
}

/** Hands out the first batch and keeps the rest in a cursor. */
function firstBatch(
  request: CommandRequest,
  engine: EngineState,
  ns: string,
  docs: Document[],
  batchSize: number | undefined,
  single: boolean,
): Document {
  const cursor = {
    kind: 'documents' as const,
    ns,
    docs,
    position: 0,
    lastUsed: Date.now(),
    owner: request.connectionId,
    origin: cursorOrigin(request.command),
  };
  const batch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
  if (single || cursor.position >= docs.length) return cursorReply(0, ns, batch, true);
  return cursorReply(engine.cursors.open(cursor), ns, batch, true);
}

export const find: CommandHandler = (request, engine) => {
  const coll = collectionName(request);
  assertHintExists(request.view, request.db, coll, request.command.hint);
  const filter = optionalObject(request, 'filter');
  const skip = nonNegative(request, 'skip') ?? 0;
  const rawLimit = nonNegative(request, 'limit') ?? 0;
  if (skip < 0) throw errors.badValue('skip value must be non-negative');
  const limit = Math.abs(rawLimit);
  const evaluation = evaluationFor(
    request,
    engine,
    coll,
    request.command.collation,
    commandVariables(request),
  );
  let docs = sortDocs(
    request.view.find(request.db, coll, filter, evaluation),
    optionalObject(request, 'sort'),
    evaluation.collation,
  );
  if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
  docs = projectDocs(docs, optionalObject(request, 'projection'), evaluation, filter);
  const single = request.command.singleBatch === true || rawLimit < 0;
  return firstBatch(
    request,
    engine,
    `${request.db}.${coll}`,
    docs,
    nonNegative(request, 'batchSize'),
    single,
  );
};

export const getMore: CommandHandler = async (request, engine) => {
  const id = request.command.getMore;
  if (typeof id !== 'number' && !Long.isLong(id))
    throw errors.typeMismatch("'getMore' must be a cursor id (int64)");
  const cursor = engine.cursors.get(id);
  if (!cursor) throw errors.cursorNotFound(id);
  if (cursor.origin) checkCursorOrigin(cursor.origin, request.command, id);
  const requested = `${request.db}.${String(request.command.collection)}`;
  if (requested !== cursor.ns)
    throw new EngineError(
      13,
      'Unauthorized',
      `Requested getMore on namespace '${requested}', but cursor belongs to a different namespace ${cursor.ns}`,
    );
  const batchSize = nonNegative(request, 'batchSize');
  if (cursor.kind === 'changeStream') {
    return changeStreamGetMore(
      cursor,
      request,
      engine,
      batchSize,
      nonNegative(request, 'maxTimeMS'),
    );
  }
  const batch = takeBatch(cursor, batchSize);
  const done = cursor.position >= cursor.docs.length;
  if (done) engine.cursors.kill(id);
  return cursorReply(done ? 0 : Long.fromValue(id), cursor.ns, batch, false);
};

export const killCursors: CommandHandler = (request, engine) => {
  const ids = request.command.cursors;
  if (!Array.isArray(ids)) throw errors.typeMismatch("'cursors' must be an array");
  const cursorsKilled: unknown[] = [];
  const cursorsNotFound: unknown[] = [];
  for (const id of ids) (engine.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(id);
  return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

export const count: CommandHandler = (request, engine) => {
  const coll = collectionName(request);
  const evaluation = evaluationFor(request, engine, coll, request.command.collation, undefined);
  assertHintExists(request.view, request.db, coll, request.command.hint);
  const query = optionalObject(request, 'query');
  const matched = request.view.find(request.db, coll, query, evaluation).length;
  const skip = nonNegative(request, 'skip') ?? 0;
  const limit = Math.abs(nonNegative(request, 'limit') ?? 0);
  const n = Math.max(0, matched - skip);
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
};

export const distinct: CommandHandler = (request, engine) => {
  const coll = collectionName(request);
  const key = request.command.key;
  if (typeof key !== 'string') throw errors.typeMismatch("'key' must be a string");
  const evaluation = evaluationFor(request, engine, coll, request.command.collation, undefined);
  const docs = request.view.find(request.db, coll, optionalObject(request, 'query'), evaluation);
  const values = (doc: Document) =>
    getPathValues(doc, key).flatMap((value) => (Array.isArray(value) ? value : [value]));
  if (evaluation.collation) {
    // Values equal under the collation count once ('a' and 'A' at strength 2).
    const seen = new CollatedSet(evaluation.collation);
    for (const doc of docs) for (const item of values(doc)) seen.slot(item);
    return { values: seen.values, ok: 1 };
  }
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    for (const item of values(doc)) {
      const k = valueKey(item);
      if (!seen.has(k)) seen.set(k, item);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

const UNSUPPORTED_STAGES = ['$listSessions', '$indexStats', '$planCacheStats'];

export const aggregate: CommandHandler = (request, engine) => {
  const pipeline = request.command.pipeline;
  if (!Array.isArray(pipeline)) throw errors.typeMismatch("'pipeline' must be an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
      throw errors.failedToParse(
        'A pipeline stage specification object must contain exactly one field.',
      );
  }
  const cursorOptions = optionalObject(request, 'cursor');
  if (pipeline[0] && '$changeStream' in pipeline[0])
    return openChangeStream(request, engine, pipeline as Document[]);
  if (isDiagnosticPipeline(pipeline)) return diagnosticAggregate(request, engine, pipeline);
  for (const stage of pipeline as Document[]) {
    const name = Object.keys(stage)[0];
    if (UNSUPPORTED_STAGES.includes(name))
      throw errors.badValue(`${name} is not supported by the embedded engine`);
    if (!isKnownStage(name))
      throw new EngineError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);
  }
  assertBounded(pipeline);
  const target = request.command.aggregate;
  if (typeof target !== 'string')
    throw errors.badValue('aggregate: 1 is only supported with $changeStream');
  const evaluation = evaluationFor(
    request,
    engine,
    target,
    request.command.collation,
    commandVariables(request),
  );
  assertHintExists(request.view, request.db, target, request.command.hint);
  assertCollationApplies(pipeline, evaluation.collation);
  const stages = [...(pipeline as Document[])];
  const output = splitOutputStage(request, stages);
  const leadingMatch =
    stages[0] && isPlainObject(stages[0].$match) ? (stages.shift()!.$match as Document) : undefined;
  const input = request.view.find(request.db, target, leadingMatch, evaluation).map(cloneDoc);
  const resolver = (name: string) => request.view.find(request.db, name, undefined).map(cloneDoc);
  let docs: Document[];
  try {
    docs =
      stages.length === 0
        ? input
        : runPipeline(stages, input, evaluation, { collectionResolver: resolver });
  } catch (err) {
    const mapped = toVariableError(err);
    throw mapped === err ? toEngineError(err) : mapped;
  }
  if (output) return writeOutput(request, engine, output, docs);
  const batchSize =
    cursorOptions?.batchSize === undefined ? undefined : Number(cursorOptions.batchSize);
  return firstBatch(request, engine, `${request.db}.${target}`, docs, batchSize, false);
};
