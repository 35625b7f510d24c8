/**
 * Retryable writes: a write command sent with lsid + txnNumber outside a
 * transaction runs each statement at most once. A statement's result is
 * committed in the same journal record as its write (see Catalog.commit), so a
 * retry of the same txnNumber, even after a restart, answers the original result
 * without applying it again; statements that did not execute (a write error, or
 * a batch cut short) run on the retry. An older txnNumber is refused with 225.
 */
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import type { Catalog, WriteOp } from '../storage/catalog.js';
import { sessionKey } from '../storage/retry-table.js';
import { enforceValidator } from '../query/validation.js';
import type { DataView } from './views.js';
import type { TransactionManager } from './transaction.js';

export class RetryableWrite {
  /** Statements answered from the record instead of running (MongoDB's retriedStmtIds). */
  readonly retried: number[] = [];

  private constructor(
    private readonly catalog: Catalog,
    private readonly command: Document,
    readonly lsid: Document,
    readonly txnNumber: number,
    private readonly executed: ReadonlyMap<number, Document>,
  ) {}

  /**
   * The retryable write a command outside a transaction asks for, or null when it
   * carries no txnNumber. Refuses a txnNumber older than the session's newest.
   */
  static begin(
    command: Document,
    catalog: Catalog,
    txns: TransactionManager,
  ): RetryableWrite | null {
    if (command.txnNumber === undefined || command.txnNumber === null) return null;
    if (!isPlainObject(command.lsid))
      throw errors.invalidOptions('Transaction number requires a session ID to also be specified');
    const lsid = command.lsid;
    const txnNumber = Number(command.txnNumber);
    const held = catalog.retries.get(lsid);
    const retried = held?.txnNumber ?? -1;
    const transacted = txns.txnNumberOf(lsid);
    if (txnNumber < Math.max(retried, transacted)) {
      const newer = transacted > retried ? 'transaction' : 'retryable write';
      throw errors.transactionTooOld(
        `Retryable write with txnNumber ${txnNumber} is prohibited on session ${sessionKey(lsid)} because a newer ${newer} with txnNumber ${Math.max(retried, transacted)} has already started on this session.`,
      );
    }
    if (held?.txnNumber === txnNumber)
      return new RetryableWrite(catalog, command, lsid, txnNumber, held.results);
    catalog.retries.advance(lsid, txnNumber);
    const executed = new Map<number, Document>();
    return new RetryableWrite(catalog, command, lsid, txnNumber, executed);
  }

  /** The statement id of the index-th statement: explicit `stmtIds`, else counted from `stmtId` (0). */
  stmtId(index: number): number {
    const ids = this.command.stmtIds as unknown;
    if (Array.isArray(ids) && ids[index] !== undefined) return Number(ids[index]);
    const first = this.command.stmtId === undefined ? 0 : Number(this.command.stmtId);
    return first + index;
  }

  /**
   * Runs one statement at most once: a statement this txnNumber already executed
   * answers its recorded result; otherwise `body` runs against a view that holds
   * its writes back, and they commit together with the result it returns.
   */
  run(view: DataView, index: number, body: (view: DataView) => Document): Document {
    const stmtId = this.stmtId(index);
    const recorded = this.executed.get(stmtId);
    if (recorded) {
      this.retried.push(stmtId);
      return recorded;
    }
    const statement = new StatementView(view);
    const result = body(statement);
    this.catalog.commit(statement.ops, {
      retry: { lsid: this.lsid, txnNumber: this.txnNumber, stmtId, result },
    });
    return result;
  }
}

/**
 * The committed view with writes held back until the statement ends, so they
 * reach the catalog in one commit with the statement's record. A statement reads
 * before it writes and never reads its own write, so holding them back is safe.
 */
class StatementView implements DataView {
  readonly txn = null;
  readonly ops: WriteOp[] = [];

  constructor(private readonly base: DataView) {}

  find: DataView['find'] = (...args) => this.base.find(...args);
  get: DataView['get'] = (...args) => this.base.get(...args);
  collection: DataView['collection'] = (...args) => this.base.collection(...args);
  createCollection: DataView['createCollection'] = (...args) => this.base.createCollection(...args);
  createIndex: DataView['createIndex'] = (...args) => this.base.createIndex(...args);

  write(op: WriteOp): void {
    // Refused now, like a write through the committed view, not at the commit that follows.
    const options = this.base.collection(op.db, op.coll)?.options;
    if (options && !op.bypassValidation) enforceValidator(options, op.before, op.after);
    this.ops.push(op);
  }
}
