/**
 * The committed state of every database and the one road by which it changes:
 * `commit(ops)` applies a batch atomically (index checks first, nothing half
 * done), stamps it with a cluster time, queues it for the journal and appends its
 * change events. `flush()` makes queued records durable and only then wakes the
 * change streams, so nothing is observed before it would survive a crash.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp, type Document } from 'bson';
import { errors } from '../errors.js';
import type {
  ChangeEvent,
  EventLog,
  OperationType,
  UpdateDescription,
} from '../changes/event-log.js';
import { Collection, ID_INDEX, type Doc } from './collection.js';
import type { IndexSpec } from './secondary-index.js';
import type { Journal } from './journal.js';
import { encodeRecord, type JournalRecord, type RecordOp } from './records.js';
import { idKeyOf } from './bson-order.js';
import { RetryTable, type RetryRecord } from './retry-table.js';
import { SnapshotHistory } from './history.js';

export interface WriteOp {
  kind: 'insert' | 'update' | 'replace' | 'delete';
  db: string;
  coll: string;
  idKey: string;
  id: unknown;
  before: Doc | null;
  after: Doc | null;
  ud?: UpdateDescription;
  /** The command asked for bypassDocumentValidation (or the write is internal). */
  bypassValidation?: boolean;
}

export interface CommitMeta {
  /** The transaction's session and number (multi-document transactions only; change events carry them). */
  lsid?: Document;
  txnNumber?: unknown;
  /** A retryable write's statement, remembered in `retries` and journaled in the same record as its write. */
  retry?: RetryRecord;
}

/** Per-document images a running transaction's snapshot may still need. */
type PreImages = Map<string, Map<string, Array<{ seq: number; before: Doc | null }>>>;

export class Catalog {
  readonly dbs = new Map<string, Map<string, Collection>>();
  /** Executed retryable-write statements per session (MongoDB's config.transactions). */
  readonly retries = new RetryTable();
  /** Commit sequence: the snapshot a transaction reads at. */
  seq = 0;
  private lastTs = new Timestamp({ t: 0, i: 0 });
  private pending: Buffer[] = [];
  /** Something was committed since the last flush (change streams must be woken). */
  private dirty = false;
  private preImages: PreImages = new Map();
  /** Snapshots of live transactions (seq -> count); images are kept only while one is older than a commit. */
  private readonly liveSnapshots = new Map<number, number>();
  /** While replaying the journal: the record's own time, so events keep their original cluster times. */
  private replayClock: { ts: Timestamp; wall: Date } | null = null;

  /** Pre-images of recent commits, for snapshot reads at a cluster time. */
  readonly history = new SnapshotHistory(0, new Timestamp({ t: 0, i: 0 }));

  get replaying(): boolean {
    return this.replayClock !== null;
  }

  constructor(
    readonly events: EventLog,
    private journal: Journal | null,
  ) {}

  // ---- namespaces -------------------------------------------------------

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (and journaled) on first use like mongod's implicit creation. */
  ensureCollection(db: string, name: string, options: Document = {}): Collection {
    const existing = this.collection(db, name);
    if (existing) return existing;
    validateNamespace(db, name);
    const coll = new Collection(
      db,
      name,
      options,
      Buffer.from(randomUUID().replace(/-/g, ''), 'hex'),
    );
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    colls.set(name, coll);
    const desc =
      typeof options.viewOn === 'string' ? { ...options } : { ...options, idIndex: ID_INDEX };
    this.ddlEvent('create', db, name, { uuid: coll.uuid, desc });
    this.history.catalogChange(coll.ns, this.clusterTime);
    this.record([{ k: 'create', db, c: name, options, uuid: coll.uuid }]);
    return coll;
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    const coll = colls?.get(name);
    if (!colls || !coll) return false;
    colls.delete(name);
    if (colls.size === 0) this.dbs.delete(db);
    this.preImages.delete(`${db}.${name}`);
    const view = typeof coll.options.viewOn === 'string';
    this.ddlEvent('drop', db, name, view ? { view } : { uuid: coll.uuid });
    this.history.catalogChange(coll.ns, this.clusterTime);
    this.record([{ k: 'drop', db, c: name }]);
    return true;
  }

