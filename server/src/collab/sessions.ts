/**
 * Sockets' sessions on collaborative documents: opening one after the same
 * checks as REST, taking an editor's update or caret, closing, and keeping
 * every session true to the socket's rights as they change.
 *
 * A document belongs to a scope (documents.ts): a discussion, or a meeting
 * (its minutes). Rights are re-checked exactly when rooms are today:
 * realtime/access.ts reloads a socket's viewer and moves it between a
 * discussion's rooms (meetings/live.ts between a meeting's) when a
 * membership, guest grant, role or the audience changes, on every process;
 * those room moves (the adapter's `join-room`/`leave-room`) trigger a
 * re-check of the socket's documents in that scope here. Changes of the
 * record itself (a poll closing, a minute-taker unnamed, minutes published)
 * re-check its documents through `recheckRecord`. A socket that may no longer
 * read is cut off at once (`collab:rights`, closed); one that may no longer
 * write becomes read-only. A socket that stops watching the scope (its last
 * room of it left) has its documents there closed the same way, since no
 * later change would re-check them. A deactivated account's sockets are
 * disconnected there, which ends their sessions and carets.
 */
import type { Logger } from '../logger.js';
import { AuthorizationError, InvalidRequestError, NotFoundError } from '../errors.js';
import type { QuorumServer, QuorumSocket } from '../realtime/io.js';
import { DISCUSSION_VIEWS, discussionRoom } from '../realtime/rooms.js';
import { MEETING_VIEWS } from '../../../shared/meetings.js';
import { meetingRoom } from '../meetings/live.js';
import type { AwarenessRelay } from './awareness.js';
import { rightsOn, type DocRef } from './documents.js';
import { collabRoom, type CollabHub, type OpenDoc } from './hub.js';
import { readClientSync, syncStep1, syncStep2 } from './protocol.js';
import {
  blockError,
  stillBlocks,
  writeBlockOf,
  type WriteBlock,
} from '../moderation/restrictions.js';
import type { CollabOpened } from '../../../shared/events.js';

/** The scope (`discussion:<id>`, `meeting:<id>`) a room belongs to. */
const SCOPE_ROOM = /^((?:discussion|meeting):[0-9a-f]{24}):/;

/** The rooms of a scope's views: a socket in any of them watches it. */
function scopeRooms(scope: string): string[] {
  const [kind, id] = scope.split(':');
  return kind === 'meeting'
    ? MEETING_VIEWS.map((view) => meetingRoom(id, view))
    : DISCUSSION_VIEWS.map((view) => discussionRoom(id, view));
}

const watches = (socket: QuorumSocket, scope: string) =>
  scopeRooms(scope).some((room) => socket.rooms.has(room));

export class CollabSessions {
  /** Per socket, the documents it has open here. */
  private readonly open = new WeakMap<QuorumSocket, Set<string>>();
  /** Sockets (by id) whose sessions in these discussions wait for a re-check. */
  private readonly rechecks = new Map<string, Set<string>>();

  constructor(
    private readonly io: QuorumServer,
    private readonly hub: CollabHub,
    private readonly relay: AwarenessRelay,
    private readonly logger: Logger,
  ) {
    const adapter = io.of('/').adapter;
    const moved = (room: string, socketId: string) => {
      const scope = SCOPE_ROOM.exec(room)?.[1];
      if (scope) this.queueRecheck(socketId, scope);
    };
    adapter.on('join-room', moved);
    adapter.on('leave-room', moved);
  }

  private docsOf(socket: QuorumSocket): Set<string> {
    let keys = this.open.get(socket);
    if (!keys) this.open.set(socket, (keys = new Set()));
    return keys;
  }

  async openDoc(socket: QuorumSocket, ref: DocRef, step1: Uint8Array): Promise<CollabOpened> {
    const sync = readClientSync(step1);
    if (sync.kind !== 'step1') throw unexpected('a sync step 1');
    const rights = await rightsOn(socket.data.viewer, ref);
    if (!rights?.read) throw NotFoundError('Document not found');
    if (!watches(socket, rights.scope))
      throw NotFoundError(
        rights.scope.startsWith('meeting:')
          ? 'Watch the meeting first'
          : 'Watch the discussion first',
      );
    if (!socket.connected) throw NotFoundError('Disconnected');
    const block = rights.write ? await blockOf(socket, rights.groupId) : null;
    const doc = this.hub.get(ref);
    doc.sessions.set(socket.id, {
      socket,
      canEdit: rights.write,
      scope: rights.scope,
      groupId: rights.groupId,
      block,
      clientIds: doc.sessions.get(socket.id)?.clientIds ?? new Set(),
    });
    this.docsOf(socket).add(ref.key);
    await socket.join(collabRoom(ref.key));
    try {
      await doc.loaded;
    } catch (error) {
      await this.closeDoc(socket, ref.key);
      throw error;
    }
    return {
      doc: ref.key,
      sync: syncStep2(doc.ydoc, sync.stateVector),
      serverSync: syncStep1(doc.ydoc),
      awareness: this.relay.snapshot(doc),
      canEdit: rights.write,
    };
  }

