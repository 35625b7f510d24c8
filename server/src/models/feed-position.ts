/**
 * Where a change feed has got to: one document per feed (per process role),
 * holding the change-stream resume token after the last change it finished
 * handling, so a restarted process resumes exactly there (DESIGN.md, "Never
 * lose an update"). The token is opaque: stored and handed back as the server
 * issued it.
 */
import { Schema, model } from 'mongoose';

export interface FeedPosition {
  /** The feed's id, e.g. `realtime:<hostname>:<port>`. */
  _id: string;
  /** The change stream's resume token (`{ _data }`), exactly as the server issued it. */
  token: unknown;
  updatedAt: Date;
}

const feedPositionSchema = new Schema<FeedPosition>(
  {
    _id: { type: String, required: true },
    token: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'feedpositions' },
);

export const FeedPositionModel = model<FeedPosition>('FeedPosition', feedPositionSchema);
