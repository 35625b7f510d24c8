/**
 * Rate-limit counters, kept in the database so every app process behind a load
 * balancer shares them. One document per (rule, subject) window: `_id` is the
 * key (a keyed hash, never a raw IP or email address, P4), `count` the hits in
 * the current window and `resetAt` when the window ends. A TTL index removes
 * finished windows, so the collection holds only live counters.
 */
import { Schema, model } from 'mongoose';

export interface RateLimitCounter {
  /** `<rule>:<keyed hash of the subject>`. */
  _id: string;
  count: number;
  resetAt: Date;
}

const rateLimitSchema = new Schema<RateLimitCounter>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true, default: 0 },
    resetAt: { type: Date, required: true },
  },
  { versionKey: false },
);

rateLimitSchema.index({ resetAt: 1 }, { expireAfterSeconds: 0 });

export const RateLimitModel = model<RateLimitCounter>('RateLimit', rateLimitSchema);
