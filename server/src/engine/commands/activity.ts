/**
 * What the engine is doing and has done, for the diagnostic commands: the
 * operation counters serverStatus reports, the operations in flight that
 * `$currentOp` lists, the connections (with the client metadata their handshake
 * sent) and the logical sessions seen on this node (`$listLocalSessions`).
 * Dispatch records every command here; nothing here changes a command's result.
 */
import type { Document } from 'bson';
import type { ScramConversation } from '../wire/scram.js';

export interface Connection {
  id: number;
  /** `address:port` of the peer. */
  client: string;
  connectedAt: Date;
  /** The `client` document of the handshake (driver, application name). */
  metadata?: Document;
  /** The authenticated user, when the engine requires credentials. */
  user?: { user: string; db: string };
  /** A SCRAM conversation between saslStart and its last saslContinue. */
  sasl?: {
    id: number;
    conversation: ScramConversation;
    db: string;
    skipEmptyExchange: boolean;
    finished: boolean;
    /** Started inside the handshake (`speculativeAuthenticate`). */
    speculative: boolean;
  };
}

/** Attempts and successes, as serverStatus counts authentications. */
export interface AuthCounter {
  received: number;
  successful: number;
}

/** serverStatus `security.authentication`: per mechanism, speculative and all attempts. */
export interface AuthenticationCounters {
  saslSupportedMechsReceived: number;
  mechanisms: Record<string, { speculativeAuthenticate: AuthCounter; authenticate: AuthCounter }>;
}

export interface Operation {
  opid: number;
  connectionId: number;
  command: Document;
  name: string;
  db: string;
  startedAt: number;
}

export interface LocalSession {
  id: unknown;
  lastUse: Date;
  user: string;
}

const SESSION_TIMEOUT_MS = 30 * 60_000;

const OPCOUNTER: Record<string, keyof OpCounters> = {
  insert: 'insert',
  find: 'query',
  update: 'update',
  delete: 'delete',
  getMore: 'getmore',
};

export interface OpCounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

export class Activity {
  readonly opcounters: OpCounters = {
    insert: 0,
    query: 0,
    update: 0,
    delete: 0,
    getmore: 0,
    command: 0,
  };
  readonly connections = new Map<number, Connection>();
  readonly operations = new Map<number, Operation>();
  readonly sessions = new Map<string, LocalSession>();
  readonly authentication: AuthenticationCounters = {
    saslSupportedMechsReceived: 0,
    mechanisms: {
      'SCRAM-SHA-256': {
        speculativeAuthenticate: { received: 0, successful: 0 },
        authenticate: { received: 0, successful: 0 },
      },
    },
  };
  totalConnections = 0;
  requests = 0;
  private nextOpid = 1;

  connected(connection: Connection): void {
    this.connections.set(connection.id, connection);
    this.totalConnections++;
  }

  disconnected(id: number): void {
    this.connections.delete(id);
  }

  /** Counts a command the way mongod's opcounters do (inserts per document, writes per statement). */
  private count(name: string, command: Document): void {
    const counter = OPCOUNTER[name] ?? 'command';
    const statements =
      name === 'insert'
        ? command.documents
        : name === 'update'
          ? command.updates
          : name === 'delete'
            ? command.deletes
            : undefined;
    this.opcounters[counter] += Array.isArray(statements) ? statements.length : 1;
  }

  /** A command starts: counted, listed as in flight, its session touched. Returns the opid to end it with. */
  begin(name: string, command: Document, db: string, connectionId: number): number {
    this.requests++;
    this.count(name, command);
    const connection = this.connections.get(connectionId);
    if ((name === 'hello' || name === 'isMaster' || name === 'ismaster') && connection) {
      if (command.client && typeof command.client === 'object')
        connection.metadata = command.client as Document;
    }
    const user = connection?.user ? `${connection.user.user}@${connection.user.db}` : '';
    if (name === 'endSessions' || name === 'killSessions') {
      const ids = command[name];
      if (Array.isArray(ids)) for (const lsid of ids) this.sessions.delete(sessionKey(lsid));
    } else if (command.lsid && typeof command.lsid === 'object') {
      const lsid = command.lsid as Document;
      this.sessions.set(sessionKey(lsid), { id: lsid.id, lastUse: new Date(), user });
    }
    const opid = this.nextOpid++;
    this.operations.set(opid, { opid, connectionId, command, name, db, startedAt: Date.now() });
    return opid;
  }

  /**
   * Counts an authentication attempt (`done`: false) or its success, under
   * `authenticate` always and `speculativeAuthenticate` too when it began in
   * the handshake, as mongod does. Mechanisms the engine does not offer are not counted.
   */
  authenticated(mechanism: string, speculative: boolean, done: boolean): void {
    const counters = this.authentication.mechanisms[mechanism];
    if (!counters) return;
    const field = done ? 'successful' : 'received';
    counters.authenticate[field]++;
    if (speculative) counters.speculativeAuthenticate[field]++;
  }

  end(opid: number): void {
    this.operations.delete(opid);
  }

  /** Forgets sessions unused for the logical session timeout (30 minutes), as mongod's cache does. */
  sweepSessions(now = Date.now()): void {
    for (const [key, session] of this.sessions)
      if (now - session.lastUse.getTime() > SESSION_TIMEOUT_MS) this.sessions.delete(key);
  }
}

function sessionKey(lsid: unknown): string {
  const id = (lsid as Document | null)?.id as { toString(encoding: string): string } | undefined;
  return id && typeof id.toString === 'function' ? id.toString('hex') : String(id);
}
