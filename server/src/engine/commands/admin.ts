/**
 * The handshake and the small administrative commands drivers and mongosh send,
 * presenting the engine as the primary of a one-node replica set named rs0 so
 * that sessions, transactions and change streams are available.
 */
import { Long, ObjectId, type Document } from 'bson';
import { errors } from '../errors.js';
import type { CommandHandler } from './context.js';
import { speculativeAuthenticate, supportedMechanisms } from './auth.js';

export const REPLICA_SET = 'rs0';
export const VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

export const hello: CommandHandler = (request, engine) => {
  const me = `${engine.host}:${engine.port}`.toLowerCase();
  const saslSupportedMechs = supportedMechanisms(engine, request.command);
  const speculative = speculativeAuthenticate(request, engine);
  return {
    ...(saslSupportedMechs ? { saslSupportedMechs } : {}),
    ...(speculative ? { speculativeAuthenticate: speculative } : {}),
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    secondary: false,
    setName: REPLICA_SET,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ELECTION_ID,
    lastWrite: {
      opTime: { ts: engine.catalog.clusterTime, t: Long.fromNumber(1) },
      lastWriteDate: new Date(),
    },
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: request.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
};

export const ping: CommandHandler = () => ({ ok: 1 });

export const buildInfo: CommandHandler = () => ({
  version: VERSION,
  gitVersion: 'quorum-embedded-engine',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['quorum-journal'],
  modules: [],
  ok: 1,
});

export const getParameter: CommandHandler = (request) => {
  const reply: Document = { ok: 1 };
  if (
    request.command.featureCompatibilityVersion !== undefined ||
    request.command.getParameter === '*'
  ) {
    reply.featureCompatibilityVersion = { version: '7.0' };
  }
  return reply;
};

export const getLog: CommandHandler = () => ({ totalLinesWritten: 0, log: [], ok: 1 });
export const getCmdLineOpts: CommandHandler = () => ({
  argv: ['quorum-engine'],
  parsed: {},
  ok: 1,
});
export const connectionStatus: CommandHandler = (request) => {
  const user = request.connection?.user;
  return {
    authInfo: {
      authenticatedUsers: user ? [user] : [],
      authenticatedUserRoles: user ? [{ role: 'root', db: 'admin' }] : [],
    },
    ok: 1,
  };
};
export const whatsmyuri: CommandHandler = () => ({ you: '127.0.0.1', ok: 1 });
export const refreshSessions: CommandHandler = () => ({ ok: 1 });
export const logout: CommandHandler = () => ({ ok: 1 });

export const endSessions: CommandHandler = (request, engine) => {
  const lsids = request.command[request.name];
  if (Array.isArray(lsids)) engine.txns.endSessions(lsids as Document[]);
  return { ok: 1 };
};

export const commitTransaction: CommandHandler = (request, engine) => {
  if (request.db !== 'admin')
    throw errors.badValue('commitTransaction may only be run against the admin database');
  const txn = engine.txns.find(request.command);
  if (!txn) throw errors.noSuchTransaction(request.command.txnNumber);
  engine.txns.commit(txn);
  return { ok: 1 };
};

export const abortTransaction: CommandHandler = (request, engine) => {
  if (request.db !== 'admin')
    throw errors.badValue('abortTransaction may only be run against the admin database');
  const txn = engine.txns.find(request.command);
  if (!txn || txn.state === 'aborted') throw errors.noSuchTransaction(request.command.txnNumber);
  if (txn.state === 'committed') {
    throw Object.assign(errors.badValue('Cannot abort a committed transaction'), {
      code: 256,
      codeName: 'TransactionCommitted',
    });
  }
  engine.txns.abort(txn);
  return { ok: 1 };
};
