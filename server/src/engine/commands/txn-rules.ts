/**
 * What a multi-document transaction may run, and the read concerns MongoDB 7.0
 * accepts. Checked before the transaction is touched, so a refused command
 * neither starts a transaction nor aborts the running one (as in mongod).
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import { sessionKey } from '../txn/transaction.js';
import type { CursorOrigin } from '../cursors.js';
import { fieldErrors } from './field-check.js';

/** Commands mongod runs inside a transaction; any other is refused there. */
const ALLOWED_IN_TRANSACTION = new Set([
  'abortTransaction',
  'aggregate',
  'commitTransaction',
  'create',
  'createIndexes',
  'delete',
  'distinct',
  'find',
  'findandmodify',
  'findAndModify',
  'getMore',
  'insert',
  'killCursors',
  'update',
]);

/** Aggregation stages that cannot run in a transaction. */
const STAGES_NOT_IN_TRANSACTION = new Set([
  '$changeStream',
  '$out',
  '$merge',
  '$collStats',
  '$currentOp',
  '$indexStats',
  '$listSessions',
  '$listLocalSessions',
  '$planCacheStats',
  '$listCatalog',
]);

const READ_CONCERN_FIELDS = new Set([
  'level',
  'afterClusterTime',
  'afterOpTime',
  'atClusterTime',
  'provenance',
]);
const LEVELS = new Set(['local', 'majority', 'linearizable', 'available', 'snapshot']);
const TRANSACTION_LEVELS = new Set(['local', 'majority', 'snapshot']);

/** Whether the command belongs to a multi-document transaction (mongod looks at `autocommit`). */
export function inTransaction(command: Document): boolean {
  return command.autocommit !== undefined && command.autocommit !== null;
}

/** Commands a txnNumber may accompany outside a transaction: they are retried safely by the driver. */
const RETRYABLE_WRITES = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'commitTransaction',
  'abortTransaction',
]);

/** The collections a command names: its target, and what its pipeline's top stages read. */
function namespacesOf(name: string, command: Document): string[] {
  const target = name === 'getMore' ? command.collection : command[name];
  const colls = typeof target === 'string' ? [target] : [];
  if (name === 'aggregate' && Array.isArray(command.pipeline))
    for (const stage of command.pipeline as unknown[]) {
      if (!isPlainObject(stage)) continue;
      const spec = Object.values(stage)[0];
      const from = isPlainObject(spec) ? (spec.from ?? spec.coll) : spec;
      if (
        typeof from === 'string' &&
        ('$lookup' in stage || '$graphLookup' in stage || '$unionWith' in stage)
      )
        colls.push(from);
    }
  return colls;
}

/** mongod's namespace rules in a transaction: nothing in local or config, nor system.profile or system.views. */
function checkTransactionNamespaces(name: string, command: Document, db: string): void {
  if (name === 'commitTransaction' || name === 'abortTransaction' || name === 'killCursors') return;
  if (db === 'local')
    throw errors.operationNotSupportedInTransaction(
      "Cannot run command against the 'local' database in a transaction.",
    );
  for (const coll of namespacesOf(name, command)) {
    if (coll === 'system.profile' || coll === 'system.views')
      throw errors.operationNotSupportedInTransaction(
        `Cannot run command against the '${db}.${coll}' collection in a transaction.`,
      );
  }
  if (db === 'config')
    throw errors.operationNotSupportedInTransaction(
      'Cannot run command against the config database in a transaction.',
    );
}

