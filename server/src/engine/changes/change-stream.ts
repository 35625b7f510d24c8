/**
 * Change streams over the event log: opening (with resumeAfter, startAfter or
 * startAtOperationTime), shaping events as mongod does, running the stages that
 * follow `$changeStream`, and getMore that waits for new events without blocking
 * the event loop.
 */
import { Long, Timestamp, type Document } from 'bson';
import { EngineError, errors, toEngineError } from '../errors.js';
import { compileFilter, type Matcher } from '../query/matcher.js';
import { runPipeline, type EvalOptions } from '../query/mingo-context.js';
import { optionalCollation } from '../query/collation.js';
import { toVariableError } from '../query/let-variables.js';
import { cloneDoc, isPlainObject } from '../query/update.js';
import { isKnownStage } from '../query/stages.js';
import { valueKey } from '../storage/bson-order.js';
import type { CommandRequest, EngineState } from '../commands/context.js';
import type { StreamCursor } from '../cursors.js';
import { isExpandedOnly, type ChangeEvent, type EventLog } from './event-log.js';
import { shapeEvent, type ShapeOptions } from './shape-event.js';

const ALLOWED_STAGES = new Set([
  '$match',
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
  '$redact',
  '$changeStreamSplitLargeEvent',
]);
const DEFAULT_AWAIT_MS = 1000;
const SCAN_CHUNK = 1000;

interface Scope {
  db?: string;
  coll?: string;
}

/** A token is monotone hex: cluster time, event seq, and a flag for invalidate events. */
export function encodeToken(ts: Timestamp, seq: number, invalidate = false): Document {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  return { _data: hex(ts.high, 8) + hex(ts.low, 8) + hex(seq, 16) + (invalidate ? '01' : '00') };
}

export function decodeToken(token: unknown): { seq: number; invalidate: boolean } {
  const data = isPlainObject(token) ? token._data : undefined;
  if (typeof data !== 'string' || !/^[0-9a-f]{34}$/.test(data)) {
    throw errors.historyLost('the resume token was not found or is not a token this server issued');
  }
  return { seq: parseInt(data.slice(16, 32), 16), invalidate: data.endsWith('01') };
}

export class ChangeStreamCursor {
  private readonly abort = new AbortController();
  invalidated = false;
  /**
   * The pipeline's leading `$match` stages, compiled once for the stream's
   * life (every stream sees every event of its scope: compiling per event
   * cost more than the test), and the stages after them, if any.
   */
  readonly filters: Matcher[];
  readonly rest: Document[];

