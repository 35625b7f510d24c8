import mongoose, { type Connection } from 'mongoose';
import type { DatabaseHealth, DatabaseMode } from '../../../shared/api.js';
import type { Config } from '../config.js';

export type { DatabaseHealth, DatabaseMode };

/** The configuration {@link connectDatabase} needs; a subset so tests can pass less. */
export type DatabaseConfig = Pick<
  Config,
  'mongodbUri' | 'dataDir' | 'dbName' | 'engineHistoryRetentionHours'
>;

/** The process's database: mongoose's default connection plus, if embedded, the engine under it. */
export interface Database {
  mode: DatabaseMode;
  connection: Connection;
  /** Disconnects mongoose, then stops the embedded engine (if any), so no write is cut off. */
  close(): Promise<void>;
}

/** The engine is local and already listening: if it does not answer quickly, it will not. */
const ENGINE_SELECTION_TIMEOUT_MS = 10_000;

/** How long a health ping may take before the database counts as unreachable. */
export const HEALTH_PING_TIMEOUT_MS = 2_000;

/**
 * Connects mongoose's default connection, which every model uses.
 *
 * With MONGODB_URI set, Quorum talks to that deployment (production: a replica
 * set) and never loads the engine. Otherwise it starts the embedded engine on
 * a free loopback port with DATA_DIR and connects to it through the very same
 * driver path, so there is one code path everywhere. The engine module is
 * imported lazily so external mode does not even load it.
 */
export async function connectDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.mongodbUri !== null) {
    // Timeouts for an external deployment are the operator's to set in the URI.
    await mongoose.connect(config.mongodbUri, { dbName: config.dbName });
    return {
      mode: 'external',
      connection: mongoose.connection,
      close: () => mongoose.disconnect(),
    };
  }

  const { startEngine } = await import('../engine/index.js');
  const engine = await startEngine({
    host: '127.0.0.1',
    port: 0,
    dataDir: config.dataDir,
    historyRetentionHours: config.engineHistoryRetentionHours,
  });
  try {
    await mongoose.connect(engine.uri, {
      dbName: config.dbName,
      serverSelectionTimeoutMS: ENGINE_SELECTION_TIMEOUT_MS,
    });
  } catch (error) {
    await mongoose.disconnect().catch(() => undefined);
    await engine.close();
    throw error;
  }
  return {
    mode: 'embedded',
    connection: mongoose.connection,
    async close() {
      try {
        await mongoose.disconnect();
      } finally {
        await engine.close();
      }
    },
  };
}

/**
 * Pings the database with a short deadline, for `GET /api/health`. It never
 * throws: a failing or slow ping reports `reachable: false` so a load balancer
 * can take this process out of rotation.
 */
export async function databaseHealth(
  db: Pick<Database, 'mode' | 'connection'>,
  timeoutMs = HEALTH_PING_TIMEOUT_MS,
): Promise<DatabaseHealth> {
  const unreachable: DatabaseHealth = { mode: db.mode, reachable: false, latencyMs: null };
  const client =
    db.connection.readyState === mongoose.ConnectionStates.connected ? db.connection.db : undefined;
  if (client === undefined) return unreachable;

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const started = performance.now();
  try {
    const ping = client
      .admin()
      .command({ ping: 1 }, { timeoutMS: timeoutMs })
      .then(
        (reply) => reply.ok === 1,
        () => false,
      );
    const ok = await Promise.race([ping, deadline]);
    if (!ok) return unreachable;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { mode: db.mode, reachable: true, latencyMs };
  } catch {
    return unreachable;
  } finally {
    clearTimeout(timer);
  }
}
