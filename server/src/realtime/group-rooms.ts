/**
 * Watching a group's lists live (its discussions and its members): the server
 * checks the same policy as `GET /api/groups/:group` and puts the socket in the
 * room of its view (`group:<id>:visitor|member|coordinator`); the client never
 * names a room.
 *
 * For each group watched on this process it also keeps a small index: which
 * discussions are in the group (and whether each is private) and which
 * membership record belongs to whom. A change stream reports a moved
 * discussion only with its new group and a deleted membership only by its id,
 * so this index is how the fan-out knows which list a discussion left and whom
 * a removal concerns. It lives as long as the group has watchers here.
 */
import { z } from 'zod';
import type { GroupWatch } from '../../../shared/events.js';
import { DiscussionModel } from '../models/discussion.js';
import { MembershipModel } from '../models/membership.js';
import { loadVisibleGroup } from '../routes/groups/load.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { GROUP_VIEWS, groupOfRoom, groupRoom, groupViewOf } from './rooms.js';
import { objectId, type ClientEventHandlers } from './client-events.js';

const groupSchema = z.strictObject({ groupId: objectId });

/** What this process knows of one watched group. */
export interface GroupIndex {
  /** Discussion id -> whether it was private when last seen. */
  discussions: Map<string, boolean>;
  /** Membership id -> the member's user id. */
  memberships: Map<string, string>;
}

export class GroupRooms {
  private readonly indexes = new Map<string, Promise<GroupIndex>>();

  constructor(private readonly io: QuorumServer) {
    // The index goes with the last watcher of the group on this process.
    io.of('/').adapter.on('delete-room', (room: string) => {
      const groupId = groupOfRoom(room);
      if (groupId && !this.hasRooms(groupId)) this.indexes.delete(groupId);
    });
  }

  /** The handlers of `group:watch` and `group:unwatch` (registered by client-events.ts). */
  handlers(): Pick<ClientEventHandlers, 'group:watch' | 'group:unwatch'> {
    return {
      'group:watch': {
        schema: groupSchema,
        watches: ({ groupId }) => ({ kind: 'group', id: groupId }),
        handle: (socket, { groupId }) => this.watch(socket, groupId),
      },
      'group:unwatch': {
        schema: groupSchema,
        handle: async (socket, { groupId }) => {
          for (const view of GROUP_VIEWS) await socket.leave(groupRoom(groupId, view));
          return null;
        },
      },
    };
  }

  /** Puts the socket in the room of its view of the group (404 `not_found` for a group it may not see). */
  private async watch(socket: QuorumSocket, groupId: string): Promise<GroupWatch> {
    const group = await loadVisibleGroup(socket.data.viewer, groupId);
    const id = String(group._id);
    // Loaded before joining: a change delivered once the socket is in the room finds the index ready.
    await this.index(id);
    const view = groupViewOf(socket.data.viewer, id);
    // Join before leaving, so the group never looks unwatched (and its index is not dropped) in between.
    await socket.join(groupRoom(id, view));
    for (const other of GROUP_VIEWS) if (other !== view) await socket.leave(groupRoom(id, other));
    return { groupId: id, view };
  }

  /** Whether any socket on this process watches the group. */
  hasRooms(groupId: string): boolean {
    const rooms = this.io.of('/').adapter.rooms;
    return GROUP_VIEWS.some((view) => rooms.has(groupRoom(groupId, view)));
  }

  /** The index of a group watched here (loaded if need be); null when nobody here watches it. */
  known(groupId: string): Promise<GroupIndex> | null {
    return this.hasRooms(groupId) ? this.index(groupId) : null;
  }

  /** Every watched group's index, for changes that do not say which group they left. */
  all(): Array<[string, Promise<GroupIndex>]> {
    return [...this.indexes.entries()];
  }

  private index(groupId: string): Promise<GroupIndex> {
    let index = this.indexes.get(groupId);
    if (!index) {
      index = loadIndex(groupId);
      this.indexes.set(groupId, index);
      index.catch(() => this.indexes.delete(groupId));
    }
    return index;
  }
}

async function loadIndex(groupId: string): Promise<GroupIndex> {
  const [discussions, memberships] = await Promise.all([
    DiscussionModel.find({ groupId }, { private: 1 }).lean(),
    MembershipModel.find({ groupId }, { userId: 1 }).lean(),
  ]);
  return {
    discussions: new Map(discussions.map((d) => [String(d._id), d.private])),
    memberships: new Map(memberships.map((m) => [String(m._id), String(m.userId)])),
  };
}