  /**
   * `evaluation` is the stream's collation (the command's, else the simple
   * one) under which its stages run, as every other pipeline does
   * (`$jsonSchema`, MongoDB's ordering for `$min`/`$max`...).
   */
  constructor(
    public position: number,
    readonly scope: Scope,
    readonly options: ShapeOptions,
    readonly stages: Document[],
    readonly evaluation: EvalOptions = {},
  ) {
    const leading = stages.findIndex((stage) => !('$match' in stage));
    const matches = leading === -1 ? stages : stages.slice(0, leading);
    this.filters = matches.map((stage) => compileFilter(stage.$match, evaluation));
    this.rest = stages.slice(matches.length);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  close(): void {
    this.abort.abort();
  }

  matches(event: ChangeEvent): boolean {
    if (!this.options.showExpandedEvents && isExpandedOnly(event)) return false;
    if (this.scope.db === undefined) return !['admin', 'config', 'local'].includes(event.db);
    if (event.to && this.isScope(event.to.db, event.to.coll)) return true;
    return this.isScope(event.db, event.coll);
  }

  private isScope(db: string, coll: string | undefined): boolean {
    if (db !== this.scope.db) return false;
    return this.scope.coll === undefined || coll === undefined || coll === this.scope.coll;
  }

  /** Whether `event` ends this stream (dropping or renaming its collection, dropping its database). */
  invalidatedBy(event: ChangeEvent): boolean {
    if (this.scope.db === undefined) return false;
    if (this.scope.coll === undefined) return event.op === 'dropDatabase';
    return event.op === 'drop' || event.op === 'rename' || event.op === 'dropDatabase';
  }
}

function parseOptions(spec: unknown): Document {
  if (!isPlainObject(spec)) throw errors.typeMismatch('$changeStream must be an object');
  const fullDocument = spec.fullDocument ?? 'default';
  if (!['default', 'updateLookup', 'whenAvailable', 'required'].includes(fullDocument as string)) {
    throw errors.badValue(
      `Enumeration value '${String(fullDocument)}' for field '$changeStream.fullDocument' is not a valid value.`,
    );
  }
  const before = spec.fullDocumentBeforeChange ?? 'off';
  if (!['off', 'whenAvailable', 'required'].includes(before as string)) {
    throw errors.badValue(
      `Enumeration value '${String(before)}' for field '$changeStream.fullDocumentBeforeChange' is not a valid value.`,
    );
  }
  const expanded = spec.showExpandedEvents ?? false;
  if (typeof expanded !== 'boolean')
    throw errors.typeMismatch("BSON field '$changeStream.showExpandedEvents' must be a boolean");
  return { ...spec, fullDocument, fullDocumentBeforeChange: before, showExpandedEvents: expanded };
}

/** Refuses stages mongod refuses after $changeStream: unknown ones (40324), and those not allowed there. */
function checkStages(stages: Document[]): void {
  for (const stage of stages) {
    const name = Object.keys(stage)[0];
    if (name === '$changeStream')
      throw new EngineError(
        40602,
        'Location40602',
        '$changeStream is only valid as the first stage in a pipeline.',
      );
    if (!isKnownStage(name) && name !== '$changeStreamSplitLargeEvent')
      throw new EngineError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);
    if (!ALLOWED_STAGES.has(name))
      throw new EngineError(
        20,
        'IllegalOperation',
        `${name} is not permitted in a $changeStream pipeline`,
      );
  }
}

/** aggregate with a leading $changeStream: registers a stream cursor positioned as asked. */
export function openChangeStream(
  request: CommandRequest,
  engine: EngineState,
  pipeline: Document[],
): Document {
  if (request.txn)
    throw errors.operationNotSupportedInTransaction(
      '$changeStream is not allowed in a transaction',
    );
  const options = parseOptions(pipeline[0].$changeStream);
  const stages = pipeline.slice(1).filter((stage) => !('$changeStreamSplitLargeEvent' in stage));
  checkStages(pipeline.slice(1));
  const target = request.command.aggregate;
  let scope: Scope;
  if (typeof target === 'string') scope = { db: request.db, coll: target };
  else if (options.allChangesForCluster === true) {
    if (request.db !== 'admin')
      throw errors.badValue('allChangesForCluster requires the admin database');
    scope = {};
  } else scope = { db: request.db };

  const events = engine.events;
  let position = events.latest;
  const token = options.startAfter ?? options.resumeAfter;
  if (token !== undefined) {
    const decoded = decodeToken(token);
    if (decoded.invalidate && options.resumeAfter !== undefined) {
      throw errors.invalidOptions(
        'cannot resume a stream after an invalidate event; use startAfter',
      );
    }
    position = decoded.seq;
    if (!events.canResumeFrom(position))
      throw errors.historyLost('resume point may no longer be in the oplog');
  } else if (options.startAtOperationTime !== undefined) {
    if (!(options.startAtOperationTime instanceof Timestamp))
      throw errors.typeMismatch('startAtOperationTime must be a Timestamp');
    const found = events.positionBefore(options.startAtOperationTime);
    if (found === null) throw errors.historyLost('resume point may no longer be in the oplog');
    position = found;
  }
  const stream = new ChangeStreamCursor(
    position,
    scope,
    {
      fullDocument: options.fullDocument as string,
      fullDocumentBeforeChange: options.fullDocumentBeforeChange as string,
      showExpandedEvents: options.showExpandedEvents as boolean,
    },
    stages,
    { collation: optionalCollation(request.command.collation) ?? null },
  );
  const ns = scope.coll ? `${scope.db}.${scope.coll}` : `${scope.db ?? 'admin'}.$cmd.aggregate`;
  const id = engine.cursors.open({
    kind: 'changeStream',
    ns,
    stream,
    lastUsed: Date.now(),
    owner: request.connectionId,
  });
  return {
    cursor: { firstBatch: [], postBatchResumeToken: resumeToken(events, engine, position), id, ns },
    ok: 1,
  };
}