  /**
   * Moves a collection (documents, indexes, options, uuid) to a new name,
   * replacing an existing target when `dropTarget`; the caller has checked
   * that the source exists and that the target may be replaced.
   */
  renameCollection(db: string, name: string, toDb: string, toName: string): void {
    validateNamespace(toDb, toName);
    const coll = this.collection(db, name)!;
    const target = this.collection(toDb, toName);
    const colls = this.dbs.get(db)!;
    colls.delete(name);
    if (colls.size === 0) this.dbs.delete(db);
    const images = this.preImages.get(coll.ns);
    this.preImages.delete(coll.ns);
    this.preImages.delete(`${toDb}.${toName}`);
    coll.db = toDb;
    coll.name = toName;
    if (images) this.preImages.set(coll.ns, images);
    let toColls = this.dbs.get(toDb);
    if (!toColls) this.dbs.set(toDb, (toColls = new Map()));
    toColls.set(toName, coll);
    const desc: Document = { to: { db: toDb, coll: toName } };
    if (target) desc.dropTarget = target.uuid;
    this.ddlEvent('rename', db, name, { uuid: coll.uuid, desc, to: { db: toDb, coll: toName } });
    this.history.catalogChange(`${db}.${name}`, this.clusterTime);
    this.history.catalogChange(coll.ns, this.clusterTime);
    this.record([{ k: 'rename', db, c: name, toDb, toC: toName }]);
  }

  /**
   * Changes a collection's options (validator, pre/post images, a view's
   * definition) and/or one index's TTL, as collMod does; `change` describes
   * the change for the `modify` event.
   */
  modifyCollection(
    db: string,
    name: string,
    options: Document,
    index?: { name: string; expireAfterSeconds?: number; hidden?: boolean },
    change: Document = {},
  ): void {
    const coll = this.collection(db, name)!;
    const before: Document = { collectionOptions: coll.options };
    coll.options = options;
    if (index) {
      const found = coll.indexes.get(index.name)!;
      before.indexOptions = {
        ...(index.expireAfterSeconds !== undefined
          ? { expireAfterSeconds: found.spec.expireAfterSeconds }
          : {}),
        ...(index.hidden !== undefined ? { hidden: found.spec.hidden === true } : {}),
      };
      const spec = { ...found.spec };
      if (index.expireAfterSeconds !== undefined)
        spec.expireAfterSeconds = index.expireAfterSeconds;
      if (index.hidden !== undefined) {
        if (index.hidden) spec.hidden = true;
        else delete spec.hidden;
      }
      found.spec = spec;
    }
    this.ddlEvent('modify', db, name, { uuid: coll.uuid, desc: change, before });
    this.record([{ k: 'collMod', db, c: name, options, ...(index ? { index } : {}) }]);
  }

  dropDatabase(db: string): void {
    const colls = this.dbs.get(db);
    if (!colls && !this.replaying) return;
    for (const name of [...(colls?.keys() ?? [])]) this.dropCollection(db, name);
    this.ddlEvent('dropDatabase', db);
    this.record([{ k: 'dropDatabase', db }]);
  }

  createIndex(db: string, name: string, spec: IndexSpec): void {
    const coll = this.ensureCollection(db, name);
    coll.addIndex(spec);
    this.ddlEvent('createIndexes', db, name, { uuid: coll.uuid, desc: { indexes: [spec] } });
    this.record([{ k: 'createIndex', db, c: name, spec }]);
  }

  dropIndex(db: string, name: string, indexName: string): void {
    const coll = this.collection(db, name);
    if (!coll) throw errors.namespaceNotFound(`ns not found ${db}.${name}`);
    const spec = coll.indexes.get(indexName)?.spec;
    coll.dropIndex(indexName);
    this.ddlEvent('dropIndexes', db, name, { uuid: coll.uuid, desc: { indexes: [spec] } });
    this.record([{ k: 'dropIndex', db, c: name, name: indexName }]);
  }

  // ---- data --------------------------------------------------------------

