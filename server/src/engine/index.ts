/**
 * The embedded MongoDB-compatible engine: `startEngine()` recovers the data
 * directory (or starts empty in memory), listens on loopback and returns the URI
 * mongoose and the driver connect to. Imports nothing from the application.
 */
import type net from 'node:net';
import { EventLog } from './changes/event-log.js';
import { Catalog } from './storage/catalog.js';
import { Journal } from './storage/journal.js';
import { decodeRecord } from './storage/records.js';
import { encodeSnapshot, restoreSnapshot } from './storage/snapshot.js';
import { TransactionManager } from './txn/transaction.js';
import { CursorRegistry } from './cursors.js';
import { createWireServer, type TlsFiles } from './server.js';
import { Activity } from './commands/activity.js';
import { makeCredential, type ScramCredential } from './wire/scram.js';
import { exposurePolicy } from './exposure.js';
import { sweepExpired } from './jobs/ttl.js';
import { REPLICA_SET } from './commands/admin.js';
import type { EngineState } from './commands/context.js';

export interface EngineOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory for the journal and snapshots; null keeps everything in memory. */
  dataDir?: string | null;
  /** Change-stream history kept for resuming (hours, default 24). */
  historyRetentionHours?: number;
  /** At most this many change events are kept (default 1,000,000). */
  historyMaxEvents?: number;
  /** Journal fsync interval (ms, default 100; 0 = on every write). */
  fsyncIntervalMs?: number;
  /** Journal size that triggers a snapshot (bytes, default 64 MiB). */
  compactBytes?: number;
  /** TTL sweep interval (ms, default 60 s). */
  ttlIntervalMs?: number;
  /**
   * Users who may connect (SCRAM-SHA-256, defined in `admin`). With users every
   * connection must authenticate; beyond loopback they are required.
   */
  users?: Array<{ user: string; password: string }>;
  /** Certificate and key (PEM): the engine then accepts TLS connections only. Required beyond loopback. */
  tls?: TlsFiles;
  /** How far back snapshot reads (atClusterTime) can go (seconds, default 300, like mongod). */
  snapshotHistorySeconds?: number;
  /** At most this many document versions are kept for snapshot reads (default 50,000). */
  snapshotHistoryMaxVersions?: number;
}

export interface RunningEngine {
  uri: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the engine; resolves once it accepts connections. */
export async function startEngine(options: EngineOptions = {}): Promise<RunningEngine> {
  const host = options.host ?? '127.0.0.1';
  // Refuses (throws, saying why) to serve the network without credentials and TLS.
  exposurePolicy(host, options);
  let users: Map<string, ScramCredential> | null = null;
  if (options.users && options.users.length > 0)
    users = new Map(
      options.users.map(({ user, password }) => [user, makeCredential(user, password)]),
    );
  const events = new EventLog({
    maxAgeMs: (options.historyRetentionHours ?? 24) * 3_600_000,
    maxEvents: options.historyMaxEvents ?? 1_000_000,
  });
  let journal: Journal | null = null;
  const catalog = new Catalog(events, null);
  if (options.dataDir) {
    const opened = Journal.open({ dir: options.dataDir, fsyncIntervalMs: options.fsyncIntervalMs });
    journal = opened.journal;
    if (opened.recovered.snapshot) restoreSnapshot(catalog, opened.recovered.snapshot);
    for (const record of opened.recovered.records) catalog.replay(decodeRecord(record));
    catalog.attachJournal(journal);
    events.trim();
  }
  catalog.history.reset(catalog.seq, catalog.clusterTime, {
    windowMs: (options.snapshotHistorySeconds ?? 300) * 1000,
    maxImages: options.snapshotHistoryMaxVersions ?? 50_000,
  });
  const sockets = new Set<net.Socket>();
  const state: EngineState = {
    catalog,
    txns: new TransactionManager(catalog),
    cursors: new CursorRegistry(),
    events,
    host,
    port: 0,
    startedAt: new Date(),
    connections: () => sockets.size,
    activity: new Activity(),
    users,
    persistent: Boolean(options.dataDir),
    profile: { slowms: 100, sampleRate: 1 },
  };
  const server = createWireServer(state, sockets, options.tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  state.port = (server.address() as net.AddressInfo).port;

  const compactBytes = options.compactBytes ?? 64 * 1024 * 1024;
  const compact = () => journal?.compact(encodeSnapshot(catalog));
  const housekeeping = setInterval(() => {
    state.txns.sweep();
    state.cursors.reapIdle();
    state.activity.sweepSessions();
    events.trim();
    catalog.history.prune();
    if (journal && journal.logBytes > compactBytes && state.txns.activeCount === 0) compact();
  }, 1000);
  housekeeping.unref();
  const ttl = setInterval(() => sweepExpired(catalog), options.ttlIntervalMs ?? 60_000);
  ttl.unref();

  let closing: Promise<void> | null = null;
  return {
    uri: `mongodb://${host.includes(':') ? `[${host}]` : host}:${state.port}/?replicaSet=${REPLICA_SET}${options.tls ? '&tls=true' : ''}`,
    port: state.port,
    close() {
      closing ??= (async () => {
        clearInterval(housekeeping);
        clearInterval(ttl);
        state.cursors.closeAll();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await stopped;
        catalog.flush();
        if (journal) {
          compact();
          journal.close();
        }
      })();
      return closing;
    },
  };
}
