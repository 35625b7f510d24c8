/**
 * The database a backup is taken from or restored into, chosen the way the
 * server chooses it (server/src/config.ts): MONGODB_URI when set, otherwise
 * the embedded engine started on DATA_DIR in this process. The engine locks
 * its directory, so against a data directory that a running server owns the
 * scripts stop with advice instead of waiting or sharing it.
 */
import { existsSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../server/src/config.js';
import { startEngine } from '../../server/src/engine/index.js';

/** The database could not be reached as configured; the message says what to do. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export interface DatabaseTarget {
  client: MongoClient;
  dbName: string;
  /** For messages: where the data is (never the URI, which may hold a password). */
  description: string;
  /** Closes the client, then the embedded engine if one was started (flushing it to disk). */
  close(): Promise<void>;
}

/** How long to wait for a server to answer before giving up. */
const SELECTION_TIMEOUT_MS = 10_000;

function lockAdvice(dataDir: string, reason: string): string {
  return (
    `The data directory ${dataDir} is in use (${reason}).\n` +
    'A running Quorum server (or `npm run engine`) owns it, and two engines must never open one ' +
    'directory. Either stop the server and run this again, or run the engine on its own and let ' +
    'both the server and this script reach it over MONGODB_URI (a backup is then taken live, as ' +
    'one snapshot):\n' +
    `  npm run engine -- --data ${dataDir} --port 27017\n` +
    "  MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0' npm start\n" +
    "  MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0' npm run backup"
  );
}

/**
 * Connects to the configured database. Only the database variables matter;
 * the rest of the configuration is loaded as in tests (NODE_ENV=test) so that
 * a backup job needs no JWT_SECRET and writes no development secret file.
 * @param purpose a backup refuses a DATA_DIR that does not exist (it would back up nothing).
 * @throws TargetError (in-memory or missing data directory, locked data
 *   directory), ConfigError (invalid variables).
 */
export async function openTarget(
  env: NodeJS.ProcessEnv,
  purpose: 'backup' | 'restore',
): Promise<DatabaseTarget> {
  const config = loadConfig({ ...env, NODE_ENV: 'test' });
  if (config.mongodbUri !== null) {
    const client = new MongoClient(config.mongodbUri);
    await client.connect();
    return {
      client,
      dbName: config.dbName,
      description: `database ${config.dbName} on MONGODB_URI`,
      close: () => client.close(),
    };
  }

  const dataDir = config.dataDir;
  if (dataDir === null)
    throw new TargetError('DATA_DIR=:memory: keeps no data to back up or restore into');
  if (purpose === 'backup' && !existsSync(dataDir)) {
    throw new TargetError(
      `DATA_DIR ${dataDir} does not exist, so there is nothing to back up. ` +
        "Set DATA_DIR to the server's data directory, or MONGODB_URI to its database.",
    );
  }
  let engine;
  try {
    engine = await startEngine({
      host: '127.0.0.1',
      port: 0,
      dataDir,
      historyRetentionHours: config.engineHistoryRetentionHours,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/\block|locked|already open/i.test(message))
      throw new TargetError(lockAdvice(dataDir, message));
    throw error;
  }
  const client = new MongoClient(engine.uri, { serverSelectionTimeoutMS: SELECTION_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    await engine.close();
    throw error;
  }
  const running = engine;
  return {
    client,
    dbName: config.dbName,
    description: `database ${config.dbName} in the embedded engine's ${dataDir}`,
    async close() {
      try {
        await client.close();
      } finally {
        await running.close();
      }
    },
  };
}
