/**
 * The commands and stages an operator uses to look at a running server:
 * serverStatus, replSetGetStatus / replSetGetConfig (rs.status(), rs.conf()),
 * usersInfo, profile (level 0 only), and the source stages `$currentOp`,
 * `$listLocalSessions` and `$collStats`. Everything reported is measured from
 * the engine's own state; what the engine cannot measure is refused, not made up.
 */
import { createHash } from 'node:crypto';
import { Long, ObjectId, Timestamp, UUID, type Document } from 'bson';
import { Aggregator } from 'mingo';
import { EngineError, errors, toEngineError } from '../errors.js';
import { isPlainObject, cloneDoc } from '../query/update.js';
import { cursorReply, takeBatch } from '../cursors.js';
import { REPLICA_SET, VERSION } from './admin.js';
import { collStats, collStatsStage, dbStats, validate } from './stats.js';
import type { CommandHandler, CommandRequest, EngineState } from './context.js';
import type { AuthCounter, AuthenticationCounters } from './activity.js';

const REPLICA_SET_ID = new ObjectId('7fffffff0000000000000002');
const MB = 1024 * 1024;

function me(engine: EngineState): string {
  return `${engine.host}:${engine.port}`;
}

function requireAdmin(request: CommandRequest): void {
  if (request.db !== 'admin')
    throw new EngineError(
      13,
      'Unauthorized',
      `${request.name} may only be run against the admin database.`,
    );
}

const serverStatus: CommandHandler = (_request, engine) => {
  const memory = process.memoryUsage();
  const uptimeMillis = Date.now() - engine.startedAt.getTime();
  const activity = engine.activity;
  return {
    host: me(engine),
    version: VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis: Long.fromNumber(uptimeMillis),
    uptimeEstimate: Long.fromNumber(Math.floor(uptimeMillis / 1000)),
    localTime: new Date(),
    connections: {
      current: engine.connections(),
      available: 100_000 - engine.connections(),
      totalCreated: activity.totalConnections,
      active: new Set([...activity.operations.values()].map((op) => op.connectionId)).size,
    },
    mem: {
      bits: 64,
      resident: Math.round(memory.rss / MB),
      virtual: Math.round((memory.rss + memory.external) / MB),
      supported: true,
    },
    opcounters: Object.fromEntries(
      Object.entries(activity.opcounters).map(([name, n]) => [name, Long.fromNumber(n)]),
    ),
    network: { numRequests: Long.fromNumber(activity.requests) },
    transactions: { currentActive: Long.fromNumber(engine.txns.activeCount) },
    security: { authentication: authenticationSection(activity.authentication) },
    repl: {
      setName: REPLICA_SET,
      setVersion: 1,
      isWritablePrimary: true,
      secondary: false,
      hosts: [me(engine)],
      primary: me(engine),
      me: me(engine),
    },
    storageEngine: {
      name: 'quorum-journal',
      supportsCommittedReads: true,
      persistent: engine.persistent,
    },
    ok: 1,
  };
};

/** serverStatus `security.authentication`, its counters as the 64-bit integers mongod reports. */
function authenticationSection(counters: AuthenticationCounters): Document {
  const counter = (c: AuthCounter) => ({
    received: Long.fromNumber(c.received),
    successful: Long.fromNumber(c.successful),
  });
  return {
    saslSupportedMechsReceived: Long.fromNumber(counters.saslSupportedMechsReceived),
    mechanisms: Object.fromEntries(
      Object.entries(counters.mechanisms).map(([name, c]) => [
        name,
        {
          speculativeAuthenticate: counter(c.speculativeAuthenticate),
          authenticate: counter(c.authenticate),
        },
      ]),
    ),
  };
}

