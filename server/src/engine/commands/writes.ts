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
  validateUpdate,
  type UpdateSpec,
} from '../query/update.js';
import { projectDocs, sortDocs } from '../query/sort.js';
import { describeUpdate, isNoopUpdate } from '../changes/update-description.js';
import { assertBounded, assertDocumentSize } from '../query/limits.js';
import { collectionName, type CommandHandler, type CommandRequest } from './context.js';

function prepareInsert(doc: unknown): Document {
  if (!isPlainObject(doc)) throw errors.typeMismatch('documents to insert must be objects');
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Array.isArray(doc._id)) throw errors.badValue("can't use an array for _id");
  if (doc._id instanceof RegExp) throw errors.badValue("can't use a regex for _id");
  return doc;
}

function op(
  request: CommandRequest,
  coll: string,
  kind: WriteOp['kind'],
  before: Document | null,
  after: Document | null,
  ud?: WriteOp['ud'],
): WriteOp {
  if (after) assertDocumentSize(after);
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

/** Runs statements in order, collecting write errors the way mongod reports them (ok:1 with writeErrors). */
function runStatements<T>(
  request: CommandRequest,
  statements: T[],
  run: (statement: T, index: number) => void,
): Document[] {
  const ordered = request.command.ordered !== false;
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      run(statements[i], i);
    } catch (err) {
      // A conflict or a dead transaction fails the whole command so the driver can retry it.
      if (err instanceof EngineError && err.errorLabels.includes('TransientTransactionError'))
        throw err;
      writeErrors.push(writeError(i, err));
      if (request.txn) request.txn.state = 'aborted';
      if (ordered || request.txn) break;
    }
  }
  return writeErrors;
}

function withErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length > 0 ? { ...reply, writeErrors } : reply;
}

export const insert: CommandHandler = (request) => {
  const coll = collectionName(request);
  const documents = request.command.documents;
  if (!Array.isArray(documents)) throw errors.typeMismatch("'documents' must be an array");
  let n = 0;
  const writeErrors = runStatements(request, documents, (raw) => {
    const doc = prepareInsert(raw);
    request.view.write(op(request, coll, 'insert', null, doc));
    n++;
  });
  return withErrors({ n, ok: 1 }, writeErrors);
};

function updateOne(
  request: CommandRequest,
  coll: string,
  statement: Document,
  index: number,
  out: { n: number; nModified: number; upserted: Document[] },
): void {
  if (!isPlainObject(statement)) throw errors.typeMismatch('update statements must be objects');
  const { q, u, multi, upsert, arrayFilters } = statement;
  if (q !== undefined && !isPlainObject(q)) throw errors.typeMismatch("'q' must be an object");
  validateUpdate(u);
  assertBounded(u);
  const replacement = !Array.isArray(u) && !isOperatorUpdate(u);
  if (replacement && multi)
    throw errors.failedToParse('multi update is not supported for replacement-style update');
  if (arrayFilters !== undefined && !Array.isArray(arrayFilters))
    throw errors.typeMismatch("'arrayFilters' must be an array");
  const matched = request.view.find(request.db, coll, q as Document);
  const targets = multi ? matched : matched.slice(0, 1);
  for (const before of targets) {
    const after = applyUpdate(before, u, {
      query: q as Document,
      arrayFilters: arrayFilters as Document[],
    });
    out.n++;
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
    out.nModified++;
  }
  if (targets.length === 0 && upsert) {
    const doc = upsertDocument(q as Document, u as UpdateSpec, arrayFilters as Document[]);
    request.view.write(op(request, coll, 'insert', null, doc));
    out.n++;
    out.upserted.push({ index, _id: doc._id });
  }
}

export const update: CommandHandler = (request) => {
  const coll = collectionName(request);
  const updates = request.command.updates;
  if (!Array.isArray(updates)) throw errors.typeMismatch("'updates' must be an array");
  const out = { n: 0, nModified: 0, upserted: [] as Document[] };
  const writeErrors = runStatements(request, updates, (statement, index) =>
    updateOne(request, coll, statement, index, out),
  );
  const reply: Document = { n: out.n, nModified: out.nModified, ok: 1 };
  if (out.upserted.length > 0) reply.upserted = out.upserted;
  return withErrors(reply, writeErrors);
};

export const remove: CommandHandler = (request) => {
  const coll = collectionName(request);
  const deletes = request.command.deletes;
  if (!Array.isArray(deletes)) throw errors.typeMismatch("'deletes' must be an array");
  let n = 0;
  const writeErrors = runStatements(request, deletes, (statement: unknown) => {
    if (!isPlainObject(statement)) throw errors.typeMismatch('delete statements must be objects');
    const { q, limit } = statement;
    if (q !== undefined && !isPlainObject(q)) throw errors.typeMismatch("'q' must be an object");
    if (limit !== undefined && limit !== 0 && limit !== 1)
      throw errors.failedToParse('The limit field in delete objects must be 0 or 1');
    const matched = request.view.find(request.db, coll, q as Document);
    for (const doc of limit === 1 ? matched.slice(0, 1) : matched) {
      request.view.write(op(request, coll, 'delete', doc, null));
      n++;
    }
  });
  return withErrors({ n, ok: 1 }, writeErrors);
};

export const findAndModify: CommandHandler = (request) => {
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
  } = request.command;
  if (query !== undefined && !isPlainObject(query))
    throw errors.typeMismatch("'query' must be an object");
  if (!removing && spec === undefined)
    throw errors.failedToParse('Either an update or remove=true must be specified');
  if (removing && spec !== undefined)
    throw errors.failedToParse('Cannot specify both an update and remove=true');
  const project = (doc: Document | null) =>
    doc ? projectDocs([doc], fields as Document)[0] : null;
  const matched = sortDocs(
    request.view.find(request.db, coll, query as Document),
    sort as Document,
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
  const doc = upsertDocument(query as Document, spec, arrayFilters as Document[]);
  request.view.write(op(request, coll, 'insert', null, doc));
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: project(returnNew ? doc : null),
    ok: 1,
  };
};
