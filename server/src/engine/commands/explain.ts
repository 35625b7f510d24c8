/**
 * `explain` for find, aggregate, count, distinct, update and delete. The plan it
 * reports is the one the storage layer really uses (the planner's choice: the
 * `_id` pin, one secondary index, or a collection scan), and executionStats come
 * from running the command the way it runs for real (writes are only simulated):
 * keys counted in the index as they are visited, documents fetched, documents
 * returned, all under the collation the command runs with. A read of a view is
 * explained as the aggregate it resolves to on the backing collection.
 */
import { Long, type Document } from 'bson';
import { EngineError, errors, toEngineError } from '../errors.js';
import { isKnownStage } from '../query/stages.js';
import { applyUpdate, cloneDoc, isPlainObject, validateUpdate } from '../query/update.js';
import { describeUpdate, isNoopUpdate } from '../changes/update-description.js';
import { runPipeline } from '../query/mingo-context.js';
import { VERSION } from './admin.js';
import type { CommandRequest, CommandHandler, EngineState } from './context.js';
import { commandVariables, effectiveCollation, evaluationFor } from './evaluation.js';
import { parsedQuery, scanFor, withStats, type Scan } from './explain-scan.js';
import { viewAsAggregate } from './explain-views.js';
import * as reads from './reads.js';

const VERBOSITIES = ['queryPlanner', 'executionStats', 'allPlansExecution'];

type Verbosity = 'queryPlanner' | 'executionStats' | 'allPlansExecution';

interface Explained {
  /** The stage above the scan (SORT, LIMIT, COUNT, UPDATE...), wrapped around it. */
  wrap: (scan: Document, stats: boolean) => Document;
  scan: Scan;
  nReturned: number;
  millis: number;
}

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const value = run();
  return [value, Math.round(performance.now() - started)];
}

function innerRequest(request: CommandRequest, name: string, command: Document): CommandRequest {
  return { ...request, name, command: { ...command, $db: request.db } };
}

function collectionOf(inner: Document, name: string): string {
  const value = inner[name];
  if (typeof value !== 'string' || value.length === 0)
    throw errors.invalidNamespace(`collection name has invalid type ${typeof value}`);
  return value;
}

