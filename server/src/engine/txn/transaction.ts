/**
 * Logical sessions and their transactions. A transaction reads the catalog as of
 * the commit sequence it started at (snapshot isolation) plus its own staged
 * writes, and holds a write lock per document it touches: a second writer gets
 * WriteConflict with the TransientTransactionError label, which the driver's
 * withTransaction() answers by retrying.
 */
import { randomUUID } from 'node:crypto';
import type { Document, Timestamp } from 'bson';
import { EngineError, errors } from '../errors.js';
import { validateNamespace, type Catalog, type WriteOp } from '../storage/catalog.js';
import { Collection, type Doc } from '../storage/collection.js';
import { sessionKey, SESSION_TIMEOUT_MS } from '../storage/retry-table.js';

export const TRANSACTION_LIFETIME_MS = 60_000;

export class Transaction {
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** Staged writes per namespace: idKey -> the document as this transaction sees it (null = deleted). */
  readonly staged = new Map<string, Map<string, Doc | null>>();
  readonly ops: WriteOp[] = [];
  readonly startedAt = Date.now();
  readonly lockKeys = new Set<string>();
  /**
   * Collections this transaction created (explicitly or by a first insert), with
   * their indexes: nobody else sees them until commit, and abort forgets them,
   * as in MongoDB 7.0. They hold no documents; those stay in `staged`.
   */
  readonly createdCollections = new Map<string, Collection>();
  released = false;

  /** The commit sequence its reads see: `snapshot`, or an earlier one for `atClusterTime`. */
  readonly readSeq: number;

  constructor(
    readonly lsid: Document,
    readonly txnNumber: number,
    /** The catalog snapshot held open for it (released at commit or abort). */
    readonly snapshot: number,
    /** `readConcern: { level: 'snapshot', atClusterTime }`: reads rebuilt from the catalog's history. */
    readonly readAt: { ts: Timestamp; seq: number } | null = null,
  ) {
    this.readSeq = readAt ? Math.min(readAt.seq, snapshot) : snapshot;
  }

  /** Whether its reads come from before its snapshot (so from the catalog's history). */
  get readsPast(): boolean {
    return this.readSeq < this.snapshot;
  }

  /** Starts a collection that exists only inside this transaction until commit. */
  createCollection(db: string, name: string, options: Document): Collection {
    validateNamespace(db, name);
    const coll = new Collection(
      db,
      name,
      options,
      Buffer.from(randomUUID().replace(/-/g, ''), 'hex'),
    );
    this.createdCollections.set(coll.ns, coll);
    return coll;
  }

  stagedIn(ns: string): Map<string, Doc | null> {
    let map = this.staged.get(ns);
    if (!map) this.staged.set(ns, (map = new Map()));
    return map;
  }
}

interface SessionState {
  lsid: Document;
  txnNumber: number;
  txn: Transaction | null;
  lastUsed: number;
}

/** Owns every session's transaction, the per-document locks between them, and their commit. */
export class TransactionManager {
  private sessions = new Map<string, SessionState>();
  /** `ns\0idKey` -> the transaction holding the write lock. */
  private locks = new Map<string, Transaction>();

  constructor(private catalog: Catalog) {}

  /** Resolves the transaction a command belongs to, starting one when asked; throws 251 for dead ones. */
  forCommand(command: Document, readAt: Transaction['readAt'] = null): Transaction | null {
    if (command.autocommit !== false || !command.lsid) return null;
    const key = sessionKey(command.lsid as Document);
    const txnNumber = Number(command.txnNumber);
    let session = this.sessions.get(key);
    if (!session) {
      session = { lsid: command.lsid as Document, txnNumber: -1, txn: null, lastUsed: Date.now() };
      this.sessions.set(key, session);
    }
    session.lastUsed = Date.now();
    if (command.startTransaction === true) {
      const retried = this.catalog.retries.get(session.lsid)?.txnNumber ?? -1;
      if (txnNumber < session.txnNumber || txnNumber < retried) {
        const newer = retried > session.txnNumber ? 'retryable write' : 'transaction';
        throw errors.transactionTooOld(
          `Cannot start transaction ${txnNumber} on session ${key} because a newer ${newer} with txnNumber ${Math.max(session.txnNumber, retried)} has already started on this session.`,
        );
      }
      // mongod starts a transaction at the session's active txnNumber only in a sharded cluster.
      if (txnNumber === session.txnNumber || txnNumber === retried)
        throw new EngineError(
          117,
          'ConflictingOperationInProgress',
          'Only servers in a sharded cluster can start a new transaction at the active transaction number',
        );
      if (session.txn?.state === 'active') this.abort(session.txn);
      session.txnNumber = txnNumber;
      const snapshot = this.catalog.openSnapshot();
      session.txn = new Transaction(session.lsid, txnNumber, snapshot, readAt);
      return session.txn;
    }
    this.assertNotSuperseded(session.lsid, txnNumber);
    const txn = session.txn;
    if (!txn || txn.txnNumber !== txnNumber || txn.state === 'aborted')
      throw errors.noSuchTransaction(txnNumber);
    return txn;
  }

