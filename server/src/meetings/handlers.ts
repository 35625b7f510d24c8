/**
 * The socket events of meetings, handed to realtime's one door for client
 * events (realtime/client-events.ts: rate limits and validation): watching a
 * meeting, acting in it (the same actions and checks as REST), and clock
 * samples.
 */
import { z } from 'zod';
import { objectId, type ClientEventHandlers } from '../realtime/client-events.js';
import { performAction } from './actions.js';
import type { MeetingsLive } from './live.js';
import { meetingActionSchema } from '../routes/meetings/schema.js';

const watchSchema = z.strictObject({ meetingId: objectId });
const actSchema = z.strictObject({ meetingId: objectId, action: meetingActionSchema });
const clockSchema = z.strictObject({ clientTime: z.number().finite() });

/** The client events of meetings. */
export type MeetingClientEvent = 'meeting:watch' | 'meeting:unwatch' | 'meeting:act' | 'clock:sync';

export function meetingHandlers(live: MeetingsLive): Pick<ClientEventHandlers, MeetingClientEvent> {
  return {
    'meeting:watch': {
      schema: watchSchema,
      handle: (socket, { meetingId }) => live.watch(socket, meetingId),
    },
    'meeting:unwatch': {
      schema: watchSchema,
      handle: async (socket, { meetingId }) => {
        await live.unwatch(socket, meetingId);
        return null;
      },
    },
    'meeting:act': {
      schema: actSchema,
      handle: async (socket, { meetingId, action }) => {
        await performAction(socket.data.viewer, meetingId, action);
        return null;
      },
    },
    'clock:sync': {
      schema: clockSchema,
      handle: (_socket, { clientTime }) => Promise.resolve({ clientTime, serverTime: Date.now() }),
    },
  };
}
