/**
 * Who is viewing which discussion right now, across every app process: one
 * document per (discussion, process) holding what that process's sockets
 * contribute (the participants by id, the other signed-in readers by id, the
 * signed-out ones as a count, and who is typing). One document per process and
 * discussion, not per socket, so a heartbeat touches O(discussions) documents
 * and a join or leave rewrites one small document at most a few times a
 * second. Documents are ephemeral: the owning process rewrites its document
 * when its sockets come and go and deletes it when none is left, refreshes
 * `expiresAt` with a heartbeat while it lives, so the documents of a process
 * that crashed expire (swept by the surviving processes through the
 * `expiresAt` index, which is also a TTL index as a backstop); a clean stop
 * deletes this process's documents. The change feed carries every write to
 * every process, which is how presence and typing cross processes.
 */
import { Schema, model, type Types } from 'mongoose';

export interface Presence {
  /** `<discussionId>:<processId>`, so a delete (reported by `_id` alone) still names both. */
  _id: string;
  /** The app process holding the sockets (random per start); its heartbeat keeps the document alive. */
  processId: string;
  discussionId: Types.ObjectId;
  /** Participants (guest, member, coordinator views) watching through this process, one entry per person. */
  participants: Types.ObjectId[];
  /** Signed-in readers in the visitor view (counted, never named), one entry per person. */
  others: Types.ObjectId[];
  /** Signed-out sockets watching through this process. */
  anonymous: number;
  /** Participants typing a comment, until when. */
  typing: Array<{ userId: Types.ObjectId; until: Date }>;
  expiresAt: Date;
}

const presenceSchema = new Schema<Presence>(
  {
    _id: { type: String, required: true },
    processId: { type: String, required: true },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', required: true },
    participants: { type: [Schema.Types.ObjectId], default: [] },
    others: { type: [Schema.Types.ObjectId], default: [] },
    anonymous: { type: Number, default: 0 },
    typing: {
      type: [{ _id: false, userId: Schema.Types.ObjectId, until: Date }],
      default: [],
    },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'presences' },
);

presenceSchema.index({ discussionId: 1 });
presenceSchema.index({ processId: 1 });
presenceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** `_id` of one process's presence in one discussion. */
export const presenceId = (discussionId: string, processId: string) =>
  `${discussionId}:${processId}`;

/** The discussion and process a presence `_id` belongs to, or null if it is not one. */
export function partsOfPresence(id: unknown): { discussionId: string; processId: string } | null {
  const match = typeof id === 'string' ? /^([0-9a-f]{24}):(.+)$/.exec(id) : null;
  return match ? { discussionId: match[1], processId: match[2] } : null;
}

export const PresenceModel = model<Presence>('Presence', presenceSchema);
