/**
 * The `collab:*` socket events, registered in one place (so a per-socket
 * wrapper can be put around every client event later): each payload is
 * validated like REST input, oversized messages are refused before anything
 * is decoded, each socket is throttled, and every acknowledgement is
 * `{ data }` or a client-safe `{ error }` with a stable id.
 */
import { z } from 'zod';
import { PayloadTooLargeError } from '../errors.js';
import type { QuorumServer, QuorumSocket } from '../realtime/io.js';
import { answer, parse } from '../realtime/watch.js';
import { parseDocKey } from './documents.js';
import type { HubSettings } from './hub.js';
import { binary } from './protocol.js';
import type { CollabSessions } from './sessions.js';
import { Throttle } from './throttle.js';

const docOnly = z.strictObject({ doc: z.string().max(80) });
const withSync = z.strictObject({ doc: z.string().max(80), sync: z.unknown() });
const withAwareness = z.strictObject({ doc: z.string().max(80), awareness: z.unknown() });
/** A state vector names each client once: a few KiB even for long-lived documents. */
const MAX_STEP1_BYTES = 16 * 1024;
const MAX_AWARENESS_BYTES = 4 * 1024;

/** Rates per socket (tests of flooding rely on the update burst). */
export const COLLAB_RATES = {
  open: { perSecond: 5, burst: 20 },
  update: { perSecond: 60, burst: 200 },
  awareness: { perSecond: 20, burst: 40 },
};

function sized(value: unknown, max: number, what: string): Uint8Array {
  const bytes = binary(value);
  if (bytes.length > max) throw PayloadTooLargeError(`The ${what} is larger than ${max} bytes`);
  return bytes;
}

export function registerCollabHandlers(
  io: QuorumServer,
  sessions: CollabSessions,
  settings: HubSettings,
): void {
  const opens = new Throttle(COLLAB_RATES.open);
  const updates = new Throttle(COLLAB_RATES.update);
  const carets = new Throttle(COLLAB_RATES.awareness);
  io.on('connection', (socket: QuorumSocket) => {
    socket.on('collab:open', (request, ack) =>
      answer(ack, () => {
        opens.take(socket, 'open');
        const { doc, sync } = parse(withSync, request);
        return sessions.openDoc(
          socket,
          parseDocKey(doc),
          sized(sync, MAX_STEP1_BYTES, 'state vector'),
        );
      }),
    );
    socket.on('collab:sync', (request, ack) =>
      answer(ack, async () => {
        updates.take(socket, 'update');
        const { doc, sync } = parse(withSync, request);
        const key = parseDocKey(doc).key;
        await sessions.update(socket, key, sized(sync, settings.maxUpdateBytes, 'update'));
        return null;
      }),
    );
    socket.on('collab:awareness', (request, ack) =>
      answer(ack, async () => {
        carets.take(socket, 'awareness');
        const { doc, awareness } = parse(withAwareness, request);
        const key = parseDocKey(doc).key;
        await sessions.awareness(
          socket,
          key,
          sized(awareness, MAX_AWARENESS_BYTES, 'awareness update'),
        );
        return null;
      }),
    );
    socket.on('collab:close', (request, ack) =>
      answer(ack, async () => {
        await sessions.closeDoc(socket, parseDocKey(parse(docOnly, request).doc).key);
        return null;
      }),
    );
    socket.on('disconnect', () => void sessions.disconnected(socket));
  });
}
