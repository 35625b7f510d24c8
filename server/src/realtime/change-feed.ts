/**
 * The process's change feed (DESIGN.md, "How a write travels", step 2): one
 * database-wide change stream, filtered to the collections that matter, whose
 * changes are handed to the app one at a time, in order. Its resume token is
 * persisted (models/feed-position.ts) only after the app has finished with a
 * change, so a crash re-delivers at most the changes since the last persisted
 * token and never loses one; a clean stop persists the exact position, so a
 * restart delivers each change exactly once. When the stored position is gone
 * from the server's history, the feed starts from now and tells the app, which
 * asks its clients to resynchronise.
 */
import {
  BSON,
  MongoError,
  type ChangeStream,
  type ChangeStreamDocument,
  type ChangeStreamOptions,
  type Document,
  type ResumeToken,
} from 'mongodb';
import mongoose from 'mongoose';
import { FeedPositionModel } from '../models/feed-position.js';

/** A change to one watched document, in the shape the rest of the realtime layer uses. */
export interface FeedChange {
  collection: string;
  operationType: 'insert' | 'update' | 'replace' | 'delete';
  /** The document's `_id`. */
  documentKey: unknown;
  /** The document as it is now (insert, replace; updates are looked up); null for deletes or if already gone. */
  fullDocument: Record<string, unknown> | null;
  updatedFields?: Record<string, unknown>;
  removedFields?: string[];
  /** Arrays an update cut short (MongoDB may say so instead of naming them in `updatedFields`). */
  truncatedArrays?: string[];
  clusterTime?: unknown;
}

export interface ChangeFeedOptions {
  /** Identifies this feed's persisted position; one per process role (e.g. `realtime:${hostname}:${port}` or an env-provided id). */
  feedId: string;
  /** Collection names to watch ($match on ns.coll). */
  collections: string[];
  /** Called for each change, in order; the feed awaits it before persisting the next position. Errors are logged and do not stop the feed. */
  onChange(change: FeedChange): Promise<void> | void;
  /** Called when the stored position is too old (ChangeStreamHistoryLost, code 286) or unusable: the feed restarts from now and tells the app so it can ask clients to resynchronise. */
  onResync(reason: 'history_lost' | 'invalid_token'): Promise<void> | void;
  /**
   * Sees every change first, before `isObservable` drops any, e.g. to forget
   * cached copies of what changed. Synchronous; errors are logged.
   */
  observe?(change: FeedChange): void;
  /** Drops changes nobody can observe, e.g. an update touching only server-side fields. */
  isObservable?(change: FeedChange): boolean;
  /**
   * Changes the process never needs (e.g. its own writes, which it has
   * already applied), as `$match` conditions on the change event: the
   * database drops them, so they are neither sent nor decoded here.
   */
  ignore?: Document[];
  logger: {
    info(...a: unknown[]): void;
    warn(...a: unknown[]): void;
    error(...a: unknown[]): void;
    debug?(...a: unknown[]): void;
  };
  /**
   * Said at info level the first time the stream opens, in words for whoever
   * reads the start-up log ("live updates ready"); the feed's own details
   * (its id, whether it resumed) are logged at debug level.
   */
  announce?: string;
  /** Persist the position at most this often after delivering changes (ms, default 250), and on stop(). */
  persistIntervalMs?: number;
  /** While no watched change arrives, persist the post-batch position at most this often (ms, default 10 s), so a quiet feed's position never ages out of the history. */
  idlePersistIntervalMs?: number;
  /** How long the server holds a poll open waiting for changes (ms; the server's default, 1 s, if unset). Tests use ~50. */
  maxAwaitTimeMS?: number;
}

/** A running feed. */
export interface ChangeFeed {
  /** Closes the stream, persists the last position and waits for the loop to exit. Never rejects. */
  stop(): Promise<void>;
  /** Resolves once the stream is open on the server (and any resync has been announced), or at stop(). For tests. */
  ready: Promise<void>;
  /** Resolves once every change committed before the call has been handled by `onChange`. For tests. */
  barrier(): Promise<void>;
}

