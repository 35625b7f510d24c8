/**
 * Snapshot reads outside transactions: `readConcern: { level: 'snapshot' }`
 * on find, aggregate and distinct, optionally `atClusterTime`. The read sees
 * the committed state as of that time (the latest one when no time is given),
 * rebuilt from the catalog's recent history, and the reply names the time it
 * read at (`cursor.atClusterTime`, or top-level for distinct) so that a
 * snapshot session's later reads use the same one. A transaction started with
 * `atClusterTime` reads the same history (transactionReadAt; txn/views.ts).
 */
import { Timestamp, type Document } from 'bson';
import { errors } from '../errors.js';
import type { Catalog, WriteOp } from '../storage/catalog.js';
import type { Collection, Doc } from '../storage/collection.js';
import type { IndexSpec } from '../storage/secondary-index.js';
import type { EvalOptions } from '../query/mingo-context.js';
import { showTs } from '../storage/history.js';
import { compileFilter } from '../query/matcher.js';
import { isPlainObject } from '../query/update.js';
import { findThroughView, type DataView } from './views.js';

/** Commands mongod runs with snapshot read concern outside a transaction. */
const SNAPSHOT_COMMANDS = new Set(['find', 'aggregate', 'distinct']);
/** Commands that carry a readConcern but never read data at a point in time. */
const IGNORES_READ_CONCERN = new Set(['getMore', 'killCursors', 'endSessions']);

export interface SnapshotRead {
  ts: Timestamp;
  seq: number;
}

/** Reads of one snapshot: every collection as of commit `seq`. */
export class SnapshotView implements DataView {
  readonly txn = null;
  constructor(
    private catalog: Catalog,
    private snapshot: SnapshotRead,
  ) {}

  find(db: string, coll: string, filter: Document | undefined, options: EvalOptions = {}): Doc[] {
    const viewed = findThroughView(this, this.catalog, db, coll, filter, options);
    if (viewed) return viewed;
    const ns = `${db}.${coll}`;
    this.catalog.history.assertStable(ns, this.snapshot.ts);
    const collection = this.catalog.collection(db, coll);
    const keys = new Set<string>(collection ? collection.docs.keys() : []);
    for (const key of this.catalog.history.changedSince(ns, this.snapshot.seq)) keys.add(key);
    const matches = compileFilter(filter, options);
    const out: Doc[] = [];
    for (const key of keys) {
      const doc = this.get(db, coll, key);
      if (doc && matches(doc)) out.push(doc);
    }
    return out;
  }

  get(db: string, coll: string, idKey: string): Doc | null {
    const current = this.catalog.collection(db, coll)?.docs.get(idKey) ?? null;
    return this.catalog.history.versionAt(`${db}.${coll}`, idKey, this.snapshot.seq, current);
  }

  write(_op: WriteOp): void {
    throw errors.invalidOptions('a snapshot read cannot write');
  }

  collection(db: string, name: string): Collection | undefined {
    return this.catalog.collection(db, name);
  }

  createCollection(_db: string, _name: string, _options: Document): Collection {
    throw errors.invalidOptions('a snapshot read cannot create a collection');
  }

  createIndex(_db: string, _name: string, _spec: IndexSpec): void {
    throw errors.invalidOptions('a snapshot read cannot create an index');
  }
}

/**
 * The snapshot a command reads at, or null when it does not ask for one.
 * Refuses what mongod refuses: snapshot on other commands, atClusterTime
 * without snapshot, a time in the future, one older than the history kept.
 */
export function snapshotFor(
  catalog: Catalog,
  name: string,
  command: Document,
  inTransaction: boolean,
): SnapshotRead | null {
  const readConcern = command.readConcern;
  if (!isPlainObject(readConcern) || IGNORES_READ_CONCERN.has(name)) return null;
  const { level, atClusterTime } = readConcern;
  if (atClusterTime !== undefined && level !== 'snapshot')
    throw errors.invalidOptions("readConcern 'atClusterTime' is only valid with level 'snapshot'");
  // A transaction's snapshot, with or without atClusterTime, is the transaction's own (transactionReadAt).
  if (level !== 'snapshot' || inTransaction) return null;
  if (!SNAPSHOT_COMMANDS.has(name))
    throw errors.invalidOptions(
      `Command ${name} does not support { readConcern: { level: "snapshot" } }`,
    );
  if (name === 'aggregate' && Array.isArray(command.pipeline)) {
    for (const stage of command.pipeline as unknown[]) {
      const stageName = isPlainObject(stage) ? Object.keys(stage)[0] : '';
      if (['$out', '$merge', '$changeStream'].includes(stageName))
        throw errors.invalidOptions(`${stageName} is not supported with readConcern snapshot`);
    }
  }
  if (atClusterTime === undefined) return { ts: catalog.clusterTime, seq: catalog.seq };
  return readPoint(catalog, atClusterTime);
}

/**
 * The time a transaction reads at when its first command asks for
 * `readConcern: { level: 'snapshot', atClusterTime }` (null without one): its
 * reads are rebuilt from the catalog's history as of that time, with the same
 * refusals as a snapshot read (a future time, one older than the history kept).
 */
export function transactionReadAt(catalog: Catalog, command: Document): SnapshotRead | null {
  const readConcern = command.readConcern;
  if (command.startTransaction !== true || !isPlainObject(readConcern)) return null;
  if (readConcern.level !== 'snapshot' || readConcern.atClusterTime === undefined) return null;
  return readPoint(catalog, readConcern.atClusterTime);
}

function readPoint(catalog: Catalog, atClusterTime: unknown): SnapshotRead {
  if (!(atClusterTime instanceof Timestamp))
    throw errors.typeMismatch("readConcern 'atClusterTime' must be a Timestamp");
  if (atClusterTime.high === 0)
    throw errors.invalidOptions(
      `readConcern atClusterTime value must not be null or have zero seconds: ${showTs(atClusterTime)}`,
    );
  const latest = catalog.clusterTime;
  if (atClusterTime.compare(latest) > 0)
    throw errors.invalidOptions(
      `readConcern atClusterTime value must not be greater than the current clusterTime. Requested clusterTime: ${showTs(atClusterTime)}; current clusterTime: ${showTs(latest)}`,
    );
  return { ts: atClusterTime, seq: catalog.history.seqAt(atClusterTime, catalog.seq) };
}

/** Names the time a snapshot read used, where drivers look for it. */
export function stampSnapshotReply(reply: Document, snapshot: SnapshotRead): void {
  if (reply.ok !== 1) return;
  if (isPlainObject(reply.cursor)) reply.cursor.atClusterTime = snapshot.ts;
  else reply.atClusterTime = snapshot.ts;
}
