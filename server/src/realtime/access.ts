/**
 * Keeps every socket's rooms true to its rights as they change. When a
 * membership, a guest invitation or a discussion changes, the affected sockets
 * on this process get a freshly loaded viewer and their discussion rooms are
 * re-checked against the same policies as REST: a lost right takes the socket
 * out of the room at once (and the client is told why); a new or changed role
 * moves it to the room of its new view. Signing out everywhere or deactivation
 * disconnects the user's sockets.
 */
import type { Types } from 'mongoose';
import { loadViewer, type Viewer } from '../auth/viewer.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import { UserModel } from '../models/user.js';
import { canReadDiscussion } from '../policies/discussion.js';
import type { FeedChange } from './change-feed.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { DISCUSSION_VIEWS, discussionRoom, discussionViewOf, userRoom } from './rooms.js';

export const ACCESS_COLLECTIONS = ['memberships', 'guests', 'users', 'discussions'];
const USER_FIELDS_THAT_END_SESSIONS = ['tokenVersion', 'deactivatedAt', 'deletedAt'];
const DISCUSSION_ROOM = /^discussion:([0-9a-f]{24}):/;

/** Only a discussion's privacy or group decides who may read it. */
function affectsAudience(change: FeedChange): boolean {
  if (change.operationType !== 'update') return true;
  const fields = [...Object.keys(change.updatedFields ?? {}), ...(change.removedFields ?? [])];
  return fields.includes('private') || fields.includes('groupId');
}

export class AccessTracker {
  /** Membership or guest record id -> the user it belongs to, for users with sockets here. */
  private readonly grantOwners = new Map<string, string>();

  constructor(private readonly io: QuorumServer) {}

  /** Remembers which grants a connected viewer holds, so their deletion can be traced. */
  track(viewer: Viewer): void {
    if (!viewer.user) return;
    for (const id of viewer.grantIds ?? []) this.grantOwners.set(id, String(viewer.user._id));
  }

  /** Whether a change can affect anyone's access (the feed drops the rest early). */
  static isObservable(change: FeedChange): boolean {
    if (change.collection !== 'users') return true;
    if (change.operationType !== 'update') return change.operationType !== 'insert';
    return USER_FIELDS_THAT_END_SESSIONS.some((field) => field in (change.updatedFields ?? {}));
  }

  async onChange(change: FeedChange): Promise<void> {
    if (change.collection === 'memberships' || change.collection === 'guests') {
      const owner =
        (change.fullDocument?.userId as Types.ObjectId | undefined) ??
        this.grantOwners.get(String(change.documentKey));
      if (change.operationType === 'delete') this.grantOwners.delete(String(change.documentKey));
      if (owner) await this.refreshUser(String(owner));
    } else if (change.collection === 'users') {
      await this.refreshUser(String(change.documentKey));
    } else if (
      change.collection === 'discussions' &&
      change.operationType !== 'insert' &&
      affectsAudience(change)
    ) {
      await this.recheckDiscussion(String(change.documentKey));
    }
  }

  private async refreshUser(userId: string): Promise<void> {
    const sockets = (await this.io.local
      .in(userRoom(userId))
      .fetchSockets()) as unknown as QuorumSocket[];
    if (sockets.length === 0) return;
    const user = await UserModel.findById(userId);
    const signedIn = sockets[0].data.viewer.user;
    if (
      !user ||
      user.deactivatedAt ||
      user.deletedAt ||
      !signedIn ||
      user.tokenVersion !== signedIn.tokenVersion
    ) {
      for (const socket of sockets) {
        socket.emit('access:revoked', { reason: 'signed_out' });
        socket.disconnect(true);
      }
      return;
    }
    const viewer = await loadViewer(user);
    this.track(viewer);
    for (const socket of sockets) {
      socket.data.viewer = viewer;
      for (const room of socket.rooms) {
        const id = DISCUSSION_ROOM.exec(room)?.[1];
        if (id) await this.recheckSocket(socket, id, await loadDiscussion(id));
      }
    }
  }

  private async recheckDiscussion(discussionId: string): Promise<void> {
    const rooms = DISCUSSION_VIEWS.map((view) => discussionRoom(discussionId, view));
    const sockets = (await this.io.local.in(rooms).fetchSockets()) as unknown as QuorumSocket[];
    if (sockets.length === 0) return;
    const loaded = await loadDiscussion(discussionId);
    for (const socket of sockets) await this.recheckSocket(socket, discussionId, loaded);
  }

  /** Puts a socket in the one room its viewer may now have for a discussion, or in none. */
  private async recheckSocket(
    socket: QuorumSocket,
    discussionId: string,
    loaded: LoadedDiscussion | null,
  ): Promise<void> {
    const viewer = socket.data.viewer;
    const readable = loaded !== null && canReadDiscussion(viewer, loaded.discussion, loaded.group);
    const view = readable ? discussionViewOf(viewer, loaded.discussion) : null;
    for (const other of DISCUSSION_VIEWS)
      if (other !== view) await socket.leave(discussionRoom(discussionId, other));
    if (view) await socket.join(discussionRoom(discussionId, view));
    else socket.emit('access:revoked', { discussionId, reason: 'access_removed' });
  }
}