const OPERATION_TYPES = ['insert', 'update', 'replace', 'delete'];
const HISTORY_LOST = 286;
/** What a server answers when asked to resume from a token it cannot use (BadValue, FailedToParse, InvalidOptions, InvalidResumeToken, ChangeStreamFatalError). */
const UNUSABLE_TOKEN_CODES = new Set([2, 9, 72, 260, 280]);
const MAX_BACKOFF_MS = 5000;

type DataChange = Extract<ChangeStreamDocument, { operationType: FeedChange['operationType'] }>;

/** Compares tokens by value (they are BSON documents, possibly holding binary data). */
function keyOf(token: unknown): string | null {
  return token === undefined || token === null ? null : BSON.EJSON.stringify(token);
}

function isDataChange(change: ChangeStreamDocument): change is DataChange {
  return OPERATION_TYPES.includes(change.operationType);
}

function toFeedChange(change: DataChange): FeedChange {
  const base = {
    collection: change.ns.coll,
    operationType: change.operationType,
    documentKey: change.documentKey._id,
    clusterTime: change.clusterTime,
  };
  if (change.operationType === 'delete') return { ...base, fullDocument: null };
  const fullDocument: Record<string, unknown> | null = change.fullDocument ?? null;
  if (change.operationType !== 'update') return { ...base, fullDocument };
  return {
    ...base,
    fullDocument,
    updatedFields: change.updateDescription.updatedFields ?? {},
    removedFields: change.updateDescription.removedFields ?? [],
    truncatedArrays: (change.updateDescription.truncatedArrays ?? []).map((cut) => cut.field),
  };
}

