/**
 * Presence (who is viewing a discussion) and typing indicators, across every
 * app process, through the database and the change feed (no broker), at a cost
 * that follows changes, not watchers:
 *
 * - Each process keeps, per watched discussion, its own sockets in memory
 *   (following the rooms themselves: the adapter's `join-room` / `leave-room`,
 *   so whoever moves a socket, watch, unwatch, disconnect or a right gained or
 *   lost in access.ts, moves its presence too) and writes one `presences`
 *   document per discussion with what its sockets contribute, coalesced (at
 *   most every `coalesceMs`). A heartbeat refreshes this process's documents
 *   in one update (O(discussions)); a crashed process stops refreshing them
 *   and every surviving process sweeps expired ones; a clean stop deletes this
 *   process's documents.
 * - Every process sees every other process's document in its own feed (the
 *   change carries the document) and keeps the latest per process in memory
 *   (models/presence.ts; state in presence-state.ts). Per discussion it sends
 *   its own sockets, at most every `coalesceMs`, only what changed
 *   (`presence:diff`: who joined or left the named list, and the counts; count
 *   changes alone at most every `countsMs`); a socket that starts watching
 *   gets the whole picture once (`presence:changed`). The named list is capped
 *   (`PRESENCE_NAMED_MAX`), the counts are complete.
 *
 * Who may see whom (P5, P6, P10): participants' views (guest, member,
 * coordinator) see the participants viewing by name (`presentUserSummary`,
 * never an email) and who is typing; the visitor view sees counts only and no
 * typing. Signed-in non-participants watching a public discussion (the visitor
 * view) are counted, never named, to anyone: reading is not taking part.
 *
 * Typing states lapse `typingMs` after the last `discussion:typing` (a client
 * repeats while typing); each process re-evaluates when the next one lapses,
 * so a stale indicator disappears on time even if its client or process
 * vanished. Times are compared across processes, which assumes clocks in sync
 * to well under a second.
 */
import { KeyedQueue } from './keyed-queue.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { View } from '../../../shared/domain.js';
import type { UserSummaryDto } from '../../../shared/dto.js';
import type { TypingRequest } from '../../../shared/events.js';
import { userIdOf } from '../auth/viewer.js';
import { loadDiscussion } from '../commands/discussions/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import { AuthorizationError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { PresenceModel, partsOfPresence, presenceId, type Presence } from '../models/presence.js';
import { canComment, canReadDiscussion } from '../policies/discussion.js';
import type { FeedChange } from './change-feed.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { DiscussionPresenceState, fromDocument, PARTICIPANT_VIEWS } from './presence-state.js';
import { DISCUSSION_VIEWS, discussionRoom } from './rooms.js';
import { objectId, type ClientEventHandlers } from './client-events.js';

/** The collection the change feed must watch for presence to cross processes. */
export const PRESENCE_COLLECTION = PresenceModel.collection.collectionName;

/** Timings; tests shorten them. */
export interface PresenceOptions {
  /** How often this process refreshes its presences (ms, default 20 s). */
  heartbeatMs?: number;
  /** How long a presence outlives its last refresh (ms, default 60 s). */
  ttlMs?: number;
  /** How often expired presences (of crashed processes) are deleted (ms, default 20 s). */
  sweepMs?: number;
  /** How long one `discussion:typing` keeps a person typing (ms, default 5 s). */
  typingMs?: number;
  /** How long joins and leaves in one discussion gather before they are written and sent (ms, default 250). */
  coalesceMs?: number;
  /** How often a change of the counts alone is sent (ms, default 1 s). */
  countsMs?: number;
}

const ROOM = /^discussion:([0-9a-f]{24}):(visitor|guest|member|coordinator)$/;
const typingSchema = z.strictObject({ discussionId: objectId, typing: z.boolean() });

const byName = (a: UserSummaryDto, b: UserSummaryDto) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** This process's side of presence and typing; see the module comment. */
export class PresenceTracker {
  /** Identifies this process's presences (random per start). */
  readonly processId = randomUUID();
  private readonly settings: Required<PresenceOptions>;
  /** Writes of this process's documents, one after another per discussion. */
  private readonly writes: KeyedQueue;
  /** Reads and sends, one after another per discussion. */
  private readonly sends: KeyedQueue;
  /** Discussion id -> its presence here, while some socket here watches it. */
  private readonly watched = new Map<string, DiscussionPresenceState>();
  private readonly timers: NodeJS.Timeout[];
  private stopped = false;

