/**
 * insert, update, delete and findAndModify. Each written document goes through
 * the request's view, so the same code serves plain writes (committed one by one,
 * like mongod) and transactions (staged until commit).
 */
import { ObjectId, type Document } from 'bson';
import { EngineError, errors, toEngineError } from '../errors.js';
import { idKeyOf } from '../storage/bson-order.js';
import type { WriteOp } from '../storage/catalog.js';
import {
  applyUpdate,
  isOperatorUpdate,
  isPlainObject,
  upsertDocument,
  idFirst,
  validateUpdate,
  type UpdateSpec,
} from '../query/update.js';
import { projectDocs, sortDocs } from '../query/sort.js';
import { describeUpdate, isNoopUpdate } from '../changes/update-description.js';
import { assertBounded, assertDocumentSize } from '../query/limits.js';
import {
  collectionName,
  type CommandHandler,
  type CommandRequest,
  type EngineState,
} from './context.js';
import { commandVariables, evaluationFor } from './evaluation.js';
import { assertStorableId } from './id-rules.js';
import { assertHintExists } from './hint.js';
import { RetryableWrite } from '../txn/retryable.js';

function prepareInsert(doc: unknown): Document {
  if (!isPlainObject(doc)) throw errors.typeMismatch('documents to insert must be objects');
  if (!Object.hasOwn(doc, '_id')) return { _id: new ObjectId(), ...doc };
  return idFirst(doc);
}

function op(
  request: CommandRequest,
  coll: string,
  kind: WriteOp['kind'],
  before: Document | null,
  after: Document | null,
  ud?: WriteOp['ud'],
): WriteOp {
  if (after) {
    assertStorableId(after);
    assertDocumentSize(after);
  }
  const id = (after ?? before)!._id;
  const bypassValidation = request.command.bypassDocumentValidation === true;
  return {
    kind,
    db: request.db,
    coll,
    idKey: idKeyOf(id),
    id,
    before,
    after,
    ud,
    bypassValidation,
  };
}

function writeError(index: number, err: unknown): Document {
  const e = toEngineError(err);
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}

interface StatementsOutcome {
  writeErrors: Document[];
  /** Statement ids a retryable write answered from its record (MongoDB's retriedStmtIds). */
  retried: number[];
}

/**
 * Runs statements in order, collecting write errors the way mongod reports them
 * (ok:1 with writeErrors). Each statement returns its own result, handed to
 * `collect` once it has been applied; under a retryable write (lsid + txnNumber
 * outside a transaction) a statement already executed answers its recorded result.
 */
function runStatements<T>(
  request: CommandRequest,
  engine: EngineState,
  statements: T[],
  run: (request: CommandRequest, statement: T, index: number, retryable: boolean) => Document,
  collect: (result: Document, index: number) => void,
): StatementsOutcome {
  const ordered = request.command.ordered !== false;
  const retry = request.txn
    ? null
    : RetryableWrite.begin(request.command, engine.catalog, engine.txns);
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    // Outside the statement's error handling: a record that cannot answer fails the command (mongod).
    const answered = retry?.answer(i);
    if (answered) {
      collect(answered, i);
      continue;
    }
    try {
      const result = retry
        ? retry.run(request.view, i, (view) => run({ ...request, view }, statements[i], i, true))
        : run(request, statements[i], i, false);
      collect(result, i);
    } catch (err) {
      // A conflict or a dead transaction fails the whole command so the driver can retry it.
      if (err instanceof EngineError && err.errorLabels.includes('TransientTransactionError'))
        throw err;
      writeErrors.push(writeError(i, err));
      if (request.txn) request.txn.state = 'aborted';
      if (ordered || request.txn) break;
    }
  }
  return { writeErrors, retried: retry?.retried ?? [] };
}

