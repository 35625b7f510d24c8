/**
 * This process's open collaborative documents: one `Y.Doc` per document that
 * some socket here has open, loaded from the database when the first socket
 * opens it and released a grace period after the last one leaves.
 *
 * An update from a socket is checked, stored durably (persistence.ts), then
 * applied and broadcast to the document's other sockets here; the change feed
 * brings it to every other process (`applyRemote`), which applies it once and
 * broadcasts it once to its own sockets. Yjs ignores what a document already
 * has, so an update that arrives twice (its own echo, a client's resend)
 * changes and sends nothing. The log is compacted a quiet moment after the
 * last update, which also writes the document's text to its record.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CollabSettings } from '../config.js';
import { PayloadTooLargeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { QuorumServer, QuorumSocket } from '../realtime/io.js';
import type { WriteBlock } from '../moderation/restrictions.js';
import type { DocRef } from './documents.js';
import { applyAll, compact, loadState, UpdateLog } from './persistence.js';
import { syncUpdate } from './protocol.js';

/** One socket's hold on an open document. */
export interface Session {
  socket: QuorumSocket;
  canEdit: boolean;
  /** What the document belongs to, `discussion:<id>` or `meeting:<id>` (rights follow the socket's view of it). */
  scope: string;
  /** The record's group (null for a discussion among guests only), whose mutes apply to this editor. */
  groupId: string | null;
  /**
   * A mute or suspension of the editor found when the session opened or was
   * last re-checked (moderation/restrictions.ts): updates are refused with it
   * while it holds; once its time has passed it is read again.
   */
  block: WriteBlock | null;
  /** The Yjs client ids whose awareness this socket has sent (removed when it leaves). */
  clientIds: Set<number>;
}

/** A document open on this process. */
export interface OpenDoc {
  ref: DocRef;
  ydoc: Y.Doc;
  awareness: Awareness;
  sessions: Map<string, Session>;
  /** Resolves once the stored state is applied (updates from the feed wait for it). */
  loaded: Promise<void>;
  /** An upper bound of the encoded document size (bytes), for the document limit. */
  size: number;
  /** Updates accepted here since the last compaction. */
  unsettled: number;
  compactTimer: NodeJS.Timeout | null;
  releaseTimer: NodeJS.Timeout | null;
  /** Compactions of this document run one after another. */
  compacting: Promise<void>;
}

/** The room of a document's sockets on this process. */
export const collabRoom = (key: string) => `collab:${key}`;

/** Timings and limits (config.ts `collab`); `compactEvery` compacts during long bursts too. */
export type HubSettings = CollabSettings & { compactEvery?: number };

/**
 * Compactions running at once on a process. Each holds a transaction, a
 * database connection and a second copy of its document while it runs; when
 * many documents go quiet together (a meeting ends, a server restarts with
 * unsettled logs) running them all at once grew the connection pool and the
 * heap for nothing, since they contend for the same database anyway.
 */
const PARALLEL_COMPACTIONS = 2;