  /**
   * Applies `ops` atomically; throws (changing nothing) on a duplicate key. A
   * retryable write's statement record (`meta.retry`) lands in the same journal
   * record, even when the statement wrote nothing (`ops` empty).
   */
  commit(ops: WriteOp[], meta: CommitMeta = {}): Timestamp {
    const applied: WriteOp[] = [];
    try {
      for (const op of ops) {
        this.ensureCollection(op.db, op.coll).write(op.idKey, op.before, op.after);
        applied.push(op);
      }
    } catch (err) {
      for (const op of applied.reverse())
        this.collection(op.db, op.coll)?.write(op.idKey, op.after, op.before);
      throw err;
    }
    const seq = ++this.seq;
    const ts = this.replayClock?.ts ?? this.tick();
    const keepImages = this.oldestSnapshot() !== undefined;
    const wallTime = this.replayClock?.wall ?? new Date();
    const history = this.replaying ? null : this.history;
    history?.commit(seq, ts);
    for (const op of ops) {
      const coll = this.collection(op.db, op.coll)!;
      coll.versions.set(op.idKey, seq);
      history?.record(seq, coll.ns, op.idKey, op.before);
      if (keepImages) this.keepPreImage(coll.ns, op.idKey, seq, op.before);
      const images = (coll.options.changeStreamPreAndPostImages as Document | undefined)?.enabled;
      this.events.append({
        ...(images === true && op.kind !== 'insert'
          ? { pre: op.before ?? undefined, post: op.after ?? undefined }
          : {}),
        ts,
        wallTime,
        op: op.kind,
        db: op.db,
        coll: op.coll,
        uuid: coll.uuid,
        id: op.id,
        ...(op.kind === 'insert' || op.kind === 'replace' ? { doc: op.after! } : {}),
        ...(op.ud ? { ud: op.ud } : {}),
        ...(meta.lsid ? { lsid: meta.lsid, txnNumber: meta.txnNumber } : {}),
      });
    }
    if (meta.retry) this.retries.note(meta.retry, wallTime.getTime());
    this.dirty = true;
    if (!this.replaying && this.journal) {
      const recordOps: RecordOp[] = ops.map((op) => ({
        k: op.kind,
        db: op.db,
        c: op.coll,
        id: op.id,
        ...(op.after ? { doc: op.after } : {}),
        ...(op.ud ? { ud: op.ud } : {}),
      }));
      this.pending.push(encodeRecord({ ts, wall: wallTime, ops: recordOps, ...meta }));
    }
    return ts;
  }

  /** The document as a snapshot taken at `snapshot` saw it. */
  versionAt(coll: Collection, idKey: string, snapshot: number): Doc | null {
    const version = coll.versions.get(idKey);
    if (version === undefined || version <= snapshot) return coll.docs.get(idKey) ?? null;
    const images = this.preImages.get(coll.ns)?.get(idKey);
    const image = images?.find((entry) => entry.seq > snapshot);
    return image ? image.before : null;
  }

  /** idKeys changed since some live snapshot (a transaction must examine them too). */
  changedKeys(ns: string): Iterable<string> {
    return this.preImages.get(ns)?.keys() ?? [];
  }

  // ---- transactions' snapshots -----------------------------------------

  openSnapshot(): number {
    this.liveSnapshots.set(this.seq, (this.liveSnapshots.get(this.seq) ?? 0) + 1);
    return this.seq;
  }

  closeSnapshot(snapshot: number): void {
    const count = (this.liveSnapshots.get(snapshot) ?? 1) - 1;
    if (count > 0) this.liveSnapshots.set(snapshot, count);
    else this.liveSnapshots.delete(snapshot);
    const oldest = this.oldestSnapshot();
    if (oldest === undefined) {
      this.preImages.clear();
      for (const colls of this.dbs.values())
        for (const coll of colls.values()) coll.pruneVersions(Infinity);
      return;
    }
    for (const images of this.preImages.values()) {
      for (const [key, list] of images) {
        const kept = list.filter((entry) => entry.seq > oldest);
        if (kept.length === 0) images.delete(key);
        else images.set(key, kept);
      }
    }
  }

  private oldestSnapshot(): number | undefined {
    let oldest: number | undefined;
    for (const snapshot of this.liveSnapshots.keys())
      if (oldest === undefined || snapshot < oldest) oldest = snapshot;
    return oldest;
  }

  private keepPreImage(ns: string, idKey: string, seq: number, before: Doc | null): void {
    let images = this.preImages.get(ns);
    if (!images) this.preImages.set(ns, (images = new Map()));
    const list = images.get(idKey);
    if (list) list.push({ seq, before });
    else images.set(idKey, [{ seq, before }]);
  }

