/**
 * Who is in a collaborative document right now and where their caret is
 * (Yjs awareness), across every app process: one document per (document, Yjs
 * client) of a socket, written by the process holding the socket. Like
 * presences (models/presence.ts) they are ephemeral: deleted when the socket
 * leaves, refreshed while the client renews its state, swept by every process
 * once expired (the TTL index is the backstop). The state holds a display name
 * and a colour, never an email (collab/awareness.ts sanitises it).
 */
import { Schema, model, type Types } from 'mongoose';

export interface DocAwareness {
  /** `<doc>|<clientId>`: a delete (reported by `_id` alone) still names both. */
  _id: string;
  doc: string;
  clientId: number;
  clock: number;
  /** The sanitised awareness state, as JSON. */
  state: string;
  socketId: string;
  processId: string;
  userId: Types.ObjectId | null;
  expiresAt: Date;
}

const docAwarenessSchema = new Schema<DocAwareness>(
  {
    _id: { type: String, required: true },
    doc: { type: String, required: true },
    clientId: { type: Number, required: true },
    clock: { type: Number, required: true },
    state: { type: String, required: true },
    socketId: { type: String, required: true },
    processId: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'docawareness' },
);

docAwarenessSchema.index({ doc: 1 });
docAwarenessSchema.index({ processId: 1 });
docAwarenessSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const awarenessId = (doc: string, clientId: number) => `${doc}|${clientId}`;

/** The document and client of an awareness `_id`, or null if it is not one. */
export function parseAwarenessId(id: unknown): { doc: string; clientId: number } | null {
  const match = typeof id === 'string' ? /^(.+)\|(\d+)$/.exec(id) : null;
  return match ? { doc: match[1], clientId: Number(match[2]) } : null;
}

export const DocAwarenessModel = model<DocAwareness>('DocAwareness', docAwarenessSchema);