const replSetGetStatus: CommandHandler = (request, engine) => {
  requireAdmin(request);
  const ts = engine.catalog.clusterTime;
  const now = new Date();
  const opTime = { ts, t: Long.fromNumber(1) };
  const optimeDate = new Date(ts.high * 1000);
  return {
    set: REPLICA_SET,
    date: now,
    myState: 1,
    term: Long.fromNumber(1),
    syncSourceHost: '',
    syncSourceId: -1,
    heartbeatIntervalMillis: Long.fromNumber(2000),
    majorityVoteCount: 1,
    writeMajorityCount: 1,
    votingMembersCount: 1,
    writableVotingMembersCount: 1,
    optimes: {
      lastCommittedOpTime: opTime,
      lastCommittedWallTime: optimeDate,
      readConcernMajorityOpTime: opTime,
      appliedOpTime: opTime,
      durableOpTime: opTime,
      lastAppliedWallTime: optimeDate,
      lastDurableWallTime: optimeDate,
    },
    members: [
      {
        _id: 0,
        name: me(engine),
        health: 1,
        state: 1,
        stateStr: 'PRIMARY',
        uptime: Math.floor((now.getTime() - engine.startedAt.getTime()) / 1000),
        optime: opTime,
        optimeDate,
        lastAppliedWallTime: optimeDate,
        lastDurableWallTime: optimeDate,
        syncSourceHost: '',
        syncSourceId: -1,
        infoMessage: '',
        electionTime: new Timestamp({ t: Math.floor(engine.startedAt.getTime() / 1000), i: 1 }),
        electionDate: engine.startedAt,
        configVersion: 1,
        configTerm: 1,
        self: true,
        lastHeartbeatMessage: '',
      },
    ],
    ok: 1,
  };
};

const replSetGetConfig: CommandHandler = (request, engine) => {
  requireAdmin(request);
  return {
    config: {
      _id: REPLICA_SET,
      version: 1,
      term: 1,
      members: [
        {
          _id: 0,
          host: me(engine),
          arbiterOnly: false,
          buildIndexes: true,
          hidden: false,
          priority: 1,
          tags: {},
          secondaryDelaySecs: Long.fromNumber(0),
          votes: 1,
        },
      ],
      protocolVersion: Long.fromNumber(1),
      writeConcernMajorityJournalDefault: true,
      settings: {
        chainingAllowed: true,
        heartbeatIntervalMillis: 2000,
        heartbeatTimeoutSecs: 10,
        electionTimeoutMillis: 10000,
        catchUpTimeoutMillis: -1,
        catchUpTakeoverDelayMillis: 30000,
        getLastErrorModes: {},
        getLastErrorDefaults: { w: 1, wtimeout: 0 },
        replicaSetId: REPLICA_SET_ID,
      },
    },
    ok: 1,
  };
};

/** The users usersInfo names: `1` (all of this db), a name, `{user, db}`, or a list of those. */
function wantedUsers(spec: unknown, db: string): Array<{ user: string; db: string }> | 'all' {
  if (spec === 1 || spec === true) return 'all';
  const one = (item: unknown) => {
    if (typeof item === 'string') return { user: item, db };
    if (isPlainObject(item) && typeof item.user === 'string' && typeof item.db === 'string')
      return { user: item.user, db: item.db };
    throw errors.badValue('User name must be a string or a {user, db} document');
  };
  return Array.isArray(spec) ? spec.map(one) : [one(spec)];
}

const usersInfo: CommandHandler = (request, engine) => {
  const spec = request.command.usersInfo;
  if (isPlainObject(spec) && spec.forAllDBs === true) {
    return { users: [...(engine.users?.values() ?? [])].map(describeUser), ok: 1 };
  }
  const wanted = wantedUsers(spec, request.db);
  const users = [...(engine.users?.values() ?? [])].filter((user) =>
    wanted === 'all'
      ? user.db === request.db
      : wanted.some((w) => w.user === user.user && w.db === user.db),
  );
  return { users: users.map(describeUser), ok: 1 };
};