  /**
   * A retryable write with a higher txnNumber started on the session: like mongod,
   * it aborts the session's open transaction (whose later commands get 225).
   */
  supersede(lsid: Document, txnNumber: number): void {
    const txn = this.sessions.get(sessionKey(lsid))?.txn;
    if (txn?.state === 'active' && txn.txnNumber < txnNumber) this.abort(txn);
  }

  /** TransactionTooOld for a transaction's command once a newer retryable write started on its session. */
  private assertNotSuperseded(lsid: Document, txnNumber: number): void {
    const retried = this.catalog.retries.get(lsid)?.txnNumber ?? -1;
    if (txnNumber < retried)
      throw errors.transactionTooOld(
        `Cannot start transaction ${txnNumber} on session ${sessionKey(lsid)} because a newer retryable write with txnNumber ${retried} has already started on this session.`,
      );
  }

  /** For commitTransaction/abortTransaction, which may also target an already finished transaction. */
  find(command: Document): Transaction | null {
    if (!command.lsid) return null;
    this.assertNotSuperseded(command.lsid as Document, Number(command.txnNumber));
    const session = this.sessions.get(sessionKey(command.lsid as Document));
    const txn = session?.txn;
    return txn && txn.txnNumber === Number(command.txnNumber) ? txn : null;
  }

  /** Takes the write lock on one document for `txn`, or fails the statement with WriteConflict. */
  lock(txn: Transaction, ns: string, idKey: string): void {
    const key = `${ns}\0${idKey}`;
    const holder = this.locks.get(key);
    if (holder && holder !== txn) throw errors.writeConflict();
    if (this.writtenSince(txn, ns, idKey)) throw errors.writeConflict();
    this.locks.set(key, txn);
    txn.lockKeys.add(key);
  }

  commit(txn: Transaction): void {
    if (txn.state === 'committed') return;
    if (txn.state === 'aborted') throw errors.noSuchTransaction(txn.txnNumber);
    try {
      // A non-transactional write may have touched a locked document since the snapshot.
      for (const op of txn.ops)
        if (this.writtenSince(txn, `${op.db}.${op.coll}`, op.idKey)) throw errors.writeConflict();
      this.createCollections(txn);
      if (txn.ops.length > 0)
        this.catalog.commit(txn.ops, { lsid: txn.lsid, txnNumber: txn.txnNumber });
      txn.state = 'committed';
    } catch (err) {
      this.abort(txn);
      throw err;
    } finally {
      this.release(txn);
    }
  }

  /** Whether someone committed a write to the document after the transaction's reads were taken. */
  private writtenSince(txn: Transaction, ns: string, idKey: string): boolean {
    const version = this.catalog.collection(...splitNs(ns))?.versions.get(idKey);
    if (version !== undefined && version > txn.readSeq) return true;
    // Reading the past: a document deleted before the transaction began may have lost its tombstone.
    return txn.readsPast && this.catalog.history.writtenAfter(ns, idKey, txn.readSeq);
  }

  /** Makes the collections and indexes the transaction created real, before its documents land in them. */
  private createCollections(txn: Transaction): void {
    const created = [...txn.createdCollections.values()];
    // Someone outside the transaction created the same collection meanwhile: MongoDB reports a conflict.
    if (created.some((coll) => this.catalog.collection(coll.db, coll.name)))
      throw errors.writeConflict();
    for (const coll of created) {
      this.catalog.ensureCollection(coll.db, coll.name, coll.options);
      for (const index of coll.indexes.values())
        this.catalog.createIndex(coll.db, coll.name, index.spec);
    }
  }

  /** Aborts (idempotently) and releases the transaction's locks and snapshot. */
  abort(txn: Transaction): void {
    if (txn.state === 'committed') return;
    txn.state = 'aborted';
    this.release(txn);
  }

  /** Aborts transactions of ended sessions. */
  endSessions(lsids: Document[]): void {
    for (const lsid of lsids) {
      const key = sessionKey(lsid);
      const session = this.sessions.get(key);
      if (session?.txn) this.abort(session.txn);
      this.sessions.delete(key);
    }
  }

  /** Aborts transactions older than the lifetime limit and forgets idle sessions (and their retryable writes). */
  sweep(now = Date.now()): void {
    this.catalog.retries.sweep(now);
    for (const [key, session] of this.sessions) {
      if (session.txn?.state === 'active' && now - session.txn.startedAt > TRANSACTION_LIFETIME_MS)
        this.abort(session.txn);
      if (now - session.lastUsed > SESSION_TIMEOUT_MS) {
        if (session.txn) this.abort(session.txn);
        this.sessions.delete(key);
      }
    }
  }

  /** The highest txnNumber a transaction of this session used (-1 if none). */
  txnNumberOf(lsid: Document): number {
    return this.sessions.get(sessionKey(lsid))?.txnNumber ?? -1;
  }

  get activeCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.txn?.state === 'active') count++;
    return count;
  }

  /** The transactions still open (for `$currentOp`'s idle sessions). */
  *active(): Iterable<Transaction> {
    for (const session of this.sessions.values())
      if (session.txn?.state === 'active') yield session.txn;
  }

  private release(txn: Transaction): void {
    if (txn.released) return;
    txn.released = true;
    for (const key of txn.lockKeys) if (this.locks.get(key) === txn) this.locks.delete(key);
    this.catalog.closeSnapshot(txn.snapshot);
  }
}

export { sessionKey };

export function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}
