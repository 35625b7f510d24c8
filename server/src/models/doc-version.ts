/**
 * The edit history of a collaborative text: each settled version (the
 * Markdown written to the record after a compaction) with who took part and
 * when, like a comment's `history`. People are kept as ids and named only when
 * presented, so a deactivated or deleted account's name is gone from it as
 * everywhere else (P8, P9); the personal data export lists the documents a
 * person took part in from here (P2).
 */
import { Schema, model, type Types } from 'mongoose';

export interface DocVersion {
  _id: Types.ObjectId;
  /** The document key (collab/documents.ts). */
  doc: string;
  /** The Markdown as it was settled. */
  text: string;
  /** Everyone whose updates went into this version since the previous one. */
  editorIds: Types.ObjectId[];
  createdAt: Date;
}

const docVersionSchema = new Schema<DocVersion>(
  {
    doc: { type: String, required: true },
    text: { type: String, default: '' },
    editorIds: [{ type: Schema.Types.ObjectId, ref: 'User' }],
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, collection: 'docversions' },
);

docVersionSchema.index({ doc: 1, createdAt: -1 });
docVersionSchema.index({ editorIds: 1 });

export const DocVersionModel = model<DocVersion>('DocVersion', docVersionSchema);