/** Opens the feed from its persisted position. Rejects only if that position cannot be read. */
export async function startChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const { feedId, logger } = options;
  if (!feedId) throw new TypeError('startChangeFeed: feedId is required');
  if (options.collections.length === 0) throw new TypeError('startChangeFeed: no collections');
  const persistIntervalMs = options.persistIntervalMs ?? 250;
  const idlePersistIntervalMs = options.idlePersistIntervalMs ?? 10_000;
  const positions = FeedPositionModel.collection.collectionName;
  const wanted = {
    $or: [
      { 'ns.coll': { $in: options.collections }, operationType: { $in: OPERATION_TYPES } },
      // Our own position writes, seen only so they do not count as progress worth persisting.
      { 'ns.coll': positions, 'documentKey._id': feedId },
      { 'ns.coll': positions, 'documentKey._id': `${feedId}:barrier` },
    ],
  };
  const ignore = options.ignore ?? [];
  const pipeline: Document[] = [
    { $match: ignore.length > 0 ? { $and: [wanted, { $nor: ignore }] } : wanted },
  ];

  const stored = await FeedPositionModel.findById(feedId).lean();
  let lastSeen: ResumeToken = undefined;
  let resync: 'history_lost' | 'invalid_token' | null = null;
  if (stored && typeof stored.token === 'object' && stored.token !== null) lastSeen = stored.token;
  else if (stored) resync = 'invalid_token';
  let persistedKey = keyOf(lastSeen);
  let ownWriteKey: string | null = null;
  let lastPersistAt = Date.now();
  let delivered = false;
  let mustPersist = false;
  /**
   * Counts what makes the position worth writing (a change delivered, a
   * write required): a write that saw no more of it meanwhile settles both
   * flags. Not the token, which also moves by the feed's own writes and by
   * empty batches; a write racing its own change event would otherwise find
   * it moved and write again, forever.
   */
  let progress = 0;
  /** Position writes failed in a row: the next waits 100 ms, doubling, up to MAX_BACKOFF_MS. */
  let persistFailures = 0;
  /** The position must be written at the next chance (a fresh start, an invalidate). */
  const requireWrite = () => {
    mustPersist = true;
    progress++;
  };

  let stopping = false;
  let current: ChangeStream<Document, ChangeStreamDocument> | null = null;
  let wake: (() => void) | null = null;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  async function persist(): Promise<void> {
    const token = lastSeen;
    const key = keyOf(token);
    if (key === null) return; // nothing to keep (e.g. stopped while restarting from now)
    lastPersistAt = Date.now();
    const seen = progress;
    try {
      await FeedPositionModel.updateOne(
        { _id: feedId },
        { $set: { token, updatedAt: new Date() } },
        { upsert: true },
      );
      persistedKey = key;
      persistFailures = 0;
      // Changes delivered while the write was out are still to persist.
      if (progress === seen) [delivered, mustPersist] = [false, false];
    } catch (err) {
      persistFailures++;
      logger.warn(`change feed ${feedId}: could not persist its position`, err);
    }
  }

  /** The position being written in the background, if one is. */
  let persisting: Promise<void> | null = null;

  /**
   * Whether the position should be written now (it moved, and it is time).
   * After a failed write, not before its pause: a required write would
   * otherwise be tried again after every change while the database refuses it.
   */
  function persistDue(): boolean {
    const key = keyOf(lastSeen);
    if (key === null || key === persistedKey) return false;
    const since = Date.now() - lastPersistAt;
    if (persistFailures > 0 && since < Math.min(MAX_BACKOFF_MS, 100 * 2 ** persistFailures))
      return false;
    return (
      mustPersist ||
      (delivered && since >= persistIntervalMs) ||
      (key !== ownWriteKey && since >= idlePersistIntervalMs)
    );
  }

  /**
   * Writes the position when due, in the background: the next change is not
   * held up by it, so the changes of one transaction reach the app together.
   */
  function persistWhenDue(): void {
    if (persisting || !persistDue()) return;
    persisting = persist().finally(() => (persisting = null));
  }

  /** Writes the position now (after any write in flight), when due. */
  async function persistNowIfDue(): Promise<void> {
    await persisting;
    if (persistDue()) await persist();
  }

  async function deliver(change: DataChange): Promise<void> {
    const feedChange = toFeedChange(change);
    try {
      options.observe?.(feedChange);
    } catch (err) {
      logger.error(`change feed ${feedId}: observe threw`, err);
    }
    try {
      if (options.isObservable && !options.isObservable(feedChange)) return;
    } catch (err) {
      logger.error(`change feed ${feedId}: isObservable threw; delivering the change`, err);
    }
    try {
      await options.onChange(feedChange);
    } catch (err) {
      logger.error(`change feed ${feedId}: onChange failed for ${feedChange.collection}`, err);
    }
    delivered = true;
    progress++;
  }

  /** Once per stream, as soon as the server has opened it: announce a pending resync, mark ready. */
  let announced = false;

  async function opened(fromNow: boolean): Promise<void> {
    logger.debug?.(`change feed ${feedId}: stream open${fromNow ? ' from now' : ', resuming'}`);
    if (options.announce && !announced) logger.info(options.announce);
    announced = true;
    if (fromNow) requireWrite();
    if (resync) {
      const reason = resync;
      resync = null;
      logger.warn(`change feed ${feedId}: resynchronising clients (${reason})`);
      try {
        await options.onResync(reason);
      } catch (err) {
        logger.error(`change feed ${feedId}: onResync failed`, err);
      }
    }
    markReady();
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      const db = mongoose.connection.db;
      if (!db || mongoose.connection.readyState !== mongoose.ConnectionStates.connected) {
        await pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures++));
        continue;
      }
      const fromNow = lastSeen === undefined;
      const watchOptions: ChangeStreamOptions = { fullDocument: 'updateLookup' };
      // startAfter, unlike resumeAfter, also accepts the token of an invalidate event.
      if (lastSeen !== undefined) watchOptions.startAfter = lastSeen;
      if (options.maxAwaitTimeMS !== undefined)
        watchOptions.maxAwaitTimeMS = options.maxAwaitTimeMS;
      const stream = db.watch<Document, ChangeStreamDocument>(pipeline, watchOptions);
      current = stream;
      let established = false;
      let opening: Promise<void> | undefined;
      const open = () => {
        established = true;
        failures = 0;
        opening ??= opened(fromNow).catch((err: unknown) => logger.error('change feed', err));
      };
      // The first token arrives with the server's answer to the aggregate, before the first poll ends.
      stream.once('resumeTokenChanged', open);
      try {
        while (!stopping) {
          const change = await stream.tryNext();
          // The token after this change, or the post-batch token when none came.
          const token = stream.resumeToken;
          if (stopping) break; // an undelivered change stays after the position: delivered next time
          open();
          await opening;
          // A cursor the server has ended answers null at once, forever: reopen instead of spinning.
          if (!change && stream.closed) throw new Error('the server ended the change stream');
          if (change?.operationType === 'invalidate') {
            // The database was dropped: the server closed the stream; start after the invalidate.
            lastSeen = change._id;
            requireWrite();
            await persistNowIfDue();
            break;
          }
          if (change && isDataChange(change)) {
            const key = (change.documentKey as { _id: unknown })._id;
            const own = change.ns.coll === positions && key === feedId;
            if (change.ns.coll === positions && key === `${feedId}:barrier`) {
              const marker = (change as { fullDocument?: { updatedAt?: unknown } }).fullDocument;
              passBarriers(
                String(marker?.updatedAt instanceof Date ? marker.updatedAt.getTime() : ''),
              );
            } else if (own) ownWriteKey = keyOf(token);
            else await deliver(change);
          }
          if (token !== undefined && token !== null) lastSeen = token;
          persistWhenDue();
        }
      } catch (err) {
        if (stopping) break;
        const code = err instanceof MongoError ? err.code : undefined;
        if (code === HISTORY_LOST && (established || !fromNow)) {
          logger.warn(`change feed ${feedId}: history lost; restarting from now`);
          [resync, lastSeen] = ['history_lost', undefined];
        } else if (!established && !fromNow && UNUSABLE_TOKEN_CODES.has(Number(code))) {
          logger.warn(
            `change feed ${feedId}: stored position unusable (${code}); restarting from now`,
          );
          [resync, lastSeen] = ['invalid_token', undefined];
        } else {
          logger.error(`change feed ${feedId}: stream failed; reopening`, err);
          await pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures++));
        }
      } finally {
        current = null;
        await stream.close().catch(() => undefined);
        await opening;
      }
    }
    await persisting;
    if (keyOf(lastSeen) !== persistedKey) await persist();
  }

  const barriers = new Map<string, () => void>();
  function passBarriers(stamp: string): void {
    // Barriers are passed in order: one seen means every earlier one is passed too.
    for (const [key, resolve] of barriers) {
      resolve();
      barriers.delete(key);
      if (key === stamp) break;
    }
  }

  const loop = run().catch((err: unknown) => {
    logger.error(`change feed ${feedId}: stopped unexpectedly`, err);
  });

  let lastStamp = 0;
  return {
    ready,
    async barrier() {
      const stamp = Math.max(Date.now(), lastStamp + 1);
      lastStamp = stamp;
      const passed = new Promise<void>((resolve) => barriers.set(String(stamp), resolve));
      await FeedPositionModel.updateOne(
        { _id: `${feedId}:barrier` },
        { $set: { token: null, updatedAt: new Date(stamp) } },
        { upsert: true },
      );
      await passed;
    },
    async stop() {
      if (!stopping) {
        stopping = true;
        wake?.();
        await current?.close().catch(() => undefined);
      }
      await loop;
      markReady();
    },
  };
}
