/**
 * The moderation socket events, handed to the one door (realtime/client-events.ts)
 * so the per-socket allowance, validation and watch cap apply to them like
 * to every other event: watching a group's review queue (its moderators
 * only, after the same policy as the REST queue) and leaving it.
 */
import { z } from 'zod';
import { AuthorizationError, NotFoundError } from '../errors.js';
import { GroupModel } from '../models/group.js';
import { canSeeGroup } from '../policies/group.js';
import { canModerateGroup } from '../policies/moderation.js';
import { objectId, type ClientEventHandlers } from '../realtime/client-events.js';
import type { QuorumSocket } from '../realtime/io.js';
import { openCount } from './queue.js';
import { moderationRoom } from './rooms.js';

const groupSchema = z.strictObject({ groupId: objectId });

async function watchQueue(socket: QuorumSocket, groupId: string) {
  const group = await GroupModel.findById(groupId);
  if (!group || !canSeeGroup(socket.data.viewer, group)) throw NotFoundError('Group not found');
  if (!canModerateGroup(socket.data.viewer, group))
    throw AuthorizationError("Only the group's moderators may watch its queue");
  await socket.join(moderationRoom(groupId));
  return { groupId, open: await openCount(group._id) };
}

/** The handlers of the moderation events, for `registerClientEvents`. */
export function moderationHandlers(): Pick<
  ClientEventHandlers,
  'moderation:watch' | 'moderation:unwatch'
> {
  return {
    'moderation:watch': {
      schema: groupSchema,
      handle: (socket, { groupId }) => watchQueue(socket, groupId),
    },
    'moderation:unwatch': {
      schema: groupSchema,
      handle: async (socket, { groupId }) => {
        await socket.leave(moderationRoom(groupId));
        return null;
      },
    },
  };
}
