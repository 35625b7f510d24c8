/**
 * Authentication: saslStart / saslContinue speaking SCRAM-SHA-256, and the gate
 * that refuses every other command on a connection that has not authenticated
 * while the engine requires credentials (it does whenever users are configured,
 * and always when it listens beyond loopback).
 */
import { Binary, type Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import { ScramConversation, ScramError } from '../wire/scram.js';
import type { CommandHandler, CommandRequest, EngineState } from './context.js';

/** What an unauthenticated connection may still run, as on mongod: the handshake and the SASL steps. */
const OPEN_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
  'ping',
  'buildInfo',
  'buildinfo',
  'logout',
  'endSessions',
  'connectionStatus',
]);

const MECHANISM = 'SCRAM-SHA-256';

function authenticationFailed(): EngineError {
  return new EngineError(18, 'AuthenticationFailed', 'Authentication failed.');
}

/** Throws Unauthorized (13) for a command an unauthenticated connection may not run. */
export function checkAuthorized(
  engine: EngineState,
  request: Pick<CommandRequest, 'name' | 'connection'>,
): void {
  if (!engine.users || request.connection?.user || OPEN_COMMANDS.has(request.name)) return;
  throw new EngineError(13, 'Unauthorized', `Command ${request.name} requires authentication`);
}

function payloadText(command: Document): string {
  const payload = command.payload;
  if (payload instanceof Binary) return Buffer.from(payload.buffer).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw errors.typeMismatch("'payload' must be binary data");
}

function reply(conversationId: number, text: string, done: boolean): Document {
  return {
    conversationId,
    done,
    payload: new Binary(Buffer.from(text, 'utf8')),
    ok: 1,
  };
}

export const saslStart: CommandHandler = (request, engine) => startSasl(request, engine, false);

function startSasl(request: CommandRequest, engine: EngineState, speculative: boolean): Document {
  const connection = request.connection;
  const users = engine.users;
  if (!connection || !users)
    throw new EngineError(
      334,
      'MechanismUnavailable',
      'Authentication is not enabled on this engine: it runs without users on loopback',
    );
  if (request.command.mechanism !== MECHANISM)
    throw new EngineError(
      334,
      'MechanismUnavailable',
      `Received authentication for mechanism ${String(request.command.mechanism)} which is not enabled (the engine offers ${MECHANISM} only)`,
    );
  engine.activity.authenticated(MECHANISM, speculative, false);
  const conversation = new ScramConversation((user) =>
    request.db === 'admin' ? users.get(user) : undefined,
  );
  try {
    const serverFirst = conversation.start(payloadText(request.command));
    const options = request.command.options as Document | undefined;
    connection.sasl = {
      id: (connection.sasl?.id ?? 0) + 1,
      conversation,
      db: request.db,
      skipEmptyExchange: options?.skipEmptyExchange === true,
      finished: false,
      speculative,
    };
    return reply(connection.sasl.id, serverFirst, false);
  } catch (err) {
    if (err instanceof ScramError) throw authenticationFailed();
    throw err;
  }
}

/**
 * `hello`'s `speculativeAuthenticate`: the driver (and so mongosh) sends its
 * saslStart inside the handshake to save a round trip; the reply carries the
 * server's first SCRAM message and the driver goes on with saslContinue. As on
 * mongod, a speculative attempt that fails (unknown user, other mechanism,
 * malformed) is left out of the reply and the driver authenticates the usual way.
 */
export function speculativeAuthenticate(
  request: CommandRequest,
  engine: EngineState,
): Document | undefined {
  const start = request.command.speculativeAuthenticate as unknown;
  if (!engine.users || !request.connection || !isPlainObject(start)) return undefined;
  if (start.saslStart !== 1 && start.saslStart !== true) return undefined;
  const db = typeof start.db === 'string' ? start.db : request.db;
  try {
    const reply = startSasl({ ...request, name: 'saslStart', command: start, db }, engine, true);
    return { conversationId: reply.conversationId, done: reply.done, payload: reply.payload };
  } catch {
    return undefined;
  }
}

export const saslContinue: CommandHandler = (request, engine) => {
  const connection = request.connection;
  const sasl = connection?.sasl;
  if (!connection || !sasl || Number(request.command.conversationId) !== sasl.id)
    throw new EngineError(17, 'ProtocolError', 'No SASL session state found');
  if (sasl.finished) {
    connection.sasl = undefined;
    return { conversationId: sasl.id, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1 };
  }
  try {
    const serverFinal = sasl.conversation.finish(payloadText(request.command));
    connection.user = { user: sasl.conversation.user, db: sasl.db };
    engine.activity.authenticated(MECHANISM, sasl.speculative, true);
    sasl.finished = true;
    if (sasl.skipEmptyExchange) connection.sasl = undefined;
    return reply(sasl.id, serverFinal, sasl.skipEmptyExchange);
  } catch (err) {
    connection.sasl = undefined;
    if (err instanceof ScramError) throw authenticationFailed();
    throw err;
  }
};

/** The handshake's answer to `saslSupportedMechs: 'db.user'`: the mechanisms that user can use. */
export function supportedMechanisms(engine: EngineState, command: Document): string[] | undefined {
  const asked = command.saslSupportedMechs;
  if (typeof asked === 'string') engine.activity.authentication.saslSupportedMechsReceived++;
  if (!engine.users || typeof asked !== 'string') return undefined;
  const dot = asked.indexOf('.');
  if (asked.slice(0, dot) !== 'admin' || !engine.users.has(asked.slice(dot + 1))) return undefined;
  return [MECHANISM];
}