  constructor(
    private readonly io: QuorumServer,
    private readonly logger: Logger,
    options: PresenceOptions = {},
  ) {
    const heartbeatMs = options.heartbeatMs ?? 20_000;
    this.settings = {
      heartbeatMs,
      ttlMs: options.ttlMs ?? 3 * heartbeatMs,
      sweepMs: options.sweepMs ?? heartbeatMs,
      typingMs: options.typingMs ?? 5_000,
      coalesceMs: options.coalesceMs ?? 250,
      countsMs: options.countsMs ?? 1_000,
    };
    const log = (error: unknown) => logger.error('presence: operation failed', error);
    this.writes = new KeyedQueue(log);
    this.sends = new KeyedQueue(log);
    const adapter = io.of('/').adapter;
    adapter.on('join-room', (room: string, socketId: string) => this.joined(room, socketId));
    adapter.on('leave-room', (room: string, socketId: string) => this.left(room, socketId));
    this.timers = [
      setInterval(() => void this.heartbeat(), this.settings.heartbeatMs),
      setInterval(() => void this.sweep(), this.settings.sweepMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  /** Refreshes of `expiresAt` alone change nothing anyone sees: the feed drops them. */
  static isObservable(change: FeedChange): boolean {
    if (change.operationType !== 'update') return true;
    return Object.keys(change.updatedFields ?? {}).some((field) => field !== 'expiresAt');
  }

  /** Another process's presence document changed: remember it, and tell this process's sockets. */
  onChange(change: FeedChange): void {
    const parts = partsOfPresence(change.documentKey);
    if (!parts || parts.processId === this.processId) return;
    const state = this.watched.get(parts.discussionId);
    if (!state) return;
    if (state.loading) state.seenDuringLoad.add(parts.processId);
    if (change.operationType === 'delete' || !change.fullDocument)
      state.remote.delete(parts.processId);
    else
      state.remote.set(parts.processId, fromDocument(change.fullDocument as unknown as Presence));
    this.scheduleSend(parts.discussionId, state, this.settings.coalesceMs);
  }

  /** For tests: behave as if this process died (no heartbeat, no sweep, no writes, nothing deleted). */
  halt(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const state of this.watched.values()) {
      if (state.emitTimer) clearTimeout(state.emitTimer);
      if (state.writeTimer) clearTimeout(state.writeTimer);
    }
  }

  /** Clean stop: waits for pending work, then deletes this process's presences. */
  async close(): Promise<void> {
    const wasStopped = this.stopped;
    this.halt();
    await this.writes.idle();
    await this.sends.idle();
    if (wasStopped) return;
    await PresenceModel.deleteMany({ processId: this.processId }).catch((error: unknown) =>
      this.logger.error('presence: could not delete this process’s presences', error),
    );
  }

  /** The state of a discussion watched here, created (and the other processes' documents read) on first use. */
  private stateOf(discussionId: string): DiscussionPresenceState {
    const known = this.watched.get(discussionId);
    if (known) return known;
    const created = new DiscussionPresenceState();
    this.watched.set(discussionId, created);
    void this.sends.push(discussionId, async () => {
      const docs = await PresenceModel.find({
        discussionId,
        processId: { $ne: this.processId },
        expiresAt: { $gt: new Date() },
      }).lean();
      for (const doc of docs)
        if (!created.seenDuringLoad.has(doc.processId))
          created.remote.set(doc.processId, fromDocument(doc));
      created.loading = false;
      created.seenDuringLoad.clear();
    });
    return created;
  }

  private joined(room: string, socketId: string): void {
    const match = ROOM.exec(room);
    const socket = this.io.of('/').sockets.get(socketId);
    if (!match || !socket || this.stopped) return;
    const [, discussionId] = match;
    const state = this.stateOf(discussionId);
    const user = socket.data.viewer.user;
    state.sockets.set(socketId, { userId: user ? String(user._id) : null, view: match[2] as View });
    state.fresh.add(socketId);
    this.changed(discussionId, state, this.settings.coalesceMs);
  }

  private left(room: string, socketId: string): void {
    const match = ROOM.exec(room);
    if (!match) return;
    const [, discussionId] = match;
    const state = this.watched.get(discussionId);
    // Only the room it is in: a socket moving to another view has already been recorded there.
    if (!state || state.sockets.get(socketId)?.view !== match[2]) return;
    state.sockets.delete(socketId);
    state.fresh.delete(socketId);
    if (state.sockets.size > 0) return this.changed(discussionId, state, this.settings.coalesceMs);
    // Nobody here watches it any more: forget it, and take this process's document away.
    if (state.emitTimer) clearTimeout(state.emitTimer);
    if (state.writeTimer) clearTimeout(state.writeTimer);
    this.watched.delete(discussionId);
    void this.write(discussionId);
  }

  /** This process's sockets or typists in a discussion changed: write and send, soon. */
  private changed(discussionId: string, state: DiscussionPresenceState, delay: number): void {
    this.scheduleWrite(discussionId, state, delay);
    this.scheduleSend(discussionId, state, delay);
  }

  private scheduleWrite(discussionId: string, state: DiscussionPresenceState, delay: number): void {
    if (this.stopped || (state.writeTimer && delay > 0)) return;
    if (state.writeTimer) clearTimeout(state.writeTimer);
    state.writeTimer = setTimeout(() => {
      state.writeTimer = null;
      void this.write(discussionId);
    }, delay);
    state.writeTimer.unref();
  }

  private scheduleSend(discussionId: string, state: DiscussionPresenceState, delay: number): void {
    const at = Date.now() + Math.max(0, delay);
    if (this.stopped || (state.emitTimer && state.emitAt <= at)) return;
    if (state.emitTimer) clearTimeout(state.emitTimer);
    state.emitAt = at;
    state.emitTimer = setTimeout(
      () => {
        state.emitTimer = null;
        state.emitAt = Infinity;
        void this.sends.push(discussionId, () => this.send(discussionId, state));
      },
      Math.max(0, delay),
    );
    state.emitTimer.unref();
  }

  /** Writes this process's contribution to a discussion as it is now (or deletes it: nobody here). */
  private write(discussionId: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const _id = presenceId(discussionId, this.processId);
    return this.writes.push(discussionId, async () => {
      const state = this.watched.get(discussionId);
      if (!state) return PresenceModel.deleteOne({ _id });
      const own = state.own(Date.now());
      const fields: Record<string, unknown> = {
        participants: own.participants,
        others: own.others,
        anonymous: own.anonymous,
        typing: [...own.typing].map(([userId, until]) => ({ userId, until: new Date(until) })),
      };
      // Only what changed is set: a typist's every keystroke does not send (and make the database
      // keep a copy of) hundreds of participants. Should the document be gone (swept after a stall,
      // deleted with an account), it is written whole.
      const changed: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(fields)) {
        const text = JSON.stringify(value);
        if (state.written.get(field) === text) continue;
        changed[field] = value;
        state.written.set(field, text);
      }
      if (Object.keys(changed).length === 0) return;
      const set = (values: Record<string, unknown>) => ({
        $set: {
          ...values,
          processId: this.processId,
          discussionId,
          expiresAt: new Date(Date.now() + this.settings.ttlMs),
        },
      });
      try {
        const whole = Object.keys(changed).length === Object.keys(fields).length;
        if (!whole) {
          const { matchedCount } = await PresenceModel.updateOne({ _id }, set(changed));
          if (matchedCount > 0) return;
        }
        await PresenceModel.updateOne({ _id }, set(fields), { upsert: true });
      } catch (error) {
        // Whatever this write left, the next one sets everything.
        state.written.clear();
        throw error;
      }
    });
  }

  /** Refreshes this process's documents in one update; rewrites any that went missing (e.g. swept after a stall). */
  private async heartbeat(): Promise<void> {
    if (this.watched.size === 0 || this.stopped) return;
    try {
      const refreshed = await PresenceModel.updateMany(
        { processId: this.processId },
        { $set: { expiresAt: new Date(Date.now() + this.settings.ttlMs) } },
      );
      if (refreshed.matchedCount >= this.watched.size) return;
      for (const [discussionId, state] of this.watched) {
        state.written.clear();
        this.scheduleWrite(discussionId, state, 0);
      }
    } catch (error) {
      this.logger.error('presence: heartbeat failed', error);
    }
  }

  /** Deletes every expired presence (a crashed process's); the deletes reach every process's feed. */
  private async sweep(): Promise<void> {
    await PresenceModel.deleteMany({ expiresAt: { $lte: new Date() } }).catch((error: unknown) =>
      this.logger.error('presence: sweep failed', error),
    );
  }

  /** The handler of `discussion:typing` (registered, and rate limited, by client-events.ts). */
  handlers(): Pick<ClientEventHandlers, 'discussion:typing'> {
    return {
      'discussion:typing': {
        schema: typingSchema,
        handle: (socket, request) => this.typing(socket, request),
      },
    };
  }

  private async typing(
    socket: QuorumSocket,
    { discussionId, typing }: TypingRequest,
  ): Promise<null> {
    const now = Date.now();
    if (!DISCUSSION_VIEWS.some((view) => socket.rooms.has(discussionRoom(discussionId, view))))
      throw NotFoundError('Watch the discussion first');
    const viewer = socket.data.viewer;
    const loaded = await loadDiscussion(discussionId);
    if (!loaded || !canReadDiscussion(viewer, loaded.discussion, loaded.group))
      throw NotFoundError('Discussion not found');
    if (!canComment(viewer, loaded.discussion))
      throw AuthorizationError('You may not comment in this discussion');
    const userId = userIdOf(viewer);
    const state = this.watched.get(discussionId);
    if (!userId || !state) return null;
    const until = state.typing.get(userId) ?? 0;
    // Still typing with most of the last window left, or not typing anyway: nothing to change.
    if (typing ? until - now > this.settings.typingMs * 0.8 : until <= now) return null;
    if (typing) state.typing.set(userId, now + this.settings.typingMs);
    else state.typing.delete(userId);
    this.changed(discussionId, state, 0);
    return null;
  }

  /**
   * Sends this process's sockets what changed in a discussion since they were
   * last told, and the whole picture to those that just started watching.
   */
  private async send(discussionId: string, state: DiscussionPresenceState): Promise<void> {
    if (this.stopped || this.watched.get(discussionId) !== state) return;
    const now = Date.now();
    const update = state.next(now);
    const unknown = [...update.named, ...update.typists].filter((id) => !state.people.has(id));
    if (unknown.length > 0) {
      const people = await loadPeople(unknown);
      for (const id of unknown) state.people.set(id, people(id));
      if (this.watched.get(discussionId) !== state) return;
    }
    const person = (id: string) => state.people.get(id) as UserSummaryDto;
    const rooms = this.io.of('/').adapter.rooms;
    const named = PARTICIPANT_VIEWS.map((view) => discussionRoom(discussionId, view)).filter(
      (room) => rooms.has(room),
    );
    const visitorRoom = discussionRoom(discussionId, 'visitor');
    const fresh = [...state.fresh];
    state.fresh.clear();
    const counts = { discussionId, participants: update.participants, visitors: update.visitors };
    const namesChanged = update.joined.length > 0 || update.left.length > 0;
    const countsDue = now - state.lastCountsAt >= this.settings.countsMs;
    if (namesChanged || (update.countsChanged && countsDue)) {
      if (named.length > 0)
        this.io.local
          .to(named)
          .except(fresh)
          .emit('presence:diff', {
            ...counts,
            joined: update.joined.map(person),
            left: update.left,
          });
      if (update.countsChanged && rooms.has(visitorRoom))
        this.io.local
          .to(visitorRoom)
          .except(fresh)
          .emit('presence:diff', { ...counts, joined: [], left: [] });
      if (update.countsChanged) state.lastCountsAt = now;
      state.sent(update);
    } else if (update.countsChanged) {
      // Only the counts moved, and they were sent moments ago: they go with the next send.
      this.scheduleSend(discussionId, state, state.lastCountsAt + this.settings.countsMs - now);
    }
    const users = update.typists.map(person).sort(byName);
    const typingKey = users.map((user) => user.id).join();
    const typingChanged = typingKey !== state.typingKey;
    state.typingKey = typingKey;
    if (typingChanged && named.length > 0)
      this.io.local.to(named).except(fresh).emit('typing:changed', { discussionId, users });
    const sockets = this.io.of('/').sockets;
    for (const socketId of fresh) {
      const socket = sockets.get(socketId);
      const view = state.sockets.get(socketId)?.view;
      if (!socket || !view) continue;
      const participant = PARTICIPANT_VIEWS.includes(view);
      socket.emit('presence:changed', {
        ...counts,
        viewers: participant ? update.named.map(person) : [],
      });
      // Newcomers need the typists only when there are some (or when they just changed).
      if (participant && (typingChanged || users.length > 0))
        socket.emit('typing:changed', { discussionId, users });
    }
    if (update.nextLapse !== Infinity)
      this.scheduleSend(discussionId, state, update.nextLapse - now + 20);
    if (state.people.size > 4 * update.named.length + 50)
      for (const id of state.people.keys())
        if (!update.named.includes(id) && !update.typists.includes(id)) state.people.delete(id);
  }
}
