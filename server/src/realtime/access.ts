/**
 * Keeps every socket's rooms true to its rights as they change. When a
 * membership, a guest invitation or a discussion changes, the affected sockets
 * on this process get a freshly loaded viewer and their discussion rooms are
 * re-checked against the same policies as REST: a lost right takes the socket
 * out of the room at once (and the client is told why); a new or changed role
 * moves it to the room of its new view. Group rooms follow the same way (the
 * policy of `GET /api/groups/:group`), also when a group's visibility changes,
 * which re-checks every discussion room under the group (and its subgroups)
 * too, so every kind of event stops at once, not when a comment next passes;
 * and a person who lost a membership hears of it in their own room. Signing
 * out everywhere or deactivation disconnects the user's sockets.
 */
import type { Types } from 'mongoose';
import { loadViewer, socketViewer, type Viewer } from '../auth/viewer.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import { DiscussionModel } from '../models/discussion.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { UserModel } from '../models/user.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { canSeeGroup } from '../policies/group.js';
import type { FeedChange } from './change-feed.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import {
  DISCUSSION_VIEWS,
  discussionRoom,
  discussionViewOf,
  GROUP_VIEWS,
  groupOfRoom,
  groupRoom,
  groupViewOf,
  userRoom,
} from './rooms.js';

export const ACCESS_COLLECTIONS = ['memberships', 'guests', 'users', 'discussions', 'groups'];
const USER_FIELDS_THAT_END_SESSIONS = ['tokenVersion', 'deactivatedAt', 'deletedAt'];
/** The fields of a group that decide who may see it (and so watch it). */
const GROUP_VISIBILITY_FIELDS = ['privacy', 'parentId', 'parentMembersCanSee'];
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
    if (change.collection === 'groups') {
      if (change.operationType === 'insert') return false;
      if (change.operationType !== 'update') return true;
      return GROUP_VISIBILITY_FIELDS.some((field) => field in (change.updatedFields ?? {}));
    }
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
    } else if (change.collection === 'groups') {
      await this.recheckGroup(String(change.documentKey));
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
    const before = signedIn ? sockets[0].data.viewer.roles : new Map<string, string>();
    const viewer = socketViewer(await loadViewer(user));
    this.track(viewer);
    const groups = new Map<string, GroupDocument | null>();
    for (const socket of sockets) {
      socket.data.viewer = viewer;
      for (const room of [...socket.rooms]) {
        const id = DISCUSSION_ROOM.exec(room)?.[1];
        if (id) await this.recheckSocket(socket, id, await loadDiscussion(id));
        const groupId = groupOfRoom(room);
        if (groupId) {
          if (!groups.has(groupId)) groups.set(groupId, await GroupModel.findById(groupId));
          await this.recheckGroupSocket(socket, groupId, groups.get(groupId) ?? null);
        }
      }
    }
    // Their own lists (the inbox) lose the group's discussions.
    for (const groupId of before.keys())
      if (!viewer.roles.has(groupId))
        this.io.local.to(userRoom(userId)).emit('member:removed', { groupId, userId });
  }

  /**
   * A group's privacy (or place) changed: its own rooms, and every discussion
   * room under it (its discussions and its subgroups'), are re-checked at once,
   * so no kind of event (comments, polls, presence, typing) keeps reaching a
   * socket that lost its right, whatever passes next.
   */
  private async recheckGroup(groupId: string): Promise<void> {
    const rooms = GROUP_VIEWS.map((view) => groupRoom(groupId, view));
    const sockets = (await this.io.local.in(rooms).fetchSockets()) as unknown as QuorumSocket[];
    if (sockets.length > 0) {
      const group = await GroupModel.findById(groupId);
      for (const socket of sockets) await this.recheckGroupSocket(socket, groupId, group);
    }
    for (const discussionId of await this.watchedDiscussionsUnder(groupId))
      await this.recheckDiscussion(discussionId);
  }

  /** The discussions of a group and of its subgroups that have a room on this process. */
  private async watchedDiscussionsUnder(groupId: string): Promise<string[]> {
    const watched = new Set<string>();
    for (const room of this.io.of('/').adapter.rooms.keys()) {
      const id = DISCUSSION_ROOM.exec(room)?.[1];
      if (id) watched.add(id);
    }
    if (watched.size === 0) return [];
    const subgroups = await GroupModel.find({ parentId: groupId }, { _id: 1 }).lean();
    const under = await DiscussionModel.find(
      { _id: { $in: [...watched] }, groupId: { $in: [groupId, ...subgroups.map((g) => g._id)] } },
      { _id: 1 },
    ).lean();
    return under.map((d) => String(d._id));
  }

  /** Puts a socket in the room of its view of a group it watches, or takes it out if it may no longer see it. */
  private async recheckGroupSocket(
    socket: QuorumSocket,
    groupId: string,
    group: GroupDocument | null,
  ): Promise<void> {
    const viewer = socket.data.viewer;
    const view = group && canSeeGroup(viewer, group) ? groupViewOf(viewer, groupId) : null;
    if (view) await socket.join(groupRoom(groupId, view));
    for (const other of GROUP_VIEWS)
      if (other !== view) await socket.leave(groupRoom(groupId, other));
    if (!view) socket.emit('access:revoked', { groupId, reason: 'access_removed' });
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
