/**
 * The socket events of meetings, registered in one function so the realtime
 * layer can wrap every handler (rate limits): watching a meeting, acting in
 * it (the same actions and checks as REST), and clock samples.
 */
import { z } from 'zod';
import type { QuorumServer } from '../realtime/io.js';
import { answer, objectId, parse } from '../realtime/watch.js';
import { performAction } from './actions.js';
import type { MeetingsLive } from './live.js';
import { actionSchema } from '../routes/meetings/schema.js';

const watchSchema = z.strictObject({ meetingId: objectId });
const actSchema = z.strictObject({ meetingId: objectId, action: actionSchema });
const clockSchema = z.strictObject({ clientTime: z.number().finite() });

export function registerMeetingHandlers(io: QuorumServer, live: MeetingsLive): void {
  io.on('connection', (socket) => {
    socket.on('meeting:watch', (request, ack) =>
      answer(ack, () => live.watch(socket, parse(watchSchema, request).meetingId)),
    );
    socket.on('meeting:unwatch', (request, ack) =>
      answer(ack, async () => {
        await live.unwatch(socket, parse(watchSchema, request).meetingId);
        return null;
      }),
    );
    socket.on('meeting:act', (request, ack) =>
      answer(ack, async () => {
        const { meetingId, action } = parse(actSchema, request);
        await performAction(socket.data.viewer, meetingId, action);
        return null;
      }),
    );
    socket.on('clock:sync', (request, ack) =>
      answer(ack, () =>
        Promise.resolve({
          clientTime: parse(clockSchema, request).clientTime,
          serverTime: Date.now(),
        }),
      ),
    );
  });
}
