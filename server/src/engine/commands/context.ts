/**
 * What every command handler receives: the engine's shared state, and the request
 * with its database, the view to read and write through (committed or
 * transactional) and a signal that fires when the client's connection closes.
 */
import type { Document } from 'bson';
import type { Catalog } from '../storage/catalog.js';
import type { TransactionManager, Transaction } from '../txn/transaction.js';
import type { CursorRegistry } from '../cursors.js';
import type { EventLog } from '../changes/event-log.js';
import type { DataView } from '../txn/views.js';
import type { Activity, Connection } from './activity.js';
import type { ScramCredential } from '../wire/scram.js';

export interface EngineState {
  catalog: Catalog;
  txns: TransactionManager;
  cursors: CursorRegistry;
  events: EventLog;
  host: string;
  port: number;
  startedAt: Date;
  connections: () => number;
  /** Counters, operations in flight, connections and sessions (diagnostic commands read them). */
  activity: Activity;
  /** Users who may authenticate (by name, in `admin`); null: no authentication, loopback only. */
  users: Map<string, ScramCredential> | null;
  /** Whether data lives in a data directory (false: in memory). */
  persistent: boolean;
  /** Profiler settings (only level 0 exists). */
  profile: { slowms: number; sampleRate: number };
}

export interface CommandRequest {
  name: string;
  command: Document;
  db: string;
  connectionId: number;
  /** The client connection the command came on (absent for commands run in-process). */
  connection?: Connection;
  view: DataView;
  txn: Transaction | null;
  /** Aborts when the connection closes, so waiting getMores stop. */
  signal: AbortSignal;
}

export type CommandHandler = (
  request: CommandRequest,
  engine: EngineState,
) => Document | Promise<Document>;

/** Reads the collection name a command targets (its first field's value). */
export function collectionName(request: CommandRequest): string {
  const value = request.command[request.name];
  if (typeof value !== 'string' || value.length === 0) {
    throw Object.assign(new Error(`collection name has invalid type ${typeof value}`), {
      code: 73,
      codeName: 'InvalidNamespace',
    });
  }
  return value;
}