  // ---- time, durability, notification -----------------------------------

  /** Starts journaling (after recovery has replayed what the journal held). */
  attachJournal(journal: Journal): void {
    this.journal = journal;
  }

  /** Next cluster time: seconds since the epoch with an increment, strictly increasing. */
  tick(): Timestamp {
    const now = Math.floor(Date.now() / 1000);
    const last = this.lastTs;
    this.lastTs =
      now > last.high
        ? new Timestamp({ t: now, i: 1 })
        : new Timestamp({ t: last.high, i: last.low + 1 });
    return this.lastTs;
  }

  /** The latest cluster time handed out (for operationTime and $clusterTime). */
  get clusterTime(): Timestamp {
    return this.lastTs.high === 0 ? this.tick() : this.lastTs;
  }

  /** Sets the clock forward after recovery so new times follow the recovered ones. */
  advanceClock(ts: Timestamp): void {
    if (ts.compare(this.lastTs) > 0) this.lastTs = ts;
  }

  /** Writes queued records to the journal, then tells waiting change streams. */
  flush(): void {
    if (this.pending.length > 0) {
      const records = this.pending;
      this.pending = [];
      this.journal?.appendMany(records);
    }
    if (this.dirty) {
      this.dirty = false;
      this.events.trim();
      this.events.notify();
    }
  }

  private record(ops: RecordOp[]): void {
    this.dirty = true;
    if (this.replaying || !this.journal) return;
    this.pending.push(encodeRecord({ ts: this.clusterTime, wall: new Date(), ops }));
  }

  private ddlEvent(
    op: OperationType,
    db: string,
    coll?: string,
    details: Pick<ChangeEvent, 'uuid' | 'desc' | 'to' | 'before' | 'view'> = {},
  ): void {
    const ts = this.replayClock?.ts ?? this.tick();
    const wallTime = this.replayClock?.wall ?? new Date();
    this.events.append({ ts, wallTime, op, db, ...(coll ? { coll } : {}), ...details });
  }

  /** Re-applies one journal record during recovery, reproducing its events and their sequence numbers. */
  replay(record: JournalRecord): void {
    this.replayClock = { ts: record.ts, wall: record.wall };
    this.advanceClock(record.ts);
    try {
      const data: WriteOp[] = [];
      for (const op of record.ops) {
        if (op.k === 'insert' || op.k === 'update' || op.k === 'replace' || op.k === 'delete') {
          const idKey = idKeyOf(op.id);
          const before = this.collection(op.db, op.c!)?.docs.get(idKey) ?? null;
          data.push({
            kind: op.k,
            db: op.db,
            coll: op.c!,
            idKey,
            id: op.id,
            before,
            after: op.doc ?? null,
            ud: op.ud,
          });
        } else if (op.k === 'create') this.ensureCollection(op.db, op.c!, op.options ?? {});
        else if (op.k === 'drop') this.dropCollection(op.db, op.c!);
        else if (op.k === 'dropDatabase') this.dropDatabase(op.db);
        else if (op.k === 'createIndex') this.createIndex(op.db, op.c!, op.spec!);
        else if (op.k === 'dropIndex') this.dropIndex(op.db, op.c!, op.name!);
        else if (op.k === 'rename') this.renameCollection(op.db, op.c!, op.toDb!, op.toC!);
        else if (op.k === 'collMod') this.modifyCollection(op.db, op.c!, op.options!, op.index);
      }
      if (data.length > 0 || record.retry)
        this.commit(data, { lsid: record.lsid, txnNumber: record.txnNumber, retry: record.retry });
    } finally {
      this.replayClock = null;
    }
  }
}

/** Refuses database and collection names MongoDB refuses (InvalidNamespace). */
export function validateNamespace(db: string, name: string): void {
  if (!db || /[/\\. "$\0]/.test(db))
    throw errors.invalidNamespace(`Invalid database name: '${db}'`);
  if (
    !name ||
    name.includes('$') ||
    name.includes('\0') ||
    name.startsWith('.') ||
    name.startsWith('system.')
  ) {
    throw errors.invalidNamespace(`Invalid collection name: '${name}'`);
  }
}
