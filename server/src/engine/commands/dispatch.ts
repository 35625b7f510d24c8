/**
 * Routes a decoded command to its handler: vets its fields, transaction use and
 * read/write concerns, picks the view (committed or the session's transaction), turns anything thrown into MongoDB's error shape, and
 * stamps every reply with the cluster time the driver gossips back.
 */
import { Binary, Long, type Document } from 'bson';
import { errors, toEngineError } from '../errors.js';
import { CommittedView, TransactionView, type DataView } from '../txn/views.js';
import {
  SnapshotView,
  snapshotFor,
  stampSnapshotReply,
  transactionReadAt,
} from '../txn/snapshot-read.js';
import type { CommandHandler, EngineState } from './context.js';
import * as admin from './admin.js';
import { hostInfo } from './host-info.js';
import type { Connection } from './activity.js';
import { checkAuthorized, saslContinue, saslStart } from './auth.js';
import * as diagnostics from './diagnostics.js';
import { explain } from './explain.js';
import * as namespaces from './namespaces.js';
import * as reads from './reads.js';
import * as writes from './writes.js';
import { validateCommandFields } from './field-check.js';
import { checkAllowedInTransaction, checkReadConcern, inTransaction } from './txn-rules.js';
import { checkWriteConcern, withWriteConcern } from './write-concern.js';
import * as ddl from './ddl.js';
import { refuseViewTarget } from './views.js';

const HANDLERS: Record<string, CommandHandler> = {
  hello: admin.hello,
  ismaster: admin.hello,
  isMaster: admin.hello,
  ping: admin.ping,
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  getParameter: admin.getParameter,
  hostInfo,
  getLog: admin.getLog,
  getCmdLineOpts: admin.getCmdLineOpts,
  connectionStatus: admin.connectionStatus,
  whatsmyuri: admin.whatsmyuri,
  endSessions: admin.endSessions,
  killSessions: admin.endSessions,
  refreshSessions: admin.refreshSessions,
  logout: admin.logout,
  commitTransaction: admin.commitTransaction,
  abortTransaction: admin.abortTransaction,
  insert: writes.insert,
  update: writes.update,
  delete: writes.remove,
  findAndModify: writes.findAndModify,
  findandmodify: writes.findAndModify,
  find: reads.find,
  getMore: reads.getMore,
  killCursors: reads.killCursors,
  count: reads.count,
  distinct: reads.distinct,
  aggregate: reads.aggregate,
  create: namespaces.create,
  drop: namespaces.drop,
  dropDatabase: namespaces.dropDatabase,
  listDatabases: namespaces.listDatabases,
  listCollections: namespaces.listCollections,
  createIndexes: namespaces.createIndexes,
  listIndexes: namespaces.listIndexes,
  dropIndexes: namespaces.dropIndexes,
  deleteIndexes: namespaces.dropIndexes,
  explain,
  ...diagnostics.HANDLERS,
  saslStart,
  saslContinue,
  renameCollection: ddl.renameCollection,
  collMod: ddl.collMod,
};

/** Every command the engine serves (each has its row in the allowed-fields table, commands/fields.ts). */
export const COMMAND_NAMES: readonly string[] = Object.keys(HANDLERS);

const TRANSACTION_CONTROL = new Set(['commitTransaction', 'abortTransaction']);
const SIGNATURE = { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) };

export interface IncomingCommand {
  command: Document;
  /** Database from OP_QUERY's collection name when `$db` is absent. */
  defaultDb: string;
  connectionId: number;
  connection?: Connection;
  signal: AbortSignal;
}

export async function runCommand(
  engine: EngineState,
  incoming: IncomingCommand,
): Promise<Document> {
  const { command } = incoming;
  let reply: Document;
  let txn = null;
  let opid = 0;
  try {
    const name = Object.keys(command)[0];
    if (name === undefined) throw errors.failedToParse('empty command');
    const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw errors.commandNotFound(name);
    // Refusals that leave any transaction as it was: mongod parses and vets a command before touching one.
    validateCommandFields(name, command);
    const db = typeof command.$db === 'string' ? command.$db : incoming.defaultDb;
    checkAllowedInTransaction(name, command, db);
    checkReadConcern(command);
    checkWriteConcern(name, command, inTransaction(command));
    checkAuthorized(engine, { name, connection: incoming.connection });
    opid = engine.activity.begin(name, command, db, incoming.connectionId);
    // Any use of a session keeps its retryable-write record from expiring.
    if (command.lsid && typeof command.lsid === 'object')
      engine.catalog.retries.touch(command.lsid);
    refuseViewTarget(engine.catalog, name, command, db);
    if (!TRANSACTION_CONTROL.has(name))
      txn = engine.txns.forCommand(command, transactionReadAt(engine.catalog, command));
    const snapshot = snapshotFor(engine.catalog, name, command, txn !== null);
    let view: DataView;
    if (txn) view = new TransactionView(engine.catalog, engine.txns, txn);
    else if (snapshot) view = new SnapshotView(engine.catalog, snapshot);
    else view = new CommittedView(engine.catalog);
    reply = await handler(
      {
        name,
        command,
        db,
        connectionId: incoming.connectionId,
        connection: incoming.connection,
        view,
        txn,
        signal: incoming.signal,
      },
      engine,
    );
    if (snapshot) stampSnapshotReply(reply, snapshot);
    if (txn && txn.state === 'aborted') engine.txns.abort(txn);
    reply = withWriteConcern(command, reply);
  } catch (err) {
    const error = toEngineError(err);
    // Like mongod, a failed statement aborts its transaction; the driver retries on transient labels.
    if (txn) engine.txns.abort(txn);
    reply = error.toReply();
  } finally {
    engine.activity.end(opid);
    engine.catalog.flush();
  }
  const clusterTime = engine.catalog.clusterTime;
  reply.operationTime = clusterTime;
  reply.$clusterTime = { clusterTime, signature: SIGNATURE };
  return reply;
}