/** Refuses, with OperationNotSupportedInTransaction, what mongod refuses inside a transaction. */
export function checkAllowedInTransaction(name: string, command: Document, db: string): void {
  if (!inTransaction(command)) {
    if (command.txnNumber !== undefined && !RETRYABLE_WRITES.has(name))
      throw new EngineError(
        50768,
        'Location50768',
        `txnNumber may only be provided for multi-document transactions and retryable write commands. autocommit:false was not provided, and ${name} is not a retryable write command.`,
      );
    return;
  }
  if (name === 'count') {
    throw errors.operationNotSupportedInTransaction(
      "Cannot run 'count' in a multi-document transaction. Count the documents with an aggregation ($match then $count) instead.",
    );
  }
  if (!ALLOWED_IN_TRANSACTION.has(name)) {
    throw errors.operationNotSupportedInTransaction(
      `Cannot run '${name}' in a multi-document transaction.`,
    );
  }
  checkTransactionNamespaces(name, command, db);
  if (name === 'find' && command.readOnce === true)
    throw errors.operationNotSupportedInTransaction(
      'readOnce cursors are not allowed in a multi-document transaction.',
    );
  if (name === 'aggregate' && Array.isArray(command.pipeline)) {
    for (const stage of command.pipeline as unknown[]) {
      const stageName = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (stageName && STAGES_NOT_IN_TRANSACTION.has(stageName))
        throw errors.operationNotSupportedInTransaction(
          `Operation not permitted in transaction: ${stageName} cannot be used in a transaction`,
        );
    }
  }
}

/** Validates `readConcern`; levels the engine does not serve yet are refused by name. */
export function checkReadConcern(command: Document): void {
  const rc = command.readConcern as unknown;
  if (!isPlainObject(rc)) return;
  for (const field of Object.keys(rc))
    if (!READ_CONCERN_FIELDS.has(field)) throw fieldErrors.unknown(`readConcern.${field}`);
  const level = rc.level as unknown;
  if (level !== undefined && (typeof level !== 'string' || !LEVELS.has(level))) {
    throw errors.badValue(
      `Enumeration value '${typeof level === 'string' ? level : JSON.stringify(level)}' for field 'readConcern.level' is not a valid value.`,
    );
  }
  if (rc.atClusterTime !== undefined) {
    if (level !== 'snapshot')
      throw errors.invalidOptions('readConcern atClusterTime is only valid with level snapshot');
    // A causally consistent session adds afterClusterTime: mongod refuses the pair.
    if (rc.afterClusterTime !== undefined)
      throw errors.invalidOptions(
        'Specifying a timestamp for readConcern snapshot in a causally consistent session is not allowed',
      );
    if (rc.afterOpTime !== undefined)
      throw errors.invalidOptions('Can not specify both afterOpTime and atClusterTime');
  }
  if (inTransaction(command)) {
    if (command.startTransaction !== true)
      throw errors.invalidOptions(
        'Only the first command in a transaction may specify a readConcern',
      );
    if (typeof level === 'string' && !TRANSACTION_LEVELS.has(level))
      throw errors.invalidOptions(
        "The readConcern level must be either 'local' (default), 'majority' or 'snapshot' in order to run in a transaction",
      );
    return;
  }
  // Snapshot reads outside a transaction: txn/snapshot-read.ts.
}

/** The session and transaction a command runs in, recorded on the cursors it opens. */
export function cursorOrigin(command: Document): CursorOrigin {
  return {
    ...(isPlainObject(command.lsid) ? { session: sessionKey(command.lsid) } : {}),
    ...(inTransaction(command) ? { txnNumber: Number(command.txnNumber) } : {}),
  };
}

/** mongod's checks that a getMore continues a cursor in the session and transaction that opened it. */
export function checkCursorOrigin(origin: CursorOrigin, command: Document, id: unknown): void {
  const here = cursorOrigin(command);
  const cursor = String(id);
  const refuse = (code: number, msg: string) =>
    new EngineError(code, `Location${code}`, `Cannot run getMore on cursor ${cursor}, ${msg}`);
  if (origin.session !== undefined && here.session === undefined)
    throw refuse(50737, `which was created in session ${origin.session}, without an lsid`);
  if (origin.session !== undefined && here.session !== origin.session)
    throw refuse(
      50738,
      `which was created in session ${origin.session}, in session ${here.session}`,
    );
  if (here.txnNumber !== undefined && origin.txnNumber === undefined)
    throw refuse(50739, `which was not created in a transaction, in transaction ${here.txnNumber}`);
  if (here.txnNumber === undefined && origin.txnNumber !== undefined)
    throw refuse(
      50740,
      `which was created in transaction ${origin.txnNumber}, without a txnNumber`,
    );
  if (here.txnNumber !== origin.txnNumber)
    throw refuse(
      50741,
      `which was created in transaction ${origin.txnNumber}, in transaction ${here.txnNumber}`,
    );
}
