/**
 * Who is viewing which discussion right now, across every app process: one
 * document per (socket, discussion) being watched. Documents are ephemeral: the
 * process holding the socket deletes them when the socket stops watching or goes
 * away, and refreshes `expiresAt` with a heartbeat while it lives, so the
 * documents of a process that crashed expire (a TTL index, and a prompt sweep by
 * the surviving processes). The change feed carries every insert, update and
 * delete to every process, which is how presence and typing cross processes.
 */
import { Schema, model, type Types } from 'mongoose';
import type { View } from '../../../shared/domain.js';

export interface Presence {
  /**
   * `<discussionId>:<socketId>`: one per socket and discussion, so re-watching
   * is an upsert, and a delete (which the change feed reports by `_id` alone)
   * still names its discussion.
   */
  _id: string;
  socketId: string;
  /** The app process holding the socket (random per start); its heartbeat keeps the document alive. */
  processId: string;
  discussionId: Types.ObjectId;
  /** Null for a signed-out visitor. */
  userId: Types.ObjectId | null;
  /** The view (room) the socket watches through. */
  view: View;
  /** While in the future, the person is typing a comment. */
  typingUntil: Date | null;
  expiresAt: Date;
}

const presenceSchema = new Schema<Presence>(
  {
    _id: { type: String, required: true },
    socketId: { type: String, required: true },
    processId: { type: String, required: true },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    view: { type: String, enum: ['visitor', 'guest', 'member', 'coordinator'], required: true },
    typingUntil: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'presences' },
);

presenceSchema.index({ discussionId: 1 });
presenceSchema.index({ processId: 1 });
presenceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** `_id` of the presence of one socket in one discussion. */
export const presenceId = (discussionId: string, socketId: string) => `${discussionId}:${socketId}`;

/** The discussion a presence `_id` belongs to, or null if it is not one. */
export function discussionOfPresence(id: unknown): string | null {
  return typeof id === 'string' ? (/^([0-9a-f]{24}):/.exec(id)?.[1] ?? null) : null;
}

export const PresenceModel = model<Presence>('Presence', presenceSchema);