function withOutcome(reply: Document, outcome: StatementsOutcome): Document {
  if (outcome.writeErrors.length > 0) reply.writeErrors = outcome.writeErrors;
  if (outcome.retried.length > 0) reply.retriedStmtIds = outcome.retried;
  return reply;
}

export const insert: CommandHandler = (request, engine) => {
  const coll = collectionName(request);
  const documents = request.command.documents;
  if (!Array.isArray(documents)) throw errors.typeMismatch("'documents' must be an array");
  let n = 0;
  const outcome = runStatements(
    request,
    engine,
    documents,
    (req, raw) => {
      const doc = prepareInsert(raw);
      req.view.write(op(req, coll, 'insert', null, doc));
      return { n: 1 };
    },
    (result) => (n += result.n as number),
  );
  return withOutcome({ n, ok: 1 }, outcome);
};

/** One update statement; its result is `{ n, nModified }` plus `upserted` (the new _id) for an upsert. */
function updateOne(
  request: CommandRequest,
  engine: EngineState,
  coll: string,
  statement: Document,
  variables: Document | undefined,
  retryable: boolean,
): Document {
  if (!isPlainObject(statement)) throw errors.typeMismatch('update statements must be objects');
  const { q, u, multi, upsert, arrayFilters, hint } = statement;
  if (retryable && multi === true)
    throw errors.invalidOptions('Cannot use (or request) retryable writes with multi=true');
  const evaluation = evaluationFor(request, engine, coll, statement.collation, variables);
  if (q !== undefined && !isPlainObject(q)) throw errors.typeMismatch("'q' must be an object");
  assertHintExists(request.view, request.db, coll, hint);
  validateUpdate(u);
  assertBounded(u);
  const replacement = !Array.isArray(u) && !isOperatorUpdate(u);
  if (replacement && multi)
    throw errors.failedToParse('multi update is not supported for replacement-style update');
  if (arrayFilters !== undefined && !Array.isArray(arrayFilters))
    throw errors.typeMismatch("'arrayFilters' must be an array");
  const matched = request.view.find(request.db, coll, q as Document, evaluation);
  const targets = multi ? matched : matched.slice(0, 1);
  const result: Document = { n: 0, nModified: 0 };
  for (const before of targets) {
    const after = applyUpdate(before, u, {
      query: q as Document,
      arrayFilters: arrayFilters as Document[],
      evaluation,
    });
    result.n++;
    const ud = describeUpdate(before, after, u as UpdateSpec);
    if (isNoopUpdate(ud)) continue;
    request.view.write(
      op(
        request,
        coll,
        replacement ? 'replace' : 'update',
        before,
        after,
        replacement ? undefined : ud,
      ),
    );
    result.nModified++;
  }
  if (targets.length === 0 && upsert) {
    const doc = upsertDocument(
      q as Document,
      u as UpdateSpec,
      arrayFilters as Document[],
      evaluation,
    );
    request.view.write(op(request, coll, 'insert', null, doc));
    result.n++;
    result.upserted = doc._id;
  }
  return result;
}

export const update: CommandHandler = (request, engine) => {
  const coll = collectionName(request);
  const updates = request.command.updates;
  if (!Array.isArray(updates)) throw errors.typeMismatch("'updates' must be an array");
  const variables = commandVariables(request);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const outcome = runStatements(
    request,
    engine,
    updates,
    (req, statement, _index, retryable) =>
      updateOne(req, engine, coll, statement, variables, retryable),
    (result, index) => {
      n += result.n as number;
      nModified += result.nModified as number;
      if (Object.hasOwn(result, 'upserted')) upserted.push({ index, _id: result.upserted });
    },
  );
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withOutcome(reply, outcome);
};