function describeUser(user: { user: string; db: string }): Document {
  const id = createHash('sha256').update(`${user.db}.${user.user}`).digest().subarray(0, 16);
  return {
    _id: `${user.db}.${user.user}`,
    userId: new UUID(id.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')),
    user: user.user,
    db: user.db,
    roles: [{ role: 'root', db: 'admin' }],
    mechanisms: ['SCRAM-SHA-256'],
  };
}

const profile: CommandHandler = (request, engine) => {
  const level = Number(request.command.profile);
  if (![-1, 0, 1, 2].includes(level))
    throw errors.badValue(`Invalid profiling level: ${String(request.command.profile)}`);
  if (level === 1 || level === 2)
    throw new EngineError(
      115,
      'CommandNotSupported',
      'The embedded engine has no profiler: only profiling level 0 (off) is supported',
    );
  if (request.command.filter !== undefined)
    throw new EngineError(
      115,
      'CommandNotSupported',
      "The embedded engine has no profiler: 'filter' is not supported",
    );
  const was = { was: 0, slowms: engine.profile.slowms, sampleRate: engine.profile.sampleRate };
  if (level === 0) {
    if (request.command.slowms !== undefined)
      engine.profile.slowms = Number(request.command.slowms);
    if (request.command.sampleRate !== undefined)
      engine.profile.sampleRate = Number(request.command.sampleRate);
  }
  return { ...was, ok: 1 };
};

export const HANDLERS: Record<string, CommandHandler> = {
  serverStatus,
  replSetGetStatus,
  replSetGetConfig,
  usersInfo,
  profile,
  collStats,
  dbStats,
  validate,
};

// ---- source stages ---------------------------------------------------------

const SOURCE_STAGES = ['$currentOp', '$listLocalSessions', '$collStats'];

/** The `uid` MongoDB gives a session: SHA-256 of the user name (of '' without authentication). */
function sessionUid(user: string): Buffer {
  return createHash('sha256').update(user).digest();
}

function currentOps(request: CommandRequest, engine: EngineState, spec: Document): Document[] {
  if (request.db !== 'admin' || request.command.aggregate !== 1)
    throw errors.invalidNamespace(
      "$currentOp must be run against the 'admin' database with {aggregate: 1}",
    );
  const now = Date.now();
  const ownOnly = spec.allUsers !== true && engine.users !== null;
  const self = request.connection?.user;
  const out: Document[] = [];
  const busy = new Set<number>();
  for (const op of engine.activity.operations.values()) {
    const connection = engine.activity.connections.get(op.connectionId);
    if (ownOnly && connection?.user?.user !== self?.user) continue;
    busy.add(op.connectionId);
    const running = now - op.startedAt;
    const coll = op.command[op.name];
    const { $db, lsid, $clusterTime, ...command } = op.command;
    void [$db, $clusterTime];
    out.push({
      type: 'op',
      host: me(engine),
      desc: `conn${op.connectionId}`,
      connectionId: op.connectionId,
      client: connection?.client ?? '',
      ...(connection?.metadata?.application?.name
        ? { appName: connection.metadata.application.name }
        : {}),
      ...(connection?.metadata ? { clientMetadata: connection.metadata } : {}),
      active: true,
      currentOpTime: new Date(now).toISOString(),
      effectiveUsers: connection?.user ? [connection.user] : [],
      opid: op.opid,
      ...(lsid ? { lsid } : {}),
      secs_running: Long.fromNumber(Math.floor(running / 1000)),
      microsecs_running: Long.fromNumber(running * 1000),
      op: op.name === 'getMore' ? 'getmore' : op.name === 'find' ? 'query' : 'command',
      ns: typeof coll === 'string' ? `${op.db}.${coll}` : `${op.db}.$cmd`,
      command,
      numYields: 0,
      locks: {},
      waitingForLock: false,
    });
  }
  // A session holding an open transaction between its statements (idleSessions defaults to true).
  if (spec.idleSessions !== false) {
    const running = new Set(
      [...engine.activity.operations.values()].map((op) => sessionHex(op.command.lsid)),
    );
    for (const txn of engine.txns.active()) {
      if (running.has(sessionHex(txn.lsid))) continue;
      out.push({
        type: 'idleSession',
        host: me(engine),
        active: false,
        currentOpTime: new Date(now).toISOString(),
        lsid: txn.lsid,
        transaction: {
          parameters: { txnNumber: Long.fromNumber(txn.txnNumber), autocommit: false },
          startWallClockTime: new Date(txn.startedAt).toISOString(),
          timeOpenMicros: Long.fromNumber((now - txn.startedAt) * 1000),
        },
      });
    }
  }
  if (spec.idleConnections === true) {
    for (const connection of engine.activity.connections.values()) {
      if (busy.has(connection.id)) continue;
      out.push({
        type: 'op',
        host: me(engine),
        desc: `conn${connection.id}`,
        connectionId: connection.id,
        client: connection.client,
        ...(connection.metadata ? { clientMetadata: connection.metadata } : {}),
        active: false,
        currentOpTime: new Date(now).toISOString(),
      });
    }
  }
  return out;
}

function localSessions(request: CommandRequest, engine: EngineState, spec: Document): Document[] {
  if (request.command.aggregate !== 1)
    throw errors.invalidNamespace('$listLocalSessions must be run with {aggregate: 1}');
  const self = request.connection?.user;
  const selfName = self ? `${self.user}@${self.db}` : '';
  const wanted = Array.isArray(spec.users)
    ? (spec.users as Document[]).map((u) => `${String(u.user)}@${String(u.db)}`)
    : null;
  const out: Document[] = [];
  for (const session of engine.activity.sessions.values()) {
    if (
      wanted ? !wanted.includes(session.user) : spec.allUsers !== true && session.user !== selfName
    )
      continue;
    out.push({
      _id: { id: session.id, uid: sessionUid(session.user) },
      lastUse: session.lastUse,
      ...(session.user ? { user: { name: session.user } } : {}),
    });
  }
  return out;
}

function sessionHex(lsid: unknown): string {
  const id = (lsid as Document | undefined)?.id as { buffer?: Uint8Array } | undefined;
  return id?.buffer ? Buffer.from(id.buffer).toString('hex') : '';
}

/** Whether a pipeline starts from one of the diagnostic source stages (or misplaces one). */
export function isDiagnosticPipeline(pipeline: unknown[]): boolean {
  return pipeline.some(
    (stage) => isPlainObject(stage) && SOURCE_STAGES.includes(Object.keys(stage)[0]),
  );
}

/** Runs a pipeline whose first stage is `$currentOp`, `$listLocalSessions` or `$collStats`. */
export function diagnosticAggregate(
  request: CommandRequest,
  engine: EngineState,
  pipeline: Document[],
): Document {
  pipeline.forEach((stage, i) => {
    const name = Object.keys(stage)[0];
    if (i > 0 && SOURCE_STAGES.includes(name))
      throw new EngineError(
        40602,
        'Location40602',
        `${name} is only valid as the first stage in a pipeline`,
      );
  });
  const [first, ...rest] = pipeline;
  const name = Object.keys(first)[0];
  const spec = first[name] as unknown;
  if (!isPlainObject(spec))
    throw errors.failedToParse(`${name} must take a nested object but found: ${String(spec)}`);
  const target = request.command.aggregate;
  let docs: Document[];
  if (name === '$currentOp') docs = currentOps(request, engine, spec);
  else if (name === '$listLocalSessions') docs = localSessions(request, engine, spec);
  else {
    if (typeof target !== 'string')
      throw errors.invalidNamespace('$collStats must be run against a collection');
    docs = [collStatsStage(engine, request.db, target, spec)];
  }
  if (rest.length > 0) {
    const resolver = (coll: string) => request.view.find(request.db, coll, undefined).map(cloneDoc);
    try {
      docs = new Aggregator(rest, { collectionResolver: resolver }).run<Document>(docs);
    } catch (err) {
      throw toEngineError(err);
    }
  }
  const ns = `${request.db}.${typeof target === 'string' ? target : '$cmd.aggregate'}`;
  const cursorOptions = request.command.cursor as Document | undefined;
  const cursor = {
    kind: 'documents' as const,
    ns,
    docs,
    position: 0,
    lastUsed: Date.now(),
    owner: request.connectionId,
  };
  const batchSize = cursorOptions?.batchSize === undefined ? 101 : Number(cursorOptions.batchSize);
  const batch = takeBatch(cursor, batchSize);
  if (cursor.position >= docs.length) return cursorReply(0, ns, batch, true);
  return cursorReply(engine.cursors.open(cursor), ns, batch, true);
}
