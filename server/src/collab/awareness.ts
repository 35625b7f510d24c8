/**
 * Awareness (who is in a document, their caret) on this process and across
 * processes, the way presence crosses them (realtime/presence.ts):
 *
 * - A socket's awareness update is sanitised here: only its own Yjs client
 *   ids, only a caret from the client; the name and colour are the server's
 *   (the person's display name, a colour from their id), so no email or any
 *   other field can travel (P5). It is applied to the document's `Awareness`,
 *   sent to the document's other sockets here, and written to `docawareness`
 *   at most every 200 ms per client (the latest state wins).
 * - What a document's sockets are sent is coalesced: a change is sent at once
 *   unless the document sent one less than `SEND_EVERY_MS` ago; then the
 *   changes meanwhile go together, as one message with each changed client's
 *   latest state, when that time is up. Every client renews its state every
 *   15 s, and clients that opened together renew together: with n sockets in
 *   a document, n renewals each sent to every socket were n² writes in one
 *   burst (200 watchers: 40,000 writes, seconds of a stalled process in which
 *   keystrokes waited); coalesced they are a few messages to each socket.
 * - Every other process sees that write in its change feed and applies it to
 *   its own copy of the document, if open, for its own sockets.
 * - A socket leaving (closing, losing its right, disconnecting, its account
 *   deactivated) removes its states at once, here and, through the deleted
 *   rows, everywhere. States of a crashed process expire: clients renew their
 *   state every 15 s, every `Awareness` drops states silent for 30 s, and
 *   every process sweeps expired rows.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import { CARET_COLOURS } from '../../../shared/caret-colours.js';
import { AuthorizationError, InvalidRequestError } from '../errors.js';
import type { Logger } from '../logger.js';
import { awarenessId, DocAwarenessModel, parseAwarenessId } from '../models/doc-awareness.js';
import { presentUserSummary } from '../presenters/user.js';
import type { FeedChange } from '../realtime/change-feed.js';
import type { QuorumServer } from '../realtime/io.js';
import { collabRoom, type CollabHub, type OpenDoc, type Session } from './hub.js';

/** The collection the change feed must watch for awareness to cross processes. */
export const AWARENESS_COLLECTION = DocAwarenessModel.collection.collectionName;

const MAX_CLIENTS_PER_SOCKET = 4;
const MAX_CARET_JSON = 2048;
const TTL_MS = 45_000;
const SWEEP_MS = 30_000;
/** How often one client's state is written for the other processes at most (ms). */
const PERSIST_EVERY_MS = 200;
/** How often a document's sockets are sent awareness changes at most (ms; see the module comment). */
export const SEND_EVERY_MS = 50;

interface Entry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** The colour of a person's caret: stable per person, the same on every process. */
export function colourOf(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return CARET_COLOURS[hash % CARET_COLOURS.length];
}

function encode(entries: Entry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

function decode(update: Uint8Array): Entry[] {
  const malformed = () => InvalidRequestError('Malformed awareness message');
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_CLIENTS_PER_SOCKET) throw malformed();
    const entries: Entry[] = [];
    for (let i = 0; i < count; i += 1) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw malformed();
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(decoder)) throw malformed();
    return entries;
  } catch {
    throw malformed();
  }
}

export class AwarenessRelay {
  private readonly sweeper: NodeJS.Timeout;
  /** Per awareness row: when it was last written, and the latest state held back since. */
  private readonly held = new Map<
    string,
    {
      at: number;
      latest: { doc: OpenDoc; session: Session; entry: Entry } | null;
      timer: NodeJS.Timeout | null;
    }
  >();

