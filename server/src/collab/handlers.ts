/**
 * The `collab:*` socket events, handed to realtime's one door for client
 * events (realtime/client-events.ts), which rate-limits each socket (a
 * keystroke's update and caret have rates of their own: socket-limits.ts) and
 * validates the shape of each payload. Here: binary payloads are checked and
 * sized before anything is decoded, and each acknowledgement is `{ data }` or
 * a client-safe `{ error }` with a stable id.
 */
import { z } from 'zod';
import type { CollabClientEvent } from '../../../shared/events.js';
import { PayloadTooLargeError } from '../errors.js';
import type { ClientEventHandlers } from '../realtime/client-events.js';
import type { QuorumServer, QuorumSocket } from '../realtime/io.js';
import { parseDocKey } from './documents.js';
import type { HubSettings } from './hub.js';
import { binary } from './protocol.js';
import type { CollabSessions } from './sessions.js';

/** Binary payloads are checked by `binary()` in the handler, with a stable `invalid_request`. */
const bytes = z.custom<Uint8Array>(() => true);
const docKey = z.string().max(80);
const docOnly = z.strictObject({ doc: docKey });
const withSync = z.strictObject({ doc: docKey, sync: bytes });
const withAwareness = z.strictObject({ doc: docKey, awareness: bytes });
/** A state vector names each client once: a few KiB even for long-lived documents. */
const MAX_STEP1_BYTES = 16 * 1024;
const MAX_AWARENESS_BYTES = 4 * 1024;

function sized(value: unknown, max: number, what: string): Uint8Array {
  const data = binary(value);
  if (data.length > max) throw PayloadTooLargeError(`The ${what} is larger than ${max} bytes`);
  return data;
}

/** The handlers of the collaboration events, for `Realtime.extendClientEvents`. */
export function collabHandlers(
  sessions: CollabSessions,
  settings: HubSettings,
): Pick<ClientEventHandlers, CollabClientEvent> {
  return {
    'collab:open': {
      schema: withSync,
      handle: (socket, { doc, sync }) =>
        sessions.openDoc(socket, parseDocKey(doc), sized(sync, MAX_STEP1_BYTES, 'state vector')),
    },
    'collab:sync': {
      schema: withSync,
      handle: async (socket, { doc, sync }) => {
        const key = parseDocKey(doc).key;
        await sessions.update(socket, key, sized(sync, settings.maxUpdateBytes, 'update'));
        return null;
      },
    },
    'collab:awareness': {
      schema: withAwareness,
      handle: async (socket, { doc, awareness }) => {
        const key = parseDocKey(doc).key;
        await sessions.awareness(
          socket,
          key,
          sized(awareness, MAX_AWARENESS_BYTES, 'awareness update'),
        );
        return null;
      },
    },
    'collab:close': {
      schema: docOnly,
      handle: async (socket, { doc }) => {
        await sessions.closeDoc(socket, parseDocKey(doc).key);
        return null;
      },
    },
  };
}

/** A socket that goes away leaves its documents (and its caret disappears). */
export function releaseOnDisconnect(io: QuorumServer, sessions: CollabSessions): void {
  io.on('connection', (socket: QuorumSocket) => {
    socket.on('disconnect', () => void sessions.disconnected(socket));
  });
}
