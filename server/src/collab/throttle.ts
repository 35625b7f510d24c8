/**
 * Per-socket token buckets for the collaboration events, so one socket's
 * flood is refused (`rate_limited`) instead of filling the log and every
 * other editor's connection.
 */
import { RateLimitError } from '../errors.js';

export interface Rate {
  /** Tokens added per second. */
  perSecond: number;
  /** The largest burst. */
  burst: number;
}

export class Throttle {
  private readonly buckets = new WeakMap<object, { tokens: number; at: number }>();

  constructor(private readonly rate: Rate) {}

  /** Takes one token for `owner`, or throws a RateLimitError. */
  take(owner: object, what: string): void {
    const now = Date.now();
    const bucket = this.buckets.get(owner) ?? { tokens: this.rate.burst, at: now };
    bucket.tokens = Math.min(
      this.rate.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond,
    );
    bucket.at = now;
    this.buckets.set(owner, bucket);
    if (bucket.tokens < 1) throw RateLimitError(`Too many ${what} messages, slow down`);
    bucket.tokens -= 1;
  }
}
