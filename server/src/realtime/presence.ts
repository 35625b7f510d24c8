/**
 * Presence (who is viewing a discussion) and typing indicators, across every
 * app process, through the database and the change feed (no broker):
 *
 * - Each process writes one `presences` document per (socket, discussion room)
 *   of its own sockets. It follows the rooms themselves (the adapter's
 *   `join-room` / `leave-room`), so whoever moves a socket (watch, unwatch,
 *   disconnect, a right gained or lost in access.ts) moves its presence too.
 *   A heartbeat keeps the documents alive; a crashed process stops refreshing
 *   them and every surviving process sweeps expired ones (the TTL index is the
 *   backstop); a clean stop deletes this process's documents.
 * - Every process sees every change of `presences` in its own feed and, if it
 *   has sockets watching that discussion, recomputes it from the database and
 *   emits to its own rooms (`io.local`), once per kind of view.
 *
 * Who may see whom (P5, P6, P10): participants' views (guest, member,
 * coordinator) see the participants viewing by name (`presentUserSummary`,
 * never an email) and who is typing; the visitor view sees counts only and no
 * typing. Signed-in non-participants watching a public discussion (the visitor
 * view) are counted, never named, to anyone: reading is not taking part.
 *
 * Typing states lapse `typingMs` after the last `discussion:typing` (a client
 * repeats while typing); each process clears them locally on a timer, so a
 * stale indicator disappears on time even if its client or process vanished.
 * Times are compared across processes, which assumes clocks in sync to well
 * under a second.
 */
import { KeyedQueue } from './keyed-queue.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { View } from '../../../shared/domain.js';
import type { UserSummaryDto } from '../../../shared/dto.js';
import type { TypingRequest } from '../../../shared/events.js';
import { loadDiscussion } from '../commands/discussions/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import { AuthorizationError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import { discussionOfPresence, PresenceModel, presenceId } from '../models/presence.js';
import { canComment, canReadDiscussion } from '../policies/discussion.js';
import type { FeedChange } from './change-feed.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { DISCUSSION_VIEWS, discussionRoom } from './rooms.js';
import { objectId, type ClientEventHandlers } from './client-events.js';

/** The collection the change feed must watch for presence to cross processes. */
export const PRESENCE_COLLECTION = PresenceModel.collection.collectionName;

/** Timings; tests shorten them. */
export interface PresenceOptions {
  /** How often this process refreshes its sockets' presences (ms, default 20 s). */
  heartbeatMs?: number;
  /** How long a presence outlives its last refresh (ms, default 60 s). */
  ttlMs?: number;
  /** How often expired presences (of crashed processes) are deleted (ms, default 20 s). */
  sweepMs?: number;
  /** How long one `discussion:typing` keeps a person typing (ms, default 5 s). */
  typingMs?: number;
}

type Scope = 'all' | 'typing';

const PARTICIPANT_VIEWS: readonly View[] = ['guest', 'member', 'coordinator'];
const ROOM = /^discussion:([0-9a-f]{24}):(visitor|guest|member|coordinator)$/;
const typingSchema = z.strictObject({ discussionId: objectId, typing: z.boolean() });