/** Runs at most `size` tasks at once, the others in the order they came. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export class CollabHub {
  /** Identifies this process's updates and awareness (random per start). */
  readonly processId = randomUUID();
  readonly docs = new Map<string, OpenDoc>();
  /** Updates refused because their sender may only read (for operators and tests). */
  refused = 0;
  /** Called once for each document this process opens (awareness attaches here). */
  onCreate: (doc: OpenDoc) => Promise<void> = () => Promise.resolve();
  private closed = false;
  /** Appends of updates, batched per document while one is being written. */
  private readonly log = new UpdateLog();
  /** Per socket, the write of its last update (the next one is stored after it). */
  private readonly writes = new WeakMap<QuorumSocket, Promise<void>>();
  private readonly compactions = new Slots(PARALLEL_COMPACTIONS);

  constructor(
    private readonly io: QuorumServer,
    private readonly logger: Logger,
    readonly settings: HubSettings,
  ) {}

  /** The document, opened (and loading) if no socket here has it open. */
  get(ref: DocRef): OpenDoc {
    const open = this.docs.get(ref.key);
    if (open) {
      if (open.releaseTimer) clearTimeout(open.releaseTimer);
      open.releaseTimer = null;
      return open;
    }
    const ydoc = new Y.Doc({ gc: true });
    const awareness = new Awareness(ydoc);
    awareness.setLocalState(null);
    const doc: OpenDoc = {
      ref,
      ydoc,
      awareness,
      sessions: new Map(),
      loaded: Promise.resolve(),
      size: 0,
      unsettled: 0,
      compactTimer: null,
      releaseTimer: null,
      compacting: Promise.resolve(),
    };
    doc.loaded = Promise.all([this.load(doc), this.onCreate(doc)]).then(
      () => undefined,
      (error: unknown) => {
        // Not kept half-loaded: the next open loads it afresh.
        if (this.docs.get(ref.key) === doc) this.docs.delete(ref.key);
        this.destroy(doc);
        throw error;
      },
    );
    doc.loaded.catch(() => undefined);
    ydoc.on('update', (update: Uint8Array, origin: unknown) => this.broadcast(doc, update, origin));
    this.docs.set(ref.key, doc);
    return doc;
  }

  private async load(doc: OpenDoc): Promise<void> {
    const { updates, logged } = await loadState(doc.ref);
    applyAll(doc.ydoc, updates, this.logger, 'load');
    doc.size = Y.encodeStateAsUpdate(doc.ydoc).length;
    // A log left by a process that stopped before compacting: settle it now.
    if (logged > 0) this.scheduleCompaction(doc, 0);
  }

  /** Sends an applied update to the document's sockets here, except the one it came from. */
  private broadcast(doc: OpenDoc, update: Uint8Array, origin: unknown): void {
    if (origin === 'load') return;
    const room = this.io.local.to(collabRoom(doc.ref.key));
    const target =
      typeof origin === 'string' && doc.sessions.has(origin) ? room.except(origin) : room;
    target.emit('collab:sync', { doc: doc.ref.key, sync: syncUpdate(update) });
  }

  /**
   * An update from an editor's socket: stored durably, then applied and
   * broadcast; resolves once stored (the caller acknowledges then).
   */
  accept(doc: OpenDoc, session: Session, update: Uint8Array): Promise<void> {
    // One socket's updates are stored in the order it sent them: each may build on the ones
    // before, so a later one acknowledged while an earlier one's write could still fail (or
    // die with the process) would be an acknowledged update the document cannot apply.
    const previous = this.writes.get(session.socket) ?? Promise.resolve();
    const stored = previous.then(() => this.store(doc, session, update));
    this.writes.set(
      session.socket,
      stored.catch(() => undefined),
    );
    return stored;
  }

  private async store(doc: OpenDoc, session: Session, update: Uint8Array): Promise<void> {
    await doc.loaded;
    if (doc.size + update.length > this.settings.maxDocumentBytes)
      throw PayloadTooLargeError('The document has reached its maximum size');
    const user = session.socket.data.viewer.user;
    await this.log.append({
      doc: doc.ref.key,
      update,
      userId: user ? new Types.ObjectId(String(user._id)) : null,
      processId: this.processId,
    });
    doc.size += update.length;
    Y.applyUpdate(doc.ydoc, update, session.socket.id);
    doc.unsettled += 1;
    const every = this.settings.compactEvery ?? 500;
    this.scheduleCompaction(doc, doc.unsettled >= every ? 0 : this.settings.compactAfterMs);
  }

  /** An update another process accepted (from the change feed): applied once, broadcast once here. */
  applyRemote(key: string, update: Uint8Array): void {
    const doc = this.docs.get(key);
    if (!doc) return;
    void doc.loaded.then(
      () => {
        if (this.docs.get(key) !== doc) return;
        doc.size += update.length;
        applyAll(doc.ydoc, [update], this.logger, 'feed');
      },
      () => undefined,
    );
  }

  /**
   * The change feed lost its place (collab/index.ts onResync), so updates
   * other processes stored meanwhile never arrived: each open document here
   * reloads its stored state and applies what it lacked as one update, which
   * is broadcast once to its sockets like any other, so they resynchronise.
   */
  async reloadAll(): Promise<number> {
    let reloaded = 0;
    for (const doc of [...this.docs.values()]) {
      try {
        await doc.loaded;
        const { updates } = await loadState(doc.ref);
        if (this.docs.get(doc.ref.key) !== doc) continue;
        const stored = new Y.Doc({ gc: true });
        applyAll(stored, updates, this.logger, 'load');
        const missing = Y.encodeStateAsUpdate(stored, Y.encodeStateVector(doc.ydoc));
        stored.destroy();
        doc.size += missing.length;
        applyAll(doc.ydoc, [missing], this.logger, 'resync');
        reloaded += 1;
      } catch (error) {
        this.logger.error(`collab: reloading ${doc.ref.key} after a feed resync failed`, error);
      }
    }
    return reloaded;
  }

  private scheduleCompaction(doc: OpenDoc, delayMs: number): void {
    if (doc.compactTimer) clearTimeout(doc.compactTimer);
    doc.compactTimer = setTimeout(() => {
      doc.compactTimer = null;
      void this.compact(doc);
    }, delayMs);
    doc.compactTimer.unref();
  }

  /** Folds the log into the snapshot and settles the record's text (one at a time per document). */
  compact(doc: OpenDoc): Promise<void> {
    const counted = doc.unsettled;
    doc.compacting = doc.compacting.then(async () => {
      try {
        await this.compactions.run(() => compact(doc.ref, this.logger));
        doc.unsettled = Math.max(0, doc.unsettled - counted);
        doc.size = Y.encodeStateAsUpdate(doc.ydoc).length;
      } catch (error) {
        this.logger.error(`collab: compaction of ${doc.ref.key} failed; retrying later`, error);
        if (!this.closed) this.scheduleCompaction(doc, this.settings.compactAfterMs * 2);
      }
    });
    return doc.compacting;
  }

  /** Ends a socket's session (closed, revoked or disconnected); the document is released after a grace period. */
  async leave(doc: OpenDoc, socket: QuorumSocket): Promise<Session | null> {
    const session = doc.sessions.get(socket.id);
    if (!session) return null;
    doc.sessions.delete(socket.id);
    await socket.leave(collabRoom(doc.ref.key));
    if (doc.sessions.size === 0 && !this.closed) {
      doc.releaseTimer = setTimeout(() => void this.release(doc), this.settings.releaseAfterMs);
      doc.releaseTimer.unref();
    }
    return session;
  }

  private async release(doc: OpenDoc): Promise<void> {
    doc.releaseTimer = null;
    if (doc.unsettled > 0) await this.compact(doc);
    if (doc.sessions.size > 0 || doc.releaseTimer || this.docs.get(doc.ref.key) !== doc) return;
    this.docs.delete(doc.ref.key);
    this.destroy(doc);
  }

  private destroy(doc: OpenDoc): void {
    if (doc.compactTimer) clearTimeout(doc.compactTimer);
    if (doc.releaseTimer) clearTimeout(doc.releaseTimer);
    doc.awareness.destroy();
    doc.ydoc.destroy();
  }

  /** Clean stop: settles every document with unsettled updates, then frees them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const doc of this.docs.values()) {
      if (doc.compactTimer) clearTimeout(doc.compactTimer);
      await doc.loaded.catch(() => undefined);
      if (doc.unsettled > 0) await this.compact(doc);
      await doc.compacting;
      this.destroy(doc);
    }
    this.docs.clear();
  }
}
