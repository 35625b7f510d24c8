/**
 * Small facts scheduled jobs keep between runs and across processes: a
 * high-water mark (`mail:notifications` -> the last scanned time) or a thing
 * done once (`poll_closing:<pollId>`, `digest:<userId>:<day>`), whose unique
 * `_id` lets exactly one process record it.
 */
import { Schema, model } from 'mongoose';

export interface JobMark {
  _id: string;
  at: Date;
}

const jobMarkSchema = new Schema<JobMark>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

export const JobMarkModel = model<JobMark>('JobMark', jobMarkSchema);