function optionalDoc(inner: Document, field: string): Document | undefined {
  const value = inner[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw errors.typeMismatch(`'${field}' must be an object`);
  return value;
}

/** Runs a read through its real handler and counts what it returned, closing any cursor it left. */
function returnedBy(reply: Document, engine: EngineState): number {
  const cursor = reply.cursor as Document;
  const id = cursor.id as Long;
  const open = Long.isLong(id) && !id.isZero() ? engine.cursors.get(id) : undefined;
  if (open && open.kind === 'documents') {
    engine.cursors.kill(id);
    return open.docs.length;
  }
  return (cursor.firstBatch as Document[]).length;
}

type Explainer = (
  request: CommandRequest,
  engine: EngineState,
  inner: Document,
) => Explained | Promise<Explained>;

const explainFind: Explainer = async (request, engine, inner) => {
  const name = collectionOf(inner, 'find');
  const coll = engine.catalog.collection(request.db, name);
  const collation = effectiveCollation(engine, request.db, name, inner.collation);
  const scan = scanFor(coll, optionalDoc(inner, 'filter'), collation);
  const started = performance.now();
  const reply = await reads.find(innerRequest(request, 'find', inner), engine);
  const millis = Math.round(performance.now() - started);
  const sort = optionalDoc(inner, 'sort');
  const projection = optionalDoc(inner, 'projection');
  const skip = Number(inner.skip ?? 0);
  const limit = Math.abs(Number(inner.limit ?? 0));
  const nReturned = returnedBy(reply, engine);
  const wrap = (input: Document, stats: boolean): Document => {
    let stage = input;
    let flowing = scan.matched.length;
    const up = (doc: Document) => (stage = stats ? { ...doc, nReturned: flowing } : doc);
    if (sort && Object.keys(sort).length > 0)
      up({
        stage: 'SORT',
        sortPattern: sort,
        memLimit: 104857600,
        type: 'simple',
        inputStage: stage,
      });
    if (skip > 0) {
      flowing = Math.max(0, flowing - skip);
      up({ stage: 'SKIP', skipAmount: skip, inputStage: stage });
    }
    if (limit > 0) {
      flowing = Math.min(flowing, limit);
      up({ stage: 'LIMIT', limitAmount: limit, inputStage: stage });
    }
    if (projection && Object.keys(projection).length > 0)
      up({ stage: 'PROJECTION_DEFAULT', transformBy: projection, inputStage: stage });
    return stage;
  };
  return { wrap, scan, nReturned, millis };
};

const explainCount: Explainer = async (request, engine, inner) => {
  const name = collectionOf(inner, 'count');
  const coll = engine.catalog.collection(request.db, name);
  const collation = effectiveCollation(engine, request.db, name, inner.collation);
  const scan = scanFor(coll, optionalDoc(inner, 'query'), collation);
  const [reply, millis] = timed(() => reads.count(innerRequest(request, 'count', inner), engine));
  const counted = (await reply).n as number;
  const wrap = (input: Document, stats: boolean): Document => ({
    stage: 'COUNT',
    ...(stats ? { nReturned: 0, nCounted: counted } : {}),
    inputStage: input,
  });
  return { wrap, scan, nReturned: 0, millis };
};

const explainDistinct: Explainer = async (request, engine, inner) => {
  const name = collectionOf(inner, 'distinct');
  const coll = engine.catalog.collection(request.db, name);
  const collation = effectiveCollation(engine, request.db, name, inner.collation);
  const scan = scanFor(coll, optionalDoc(inner, 'query'), collation);
  const [reply, millis] = timed(() =>
    reads.distinct(innerRequest(request, 'distinct', inner), engine),
  );
  await reply;
  const key = String(inner.key);
  const wrap = (input: Document, stats: boolean): Document => ({
    stage: 'PROJECTION_SIMPLE',
    transformBy: { [key]: 1, _id: 0 },
    ...(stats ? { nReturned: scan.matched.length } : {}),
    inputStage: input,
  });
  return { wrap, scan, nReturned: scan.matched.length, millis };
};

/** The one statement an explained write may hold (MongoDB explains batches of exactly one). */
function singleStatement(inner: Document, field: string): Document {
  const list = inner[field];
  if (!Array.isArray(list)) throw errors.typeMismatch(`'${field}' must be an array`);
  if (list.length !== 1)
    throw new EngineError(16, 'InvalidLength', 'explained write batches must be of size 1');
  if (!isPlainObject(list[0])) throw errors.typeMismatch(`${field} statements must be objects`);
  return list[0];
}

const explainUpdate: Explainer = (request, engine, inner) => {
  const name = collectionOf(inner, 'update');
  const coll = engine.catalog.collection(request.db, name);
  const statement = singleStatement(inner, 'updates');
  validateUpdate(statement.u);
  const collation = effectiveCollation(engine, request.db, name, statement.collation);
  const [outcome, millis] = timed(() => {
    const scan = scanFor(coll, optionalDoc(statement, 'q'), collation);
    const targets = statement.multi === true ? scan.matched : scan.matched.slice(0, 1);
    let modified = 0;
    for (const doc of targets) {
      const after = applyUpdate(doc, statement.u, {
        query: statement.q as Document,
        arrayFilters: statement.arrayFilters as Document[],
      });
      if (!isNoopUpdate(describeUpdate(doc, after))) modified++;
    }
    return { scan, matched: targets.length, modified };
  });
  const upsert = statement.upsert === true && outcome.matched === 0;
  const wrap = (input: Document, stats: boolean): Document => ({
    stage: 'UPDATE',
    ...(stats
      ? {
          nReturned: 0,
          nMatched: outcome.matched,
          nWouldModify: outcome.modified,
          nWouldUpsert: upsert ? 1 : 0,
        }
      : {}),
    inputStage: input,
  });
  return { wrap, scan: outcome.scan, nReturned: 0, millis };
};

const explainDelete: Explainer = (request, engine, inner) => {
  const name = collectionOf(inner, 'delete');
  const coll = engine.catalog.collection(request.db, name);
  const statement = singleStatement(inner, 'deletes');
  const collation = effectiveCollation(engine, request.db, name, statement.collation);
  const [scan, millis] = timed(() => scanFor(coll, optionalDoc(statement, 'q'), collation));
  const wouldDelete =
    statement.limit === 1 ? Math.min(1, scan.matched.length) : scan.matched.length;
  const wrap = (input: Document, stats: boolean): Document => ({
    stage: 'DELETE',
    ...(stats ? { nReturned: 0, nWouldDelete: wouldDelete } : {}),
    inputStage: input,
  });
  return { wrap, scan, nReturned: 0, millis };
};

const EXPLAINERS: Record<string, Explainer> = {
  find: explainFind,
  count: explainCount,
  distinct: explainDistinct,
  update: explainUpdate,
  delete: explainDelete,
};

function serverInfo(engine: EngineState): Document {
  return {
    host: engine.host,
    port: engine.port,
    version: VERSION,
    gitVersion: 'quorum-embedded-engine',
  };
}

function queryPlanner(
  request: CommandRequest,
  coll: string,
  filter: Document,
  winningPlan: Document,
): Document {
  return {
    namespace: `${request.db}.${coll}`,
    indexFilterSet: false,
    parsedQuery: parsedQuery(filter),
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan,
    rejectedPlans: [],
  };
}

function executionStats(explained: Explained, verbosity: Verbosity): Document {
  return {
    executionSuccess: true,
    nReturned: explained.nReturned,
    executionTimeMillis: explained.millis,
    totalKeysExamined: explained.scan.keysExamined,
    totalDocsExamined: explained.scan.docsExamined,
    executionStages: explained.wrap(withStats(explained.scan), true),
    ...(verbosity === 'allPlansExecution' ? { allPlansExecution: [] } : {}),
  };
}

/** The filter a command's scan uses, for `parsedQuery`. */
function filterOf(name: string, inner: Document): Document {
  if (name === 'find') return optionalDoc(inner, 'filter') ?? {};
  if (name === 'update') return optionalDoc(singleStatement(inner, 'updates'), 'q') ?? {};
  if (name === 'delete') return optionalDoc(singleStatement(inner, 'deletes'), 'q') ?? {};
  return optionalDoc(inner, 'query') ?? {};
}

export const explain: CommandHandler = async (request, engine) => {
  if (request.txn)
    throw errors.operationNotSupportedInTransaction(
      "Cannot run 'explain' in a multi-document transaction.",
    );
  const inner = request.command.explain;
  if (!isPlainObject(inner))
    throw errors.typeMismatch(
      `BSON field 'explain.explain' is the wrong type '${typeof inner}', expected type 'object'`,
    );
  const verbosity = (request.command.verbosity ?? 'allPlansExecution') as Verbosity;
  if (!VERBOSITIES.includes(verbosity))
    throw errors.badValue(
      `Enumeration value '${String(verbosity)}' for field 'verbosity' is not a valid value.`,
    );
  const name = Object.keys(inner)[0];
  if (name === undefined) throw errors.failedToParse('explain command requires a nested object');
  const target: unknown = inner[name];
  // A read may not override a view's collation (167), explained or not.
  if (['find', 'count', 'distinct', 'aggregate'].includes(name) && typeof target === 'string')
    effectiveCollation(engine, request.db, target, inner.collation);
  const resolved = viewAsAggregate(engine.catalog, request.db, name, inner);
  if (resolved)
    return explainAggregate(request, engine, resolved, verbosity, { ...resolved, $db: request.db });
  const command = { ...inner, $db: request.db };
  if (name === 'aggregate') return explainAggregate(request, engine, inner, verbosity, command);
  const explainer = Object.hasOwn(EXPLAINERS, name) ? EXPLAINERS[name] : undefined;
  if (!explainer)
    throw new EngineError(
      115,
      'CommandNotSupported',
      `Explain is not supported for '${name}' by the embedded engine (supported: find, aggregate, count, distinct, update, delete)`,
    );
  const explained = await explainer(request, engine, inner);
  const reply: Document = {
    explainVersion: '1',
    queryPlanner: queryPlanner(
      request,
      collectionOf(inner, name),
      filterOf(name, inner),
      explained.wrap(explained.scan.stage, false),
    ),
  };
  if (verbosity !== 'queryPlanner') reply.executionStats = executionStats(explained, verbosity);
  return { ...reply, command, serverInfo: serverInfo(engine), ok: 1 };
};

/**
 * aggregate: a leading `$match` is the query the storage layer plans; a
 * pipeline of nothing else is explained like a find, the rest as MongoDB does,
 * a `$cursor` stage followed by the remaining stages (with the documents each
 * returned, in executionStats).
 */
function explainAggregate(
  request: CommandRequest,
  engine: EngineState,
  inner: Document,
  verbosity: Verbosity,
  command: Document,
): Document {
  const target = collectionOf(inner, 'aggregate');
  const pipeline = inner.pipeline;
  if (!Array.isArray(pipeline)) throw errors.typeMismatch("'pipeline' must be an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
      throw errors.failedToParse(
        'A pipeline stage specification object must contain exactly one field.',
      );
    const stageName = Object.keys(stage)[0];
    if (!isKnownStage(stageName))
      throw new EngineError(
        40324,
        'Location40324',
        `Unrecognized pipeline stage name: '${stageName}'`,
      );
  }
  const stages = [...(pipeline as Document[])];
  const match =
    stages[0] && isPlainObject(stages[0].$match) ? (stages.shift()!.$match as Document) : {};
  const coll = engine.catalog.collection(request.db, target);
  const evaluation = evaluationFor(
    { ...request, command: inner },
    engine,
    target,
    inner.collation,
    commandVariables({ ...request, command: inner }),
  );
  const [scan, millis] = timed(() => scanFor(coll, match, evaluation.collation ?? null));
  const resolver = (name: string) => request.view.find(request.db, name, undefined).map(cloneDoc);
  let docs = scan.matched.map(cloneDoc);
  const perStage: Document[] = [];
  for (const stage of stages) {
    const stageName = Object.keys(stage)[0];
    const runnable = !['$out', '$merge'].includes(stageName);
    if (verbosity === 'queryPlanner' || !runnable) {
      perStage.push(stage);
      continue;
    }
    let stageMillis: number;
    try {
      [docs, stageMillis] = timed(() =>
        runPipeline([stage], docs, evaluation, { collectionResolver: resolver }),
      );
    } catch (err) {
      throw toEngineError(err);
    }
    perStage.push({
      ...stage,
      nReturned: Long.fromNumber(docs.length),
      executionTimeMillisEstimate: Long.fromNumber(stageMillis),
    });
  }
  const explained: Explained = { wrap: (s) => s, scan, nReturned: scan.matched.length, millis };
  const planner = queryPlanner(request, target, match, scan.stage);
  const cursorStage: Document = { queryPlanner: planner };
  if (verbosity !== 'queryPlanner')
    cursorStage.executionStats = executionStats(explained, verbosity);
  const tail = { command, serverInfo: serverInfo(engine), ok: 1 };
  if (stages.length === 0) return { explainVersion: '1', ...cursorStage, ...tail };
  const cursor: Document = { $cursor: cursorStage };
  if (verbosity !== 'queryPlanner') {
    cursor.nReturned = Long.fromNumber(scan.matched.length);
    cursor.executionTimeMillisEstimate = Long.fromNumber(millis);
  }
  return { explainVersion: '1', stages: [cursor, ...perStage], ...tail };
}