export const remove: CommandHandler = (request, engine) => {
  const coll = collectionName(request);
  const deletes = request.command.deletes;
  if (!Array.isArray(deletes)) throw errors.typeMismatch("'deletes' must be an array");
  const variables = commandVariables(request);
  let n = 0;
  const outcome = runStatements(
    request,
    engine,
    deletes,
    (req, statement: unknown, _index, retryable) => {
      if (!isPlainObject(statement)) throw errors.typeMismatch('delete statements must be objects');
      const { q, limit, hint } = statement;
      if (q !== undefined && !isPlainObject(q)) throw errors.typeMismatch("'q' must be an object");
      assertHintExists(req.view, req.db, coll, hint);
      if (limit !== undefined && limit !== 0 && limit !== 1)
        throw errors.failedToParse('The limit field in delete objects must be 0 or 1');
      if (retryable && limit !== 1)
        throw errors.invalidOptions('Cannot use (or request) retryable writes with limit=0');
      const evaluation = evaluationFor(req, engine, coll, statement.collation, variables);
      const matched = req.view.find(req.db, coll, q as Document, evaluation);
      let deleted = 0;
      for (const doc of limit === 1 ? matched.slice(0, 1) : matched) {
        req.view.write(op(req, coll, 'delete', doc, null));
        deleted++;
      }
      return { n: deleted };
    },
    (result) => (n += result.n as number),
  );
  return withOutcome({ n, ok: 1 }, outcome);
};

/**
 * findAndModify; as a retryable write (lsid + txnNumber outside a transaction) its
 * reply, with the image it returned, is recorded and a retry answers it again.
 */
export const findAndModify: CommandHandler = (request, engine) => {
  const retry = request.txn
    ? null
    : RetryableWrite.begin(request.command, engine.catalog, engine.txns);
  if (!retry) return modifyOne(request, engine);
  const answered = retry.answer(0);
  if (answered) return { ...answered, retriedStmtId: retry.retried[0] };
  return retry.run(request.view, 0, (view) => modifyOne({ ...request, view }, engine));
};

function modifyOne(request: CommandRequest, engine: EngineState): Document {
  const coll = collectionName(request);
  const {
    query,
    sort,
    remove: removing,
    update: spec,
    new: returnNew,
    fields,
    upsert,
    arrayFilters,
    hint,
  } = request.command;
  assertHintExists(request.view, request.db, coll, hint);
  if (query !== undefined && !isPlainObject(query))
    throw errors.typeMismatch("'query' must be an object");
  if (!removing && spec === undefined)
    throw errors.failedToParse('Either an update or remove=true must be specified');
  if (removing && spec !== undefined)
    throw errors.failedToParse('Cannot specify both an update and remove=true');
  const evaluation = evaluationFor(
    request,
    engine,
    coll,
    request.command.collation,
    commandVariables(request),
  );
  const project = (doc: Document | null) =>
    doc ? projectDocs([doc], fields as Document, evaluation, query as Document)[0] : null;
  const matched = sortDocs(
    request.view.find(request.db, coll, query as Document, evaluation),
    sort as Document,
    evaluation.collation,
  );
  const before = matched[0] ?? null;
  if (removing) {
    if (before) request.view.write(op(request, coll, 'delete', before, null));
    return { lastErrorObject: { n: before ? 1 : 0 }, value: project(before), ok: 1 };
  }
  validateUpdate(spec);
  if (before) {
    const after = applyUpdate(before, spec, {
      query: query as Document,
      arrayFilters: arrayFilters as Document[],
      evaluation,
    });
    const replacement = !Array.isArray(spec) && !isOperatorUpdate(spec);
    const ud = describeUpdate(before, after, spec);
    if (!isNoopUpdate(ud)) {
      request.view.write(
        op(
          request,
          coll,
          replacement ? 'replace' : 'update',
          before,
          after,
          replacement ? undefined : ud,
        ),
      );
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(returnNew ? after : before),
      ok: 1,
    };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = upsertDocument(query as Document, spec, arrayFilters as Document[], evaluation);
  request.view.write(op(request, coll, 'insert', null, doc));
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: project(returnNew ? doc : null),
    ok: 1,
  };
}
