/**
 * Retryable writes: a write command sent with lsid + txnNumber outside a
 * transaction runs each statement at most once. A statement's result is
 * committed in the same journal record as its write (see Catalog.commit), so a
 * retry of the same txnNumber, even after a restart, answers the original result
 * without applying it again; statements that did not execute (a write error, or
 * a batch cut short) run on the retry. An older txnNumber is refused with 225.
 * A retry is matched to the record by stmtId alone, as in mongod: when the
 * recorded statement belonged to another command, the answer is what mongod
 * derives from the kind of write it made (retry-answers.ts), never the other
 * command's reply. Statements with stmtId -1 are never recorded: they run every
 * time. A newer txnNumber aborts the session's open transaction.
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import type { Catalog, WriteOp } from '../storage/catalog.js';
import { sessionKey, type RecordedStatement, type StatementKind } from '../storage/retry-table.js';
import { answerFromRecord } from './retry-answers.js';
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
    private readonly executed: ReadonlyMap<number, RecordedStatement>,
    private readonly kind: StatementKind,
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
    const kind = statementKind(Object.keys(command)[0]);
    const held = catalog.retries.get(lsid);
    const retried = held?.txnNumber ?? -1;
    const transacted = txns.txnNumberOf(lsid);
    if (txnNumber < Math.max(retried, transacted)) {
      const newer = transacted > retried ? 'transaction' : 'retryable write';
      throw errors.transactionTooOld(
        `Retryable write with txnNumber ${txnNumber} is prohibited on session ${sessionKey(lsid)} because a newer ${newer} with txnNumber ${Math.max(retried, transacted)} has already started on this session.`,
      );
    }
    if (txnNumber === transacted)
      throw new EngineError(
        217,
        'IncompleteTransactionHistory',
        'Cannot retry a retryable write that has been converted into a transaction',
      );
    if (held?.txnNumber === txnNumber)
      return new RetryableWrite(catalog, command, lsid, txnNumber, held.results, kind);
    // Like mongod, a newer txnNumber ends whatever the session was doing: its open transaction aborts.
    txns.supersede(lsid, txnNumber);
    catalog.retries.advance(lsid, txnNumber);
    const executed = new Map<number, RecordedStatement>();
    return new RetryableWrite(catalog, command, lsid, txnNumber, executed, kind);
  }

  /** The statement id of the index-th statement: explicit `stmtIds`, else counted from `stmtId` (0). */
  stmtId(index: number): number {
    const ids = this.command.stmtIds as unknown;
    if (Array.isArray(ids) && ids[index] !== undefined) return Number(ids[index]);
    const first = this.command.stmtId === undefined ? 0 : Number(this.command.stmtId);
    return first + index;
  }

  /**
   * The recorded answer of the index-th statement when it already executed
   * (noted in `retried`), else null: it must run. Throws, failing the whole
   * command as mongod does, when the record cannot answer this kind of retry.
   */
  answer(index: number): Document | null {
    const stmtId = this.stmtId(index);
    const recorded = this.executed.get(stmtId);
    const answer = recorded ? answerFromRecord(recorded, this.kind, this.command) : null;
    if (answer) this.retried.push(stmtId);
    return answer;
  }

  /**
   * Runs a statement `answer` found no record for: `body` runs against a view
   * that holds its writes back, and they commit together with the result it
   * returns and the kind of write it made.
   */
  run(view: DataView, index: number, body: (view: DataView) => Document): Document {
    const stmtId = this.stmtId(index);
    // mongod's uninitialized statement id: neither looked up nor recorded.
    if (stmtId === UNRECORDED_STMT_ID) return body(view);
    const statement = new StatementView(view);
    const result = body(statement);
    const written = statement.ops[0];
    const wrote = written ? WROTE[written.kind] : undefined;
    this.catalog.commit(statement.ops, {
      retry: {
        lsid: this.lsid,
        txnNumber: this.txnNumber,
        stmtId,
        result,
        kind: this.kind,
        ...(wrote ? { wrote } : {}),
        ...(wrote === 'insert' ? { insertedId: written.id } : {}),
      },
    });
    return result;
  }
}

/** The statement id mongod leaves unrecorded (kUninitializedStmtId). */
const UNRECORDED_STMT_ID = -1;

const WROTE: Record<WriteOp['kind'], RecordedStatement['wrote']> = {
  insert: 'insert',
  update: 'update',
  replace: 'update',
  delete: 'delete',
};

function statementKind(name: string | undefined): StatementKind {
  if (name === 'insert' || name === 'update' || name === 'delete') return name;
  return 'findAndModify';
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