  constructor(
    private readonly io: QuorumServer,
    private readonly hub: CollabHub,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /**
   * Sends a document's awareness changes to its sockets here, coalesced (see
   * the module comment); a change that came from one socket alone is not sent
   * back to it.
   */
  attach(doc: OpenDoc): void {
    /** Clients changed since the last send, and the socket they all came from (null: several, or not a socket). */
    const changed = new Set<number>();
    let from: string | null | undefined;
    let sentAt = -Infinity;
    let timer: NodeJS.Timeout | null = null;
    const send = () => {
      timer = null;
      if (changed.size === 0) return;
      sentAt = performance.now();
      const room = this.io.local.to(collabRoom(doc.ref.key));
      const target = from && doc.sessions.has(from) ? room.except(from) : room;
      const awareness = encodeAwarenessUpdate(doc.awareness, [...changed]);
      changed.clear();
      from = undefined;
      target.emit('collab:awareness', { doc: doc.ref.key, awareness });
    };
    doc.awareness.on(
      'update',
      (changes: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        for (const list of [changes.added, changes.updated, changes.removed])
          for (const clientId of list) changed.add(clientId);
        const socket = typeof origin === 'string' && doc.sessions.has(origin) ? origin : null;
        from = from === undefined || from === socket ? socket : null;
        if (timer) return;
        const wait = sentAt + SEND_EVERY_MS - performance.now();
        if (wait <= 0) send();
        else timer = setTimeout(send, wait);
      },
    );
    doc.awareness.on('destroy', () => {
      if (timer) clearTimeout(timer);
      timer = null;
    });
  }

  /** Everyone in the document now, for a socket that opens it. */
  snapshot(doc: OpenDoc): Uint8Array {
    return encodeAwarenessUpdate(doc.awareness, [...doc.awareness.getStates().keys()]);
  }

  /** States other processes hold for a document this process just opened. */
  async loadRemote(doc: OpenDoc): Promise<void> {
    const rows = await DocAwarenessModel.find({
      doc: doc.ref.key,
      processId: { $ne: this.hub.processId },
      expiresAt: { $gt: new Date() },
    }).lean();
    const entries = rows.map((row) => ({
      clientId: row.clientId,
      clock: row.clock,
      state: JSON.parse(row.state) as Record<string, unknown> | null,
    }));
    if (entries.length > 0) applyAwarenessUpdate(doc.awareness, encode(entries), 'feed');
  }

  /** A socket's own awareness update: sanitised, applied, relayed. */
  async accept(doc: OpenDoc, session: Session, update: Uint8Array): Promise<void> {
    if (!session.canEdit) throw AuthorizationError('Only editors share a caret');
    const entries = decode(update);
    const user = session.socket.data.viewer.user;
    const summary = presentUserSummary(user);
    const owned = (clientId: number) =>
      [...doc.sessions.values()].some(
        (other) => other !== session && other.clientIds.has(clientId),
      );
    const clean: Entry[] = [];
    for (const entry of entries) {
      const mine = session.clientIds.has(entry.clientId);
      if (!mine && (owned(entry.clientId) || session.clientIds.size >= MAX_CLIENTS_PER_SOCKET))
        throw AuthorizationError('That awareness client belongs to someone else');
      session.clientIds.add(entry.clientId);
      const caret = entry.state?.cursor ?? null;
      const caretOk =
        caret === null ||
        (typeof caret === 'object' && JSON.stringify(caret).length <= MAX_CARET_JSON);
      clean.push({
        clientId: entry.clientId,
        clock: entry.clock,
        state:
          entry.state === null
            ? null
            : {
                user: { name: summary.name, color: colourOf(summary.id) },
                cursor: caretOk ? caret : null,
              },
      });
    }
    applyAwarenessUpdate(doc.awareness, encode(clean), session.socket.id);
    for (const entry of clean) await this.persist(doc, session, entry);
  }

  /**
   * Writes a state to `docawareness` for the other processes, at most once
   * per `PERSIST_EVERY_MS` per client (a caret moves with every keystroke; the
   * latest state is written when the interval is up). Removals go at once.
   */
  private async persist(doc: OpenDoc, session: Session, entry: Entry): Promise<void> {
    const _id = awarenessId(doc.ref.key, entry.clientId);
    const held = this.held.get(_id);
    if (entry.state === null) {
      if (held?.timer) clearTimeout(held.timer);
      this.held.delete(_id);
      await DocAwarenessModel.deleteOne({ _id });
      return;
    }
    const now = Date.now();
    if (held && now - held.at < PERSIST_EVERY_MS) {
      held.latest = { doc, session, entry };
      held.timer ??= setTimeout(
        () => {
          held.timer = null;
          const latest = held.latest;
          held.latest = null;
          if (latest && this.held.get(_id) === held)
            void this.write(latest.doc, latest.session, latest.entry).catch((error: unknown) =>
              this.logger.error('collab: awareness write failed', error),
            );
        },
        PERSIST_EVERY_MS - (now - held.at),
      );
      return;
    }
    this.held.set(_id, { at: now, latest: null, timer: null });
    await this.write(doc, session, entry);
  }

  private async write(doc: OpenDoc, session: Session, entry: Entry): Promise<void> {
    const held = this.held.get(awarenessId(doc.ref.key, entry.clientId));
    if (held) held.at = Date.now();
    await DocAwarenessModel.updateOne(
      { _id: awarenessId(doc.ref.key, entry.clientId) },
      {
        $set: {
          doc: doc.ref.key,
          clientId: entry.clientId,
          clock: entry.clock,
          state: JSON.stringify(entry.state),
          socketId: session.socket.id,
          processId: this.hub.processId,
          userId: session.socket.data.viewer.user?._id ?? null,
          expiresAt: new Date(Date.now() + TTL_MS),
        },
      },
      { upsert: true },
    );
  }

  /** A socket left a document: its carets disappear here now and elsewhere through the deletes. */
  async leave(doc: OpenDoc, session: Session): Promise<void> {
    const ids = [...session.clientIds].filter((id) => doc.awareness.getStates().has(id));
    if (ids.length > 0) removeAwarenessStates(doc.awareness, ids, 'leave');
    if (session.clientIds.size === 0) return;
    for (const id of session.clientIds) {
      const held = this.held.get(awarenessId(doc.ref.key, id));
      if (held?.timer) clearTimeout(held.timer);
      this.held.delete(awarenessId(doc.ref.key, id));
    }
    await DocAwarenessModel.deleteMany({
      _id: { $in: [...session.clientIds].map((id) => awarenessId(doc.ref.key, id)) },
      processId: this.hub.processId,
    }).catch((error: unknown) => this.logger.error('collab: awareness delete failed', error));
  }

  /** A change of `docawareness` from the feed (another process's socket). */
  onChange(change: FeedChange): void {
    if (change.operationType === 'delete') {
      const parsed = parseAwarenessId(change.documentKey);
      const doc = parsed && this.hub.docs.get(parsed.doc);
      if (!doc || !parsed) return;
      const local = [...doc.sessions.values()].some((s) => s.clientIds.has(parsed.clientId));
      if (!local && doc.awareness.getStates().has(parsed.clientId))
        removeAwarenessStates(doc.awareness, [parsed.clientId], 'feed');
      return;
    }
    const row = change.fullDocument;
    if (!row || row.processId === this.hub.processId) return;
    const doc = this.hub.docs.get(String(row.doc));
    if (!doc) return;
    const entry = {
      clientId: Number(row.clientId),
      clock: Number(row.clock),
      state: JSON.parse(String(row.state)) as Record<string, unknown> | null,
    };
    applyAwarenessUpdate(doc.awareness, encode([entry]), 'feed');
  }

  private async sweep(): Promise<void> {
    await DocAwarenessModel.deleteMany({ expiresAt: { $lte: new Date() } }).catch(
      (error: unknown) => this.logger.error('collab: awareness sweep failed', error),
    );
  }

  /** Clean stop: this process's states go (the sockets go with it). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const held of this.held.values()) if (held.timer) clearTimeout(held.timer);
    this.held.clear();
    await DocAwarenessModel.deleteMany({ processId: this.hub.processId }).catch(() => undefined);
  }
}
