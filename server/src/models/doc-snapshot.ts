/**
 * The compacted state of a collaborative document: every update folded in so
 * far, as one `Y.encodeStateAsUpdate`. `version` grows with each compaction and
 * guards it (a compaction writes only over the version it read), so two
 * processes compacting at once can never drop each other's updates.
 */
import { Schema, model } from 'mongoose';

export interface DocSnapshot {
  /** The document key (collab/documents.ts). */
  _id: string;
  state: Buffer;
  version: number;
  updatedAt: Date;
}

const docSnapshotSchema = new Schema<DocSnapshot>(
  {
    _id: { type: String, required: true },
    state: { type: Buffer, required: true },
    version: { type: Number, required: true },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, collection: 'docsnapshots' },
);

export const DocSnapshotModel = model<DocSnapshot>('DocSnapshot', docSnapshotSchema);
