/**
 * The durable log of a collaborative document (collab/): one document per Yjs
 * update, appended before the update is acknowledged or broadcast, so nothing
 * acknowledged is ever lost. A compaction folds the log into the document's
 * snapshot (models/doc-snapshot.ts) and deletes what it folded in, in one
 * transaction. The change feed carries each insert to every other process.
 */
import { Schema, model, type Types } from 'mongoose';

export interface DocUpdate {
  _id: Types.ObjectId;
  /** The document key, e.g. `discussion:<id>:context` (collab/documents.ts). */
  doc: string;
  /** A Yjs update (`Y.encodeStateAsUpdate` format). */
  update: Buffer;
  /** Who wrote it (for the version history and the personal data export); null for the server's own seed. */
  userId: Types.ObjectId | null;
  /** The process that accepted it (random per start), which already applied it and skips it in its feed. */
  processId: string;
  createdAt: Date;
}

const docUpdateSchema = new Schema<DocUpdate>(
  {
    doc: { type: String, required: true },
    update: { type: Buffer, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    processId: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, collection: 'docupdates' },
);

/** A document's log, in order of arrival. */
docUpdateSchema.index({ doc: 1, _id: 1 });

export const DocUpdateModel = model<DocUpdate>('DocUpdate', docUpdateSchema);