function resumeToken(events: EventLog, engine: EngineState, position: number): Document {
  return encodeToken(events.get(position)?.ts ?? engine.catalog.clusterTime, position);
}

function applyStages(stream: ChangeStreamCursor, doc: Document): Document[] {
  // A test neither changes the event nor keeps it: no copy is needed until a later stage might.
  try {
    if (!stream.filters.every((filter) => filter(doc))) return [];
  } catch (err) {
    throw toEngineError(err);
  }
  if (stream.rest.length === 0) return [doc];
  let out: Document[];
  try {
    out = runPipeline(stream.rest, [cloneDoc(doc)], stream.evaluation);
  } catch (err) {
    const mapped = toVariableError(err);
    throw mapped === err ? toEngineError(err) : mapped;
  }
  for (const result of out) {
    if (result._id === undefined || valueKey(result._id) !== valueKey(doc._id)) {
      throw errors.changeStreamFatal(
        'Encountered an event whose _id field, which contains the resume token, was modified by the pipeline.',
      );
    }
  }
  return out;
}

/** Collects matching events after the stream's position, advancing it past everything examined. */
function collect(stream: ChangeStreamCursor, engine: EngineState, limit: number): Document[] {
  const batch: Document[] = [];
  while (batch.length < limit && !stream.invalidated) {
    const events = engine.events.after(stream.position, SCAN_CHUNK);
    if (events.length === 0) break;
    for (const event of events) {
      if (batch.length >= limit) break;
      stream.position = event.seq;
      if (!stream.matches(event)) continue;
      const shaped = shapeEvent(event, stream.options, engine.catalog, (e) =>
        encodeToken(e.ts, e.seq),
      );
      batch.push(...applyStages(stream, shaped));
      if (stream.invalidatedBy(event)) {
        stream.invalidated = true;
        batch.push({
          _id: encodeToken(event.ts, event.seq, true),
          operationType: 'invalidate',
          clusterTime: event.ts,
          wallTime: event.wallTime,
        });
        break;
      }
    }
  }
  return batch;
}

export async function changeStreamGetMore(
  cursor: StreamCursor,
  request: CommandRequest,
  engine: EngineState,
  batchSize: number | undefined,
  maxTimeMS: number | undefined,
): Promise<Document> {
  const stream = cursor.stream;
  const limit = batchSize && batchSize > 0 ? batchSize : 1000;
  const deadline = Date.now() + (maxTimeMS && maxTimeMS > 0 ? maxTimeMS : DEFAULT_AWAIT_MS);
  let batch: Document[];
  for (;;) {
    if (!engine.events.canResumeFrom(stream.position)) {
      engine.cursors.kill(request.command.getMore);
      throw errors.historyLost('the change stream fell behind the retained history');
    }
    batch = collect(stream, engine, limit);
    const remaining = deadline - Date.now();
    if (
      batch.length > 0 ||
      stream.invalidated ||
      remaining <= 0 ||
      stream.signal.aborted ||
      request.signal.aborted
    )
      break;
    await engine.events.wait(remaining, [stream.signal, request.signal]);
  }
  const token =
    stream.invalidated && batch.length > 0
      ? (batch[batch.length - 1]._id as Document)
      : resumeToken(engine.events, engine, stream.position);
  let id: Long | number = Long.fromValue(request.command.getMore as Long);
  if (stream.invalidated) {
    engine.cursors.kill(request.command.getMore);
    id = 0;
  }
  return {
    cursor: {
      nextBatch: batch,
      postBatchResumeToken: token,
      id: typeof id === 'number' ? Long.fromNumber(id) : id,
      ns: cursor.ns,
    },
    ok: 1,
  };
}