const byName = (a: UserSummaryDto, b: UserSummaryDto) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** This process's side of presence and typing; see the module comment. */
export class PresenceTracker {
  /** Identifies this process's presences (random per start). */
  readonly processId = randomUUID();
  private readonly settings: Required<PresenceOptions>;
  private readonly writes: KeyedQueue;
  private readonly recounts: KeyedQueue;
  /** Discussion id -> the widest recount waiting to run (changes arriving meanwhile coalesce). */
  private readonly queued = new Map<string, Scope>();
  /** Discussion id -> the typing users last emitted here, to send typing only when it changes. */
  private readonly typingSent = new Map<string, string>();
  private readonly typingTimers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Presence id -> the typingUntil this process last wrote (ms). */
  private readonly typingWritten = new Map<string, number>();
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
    };
    const log = (error: unknown) => logger.error('presence: operation failed', error);
    this.writes = new KeyedQueue(log);
    this.recounts = new KeyedQueue(log);
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

  /** A change of `presences` from the feed: recount that discussion for this process's sockets. */
  onChange(change: FeedChange): void {
    const discussionId = discussionOfPresence(change.documentKey);
    if (!discussionId) return;
    const typingOnly =
      change.operationType === 'update' &&
      Object.keys(change.updatedFields ?? {}).every(
        (f) => f === 'typingUntil' || f === 'expiresAt',
      );
    this.recount(discussionId, typingOnly ? 'typing' : 'all');
  }

  /** For tests: behave as if this process died (no heartbeat, no sweep, no writes, nothing deleted). */
  halt(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const { timer } of this.typingTimers.values()) clearTimeout(timer);
  }

  /** Clean stop: waits for pending work, then deletes this process's presences. */
  async close(): Promise<void> {
    const wasStopped = this.stopped;
    this.halt();
    await this.writes.idle();
    await this.recounts.idle();
    if (wasStopped) return;
    await PresenceModel.deleteMany({ processId: this.processId }).catch((error: unknown) =>
      this.logger.error('presence: could not delete this process’s presences', error),
    );
  }

  private expiry(): Date {
    return new Date(Date.now() + this.settings.ttlMs);
  }

  private inRoom(room: string, socketId: string): boolean {
    return this.io.of('/').adapter.rooms.get(room)?.has(socketId) ?? false;
  }

  private write(id: string, op: () => Promise<unknown>): Promise<void> {
    return this.stopped ? Promise.resolve() : this.writes.push(id, op);
  }

  private joined(room: string, socketId: string): void {
    const match = ROOM.exec(room);
    const socket = this.io.of('/').sockets.get(socketId);
    if (!match || !socket) return;
    const [, discussionId, view] = match;
    const id = presenceId(discussionId, socketId);
    const fields = {
      socketId,
      processId: this.processId,
      discussionId,
      userId: socket.data.viewer.user?._id ?? null,
      view,
    };
    void this.write(id, async () => {
      // Already gone again (a quick unwatch or disconnect): its delete follows, nothing to write.
      if (!this.inRoom(room, socketId)) return;
      await PresenceModel.updateOne(
        { _id: id },
        { $set: { ...fields, expiresAt: this.expiry() }, $setOnInsert: { typingUntil: null } },
        { upsert: true },
      );
    });
  }

  private left(room: string, socketId: string): void {
    const match = ROOM.exec(room);
    if (!match) return;
    const [, discussionId] = match;
    const view = match[2] as View;
    const id = presenceId(discussionId, socketId);
    this.typingWritten.delete(id);
    // Only the presence of that view: a socket moving to another view has already been rewritten.
    void this.write(id, () => PresenceModel.deleteOne({ _id: id, view }));
  }

  /** Refreshes this process's presences; recreates any that went missing (e.g. swept after a stall). */
  private async heartbeat(): Promise<void> {
    const present = new Map<string, { room: string; socketId: string }>();
    for (const [room, sockets] of this.io.of('/').adapter.rooms) {
      const match = ROOM.exec(room);
      if (match)
        for (const socketId of sockets)
          present.set(presenceId(match[1], socketId), { room, socketId });
    }
    if (present.size === 0 || this.stopped) return;
    try {
      const ids = [...present.keys()];
      const refreshed = await PresenceModel.updateMany(
        { _id: { $in: ids }, processId: this.processId },
        { $set: { expiresAt: this.expiry() } },
      );
      if (refreshed.matchedCount >= ids.length) return;
      const found = await PresenceModel.find({ _id: { $in: ids } }, { _id: 1 }).lean();
      const existing = new Set(found.map((presence) => presence._id));
      for (const [id, { room, socketId }] of present)
        if (!existing.has(id)) this.joined(room, socketId);
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
    const id = presenceId(discussionId, socket.id);
    const written = this.typingWritten.get(id) ?? 0;
    // Still typing with most of the last window left, or not typing anyway: nothing to write.
    if (typing ? written - now > this.settings.typingMs * 0.8 : written <= now) return null;
    const until = typing ? new Date(now + this.settings.typingMs) : null;
    this.typingWritten.set(id, until?.getTime() ?? 0);
    await this.write(id, () =>
      PresenceModel.updateOne(
        { _id: id, processId: this.processId },
        { $set: { typingUntil: until } },
      ),
    );
    return null;
  }

  /** Asks for a recount of one discussion; requests arriving while one waits join it. */
  private recount(discussionId: string, scope: Scope): void {
    const waiting = this.queued.get(discussionId);
    if (waiting) {
      if (scope === 'all') this.queued.set(discussionId, 'all');
      return;
    }
    this.queued.set(discussionId, scope);
    void this.recounts.push(discussionId, () => {
      const widest = this.queued.get(discussionId) ?? scope;
      this.queued.delete(discussionId);
      return this.publish(discussionId, widest);
    });
  }

  /** Recounts a discussion from the database and emits it to this process's rooms of it. */
  private async publish(discussionId: string, scope: Scope): Promise<void> {
    const rooms = this.io.of('/').adapter.rooms;
    const named = PARTICIPANT_VIEWS.map((view) => discussionRoom(discussionId, view)).filter(
      (room) => rooms.has(room),
    );
    const visitorRoom = discussionRoom(discussionId, 'visitor');
    const toVisitors = rooms.has(visitorRoom);
    if (named.length === 0 && !toVisitors) return this.forget(discussionId);
    const now = Date.now();
    const presences = await PresenceModel.find(
      { discussionId, expiresAt: { $gt: new Date(now) } },
      { userId: 1, view: 1, typingUntil: 1 },
    ).lean();
    const participants = new Set<string>();
    const typists = new Set<string>();
    const others = new Set<string>();
    let anonymous = 0;
    let nextLapse = Infinity;
    for (const { userId, view, typingUntil } of presences) {
      if (userId && PARTICIPANT_VIEWS.includes(view)) {
        participants.add(String(userId));
        const until = typingUntil?.getTime() ?? 0;
        if (until > now) {
          typists.add(String(userId));
          nextLapse = Math.min(nextLapse, until);
        }
      } else if (userId) others.add(String(userId));
      else anonymous += 1;
    }
    const people = await loadPeople(scope === 'all' ? participants : typists);
    if (scope === 'all') {
      const viewers = [...participants].map(people).sort(byName);
      const counts = {
        discussionId,
        participants: viewers.length,
        visitors: others.size + anonymous,
      };
      if (named.length > 0)
        this.io.local.to(named).emit('presence:changed', { ...counts, viewers });
      if (toVisitors)
        this.io.local.to(visitorRoom).emit('presence:changed', { ...counts, viewers: [] });
    }
    const users = [...typists].map(people).sort(byName);
    const key = users.map((user) => user.id).join();
    // On a presence change, newcomers need the typists only when there are some.
    const changed = this.typingSent.get(discussionId) !== key;
    if (named.length > 0 && (changed || (scope === 'all' && users.length > 0)))
      this.io.local.to(named).emit('typing:changed', { discussionId, users });
    this.typingSent.set(discussionId, key);
    if (nextLapse !== Infinity) this.clearTypingAt(discussionId, nextLapse);
  }

  /** Recounts typing when the next typing state lapses (even if its client or process is gone). */
  private clearTypingAt(discussionId: string, at: number): void {
    const pending = this.typingTimers.get(discussionId);
    if (this.stopped || (pending && pending.at <= at)) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(
      () => {
        this.typingTimers.delete(discussionId);
        this.recount(discussionId, 'typing');
      },
      Math.max(0, at - Date.now()) + 20,
    );
    timer.unref();
    this.typingTimers.set(discussionId, { at, timer });
  }

  /** No socket here watches the discussion any more. */
  private forget(discussionId: string): void {
    this.typingSent.delete(discussionId);
    const pending = this.typingTimers.get(discussionId);
    if (pending) clearTimeout(pending.timer);
    this.typingTimers.delete(discussionId);
  }
}