  /** The socket's session on a document, or a NotFoundError telling it to open the document first. */
  session(socket: QuorumSocket, key: string) {
    const doc = this.hub.docs.get(key);
    const session = doc?.sessions.get(socket.id);
    if (!doc || !session) throw NotFoundError('Open the document first');
    return { doc, session };
  }

  async update(socket: QuorumSocket, key: string, message: Uint8Array): Promise<void> {
    const { doc, session } = this.session(socket, key);
    const sync = readClientSync(message);
    if (sync.kind !== 'update') throw unexpected('a sync step 2 or an update');
    if (!session.canEdit) {
      this.hub.refused += 1;
      this.logger.debug(
        `collab: refused an update to ${key} from a reader (socket ${socket.id}, ${this.hub.refused} refused so far)`,
      );
      throw AuthorizationError('You may read this document but not edit it');
    }
    if (session.block && !stillBlocks(session.block))
      session.block = await blockOf(socket, session.groupId);
    if (session.block) throw blockError(session.block);
    await this.hub.accept(doc, session, sync.update);
  }

  async awareness(socket: QuorumSocket, key: string, update: Uint8Array): Promise<void> {
    const { doc, session } = this.session(socket, key);
    await this.relay.accept(doc, session, update);
  }

  /** Ends a session (closed by the client, revoked, or the socket gone). */
  async closeDoc(socket: QuorumSocket, key: string): Promise<void> {
    this.open.get(socket)?.delete(key);
    const doc = this.hub.docs.get(key);
    if (!doc) return;
    const session = await this.hub.leave(doc, socket);
    if (session) await this.relay.leave(doc, session);
  }

  /** The socket went away: every document it had open here. */
  async disconnected(socket: QuorumSocket): Promise<void> {
    for (const key of [...(this.open.get(socket) ?? [])]) await this.closeDoc(socket, key);
  }

  private queueRecheck(socketId: string, scope: string): void {
    const queued = this.rechecks.get(socketId);
    if (queued) {
      queued.add(scope);
      return;
    }
    this.rechecks.set(socketId, new Set([scope]));
    // After the room moves of one change are done (access.ts leaves, then joins).
    setImmediate(() => {
      const scopes = this.rechecks.get(socketId) ?? new Set<string>();
      this.rechecks.delete(socketId);
      const socket = this.io.of('/').sockets.get(socketId);
      if (socket?.connected)
        void this.recheckSocket(socket, (doc) =>
          [...doc.sessions.values()].some((s) => s.socket === socket && scopes.has(s.scope)),
        );
    });
  }

  /** A restriction of this user changed: their sessions here read whether it blocks them now. */
  async recheckBlocks(userId: string): Promise<void> {
    for (const doc of [...this.hub.docs.values()])
      for (const session of [...doc.sessions.values()]) {
        const user = session.socket.data.viewer.user;
        if (!user || String(user._id) !== userId) continue;
        try {
          session.block = await blockOf(session.socket, session.groupId);
        } catch (error) {
          this.logger.error(`collab: reading restrictions of ${userId} failed`, error);
        }
      }
  }

  /** Re-checks every session on documents of one record (e.g. a poll that closed). */
  async recheckRecord(prefix: string): Promise<void> {
    for (const doc of [...this.hub.docs.values()].filter((d) => d.ref.key.startsWith(prefix)))
      for (const session of [...doc.sessions.values()]) await this.recheck(doc, session.socket);
  }

  private async recheckSocket(
    socket: QuorumSocket,
    concerns: (doc: OpenDoc) => boolean,
  ): Promise<void> {
    for (const key of [...(this.open.get(socket) ?? [])]) {
      const doc = this.hub.docs.get(key);
      if (doc && concerns(doc)) await this.recheck(doc, socket);
    }
  }

  private async recheck(doc: OpenDoc, socket: QuorumSocket): Promise<void> {
    const session = doc.sessions.get(socket.id);
    if (!session) return;
    try {
      // A socket that stopped watching the scope no longer gets its room moves, so its rights would go unchecked.
      const rights = watches(socket, session.scope)
        ? await rightsOn(socket.data.viewer, doc.ref)
        : null;
      if (!rights?.read) {
        await this.closeDoc(socket, doc.ref.key);
        socket.emit('collab:rights', { doc: doc.ref.key, canEdit: false, closed: true });
        return;
      }
      session.groupId = rights.groupId;
      session.block = rights.write ? await blockOf(socket, rights.groupId) : null;
      if (rights.write !== session.canEdit) {
        session.canEdit = rights.write;
        if (!rights.write) await this.relay.leave(doc, session);
        socket.emit('collab:rights', { doc: doc.ref.key, canEdit: rights.write, closed: false });
      }
    } catch (error) {
      this.logger.error(`collab: re-checking rights on ${doc.ref.key} failed`, error);
    }
  }
}

/** The mute or suspension that keeps the socket's person from editing in the group, if any. */
function blockOf(socket: QuorumSocket, groupId: string | null): Promise<WriteBlock | null> {
  const user = socket.data.viewer.user;
  return user ? writeBlockOf(user._id, groupId) : Promise.resolve(null);
}

function unexpected(expected: string) {
  return InvalidRequestError(`Expected ${expected}`);
}
