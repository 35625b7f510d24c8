/**
 * Rate limits shared by every app process through the database (P17). A rule
 * allows `limit` hits per fixed window; each (rule, subject) pair has one
 * counter document whose key is an HMAC of the subject, so neither raw IP
 * addresses (P4) nor email addresses are ever stored, and the small IPv4 space
 * cannot be enumerated back from the keys without the server's secret.
 *
 * Counting happens before the guarded work (`consume`), so parallel attempts
 * cannot overshoot the limit; callers give a hit back (`forgive`, `reset`) when
 * the attempt turns out to be one the rule should not count, such as a
 * successful sign-in.
 */
import { isDuplicateKey } from '../db/errors.js';
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { HttpError } from '../errors.js';
import { RateLimitModel } from '../models/rate-limit.js';

export interface RateRule {
  /** Prefix of the counter keys; unique per rule. */
  name: string;
  limit: number;
  windowSeconds: number;
}

const MINUTE = 60;
const HOUR = 3600;

/** The limits Quorum applies; tests and operators read them here. */
export const RATE_RULES = {
  /** Failed sign-ins (and wrong current passwords) per account, keyed by email whether or not it exists. */
  signInAccount: { name: 'signin-account', limit: 5, windowSeconds: 15 * MINUTE },
  /** Failed sign-ins per address. */
  signInAddress: { name: 'signin-address', limit: 20, windowSeconds: 15 * MINUTE },
  /** Accounts created per address. */
  signUpAddress: { name: 'signup-address', limit: 10, windowSeconds: HOUR },
  /** Password-reset and sign-in-link emails per address they are sent to. */
  emailLinkAccount: { name: 'email-link-account', limit: 5, windowSeconds: HOUR },
  /** Password-reset and sign-in-link requests per requesting address. */
  emailLinkAddress: { name: 'email-link-address', limit: 30, windowSeconds: HOUR },
  /** Verification emails re-sent per user. */
  verifyResend: { name: 'verify-resend', limit: 5, windowSeconds: HOUR },
  /** Profile photos uploaded per user (each is decoded and resized). */
  avatarUpload: { name: 'avatar-upload', limit: 20, windowSeconds: HOUR },
} as const satisfies Record<string, RateRule>;

/** A 429 that knows when to come back; the auth routers turn it into `Retry-After`. */
export class RateLimitedError extends HttpError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', 429, 'Too many attempts, try again later');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** One counter: a rule applied to one subject. */
export interface RateLimitKey {
  rule: RateRule;
  key: string;
}

/**
 * The subject for an address: IPv4 as is, IPv6 reduced to its /64 (what one
 * subscriber usually holds, so rotating addresses inside it does not help).
 */
export function addressSubject(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4;
  if (!isIPv6(ip)) return 'unknown';
  const [head, tail = ''] = ip.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const fill = Array<string>(Math.max(0, 8 - headParts.length - tailParts.length)).fill('0');
  const groups = [...headParts, ...fill, ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

/** The counter key of `rule` for `subject` (an email, an address subject, a user id). */
export function rateLimitKey(secret: string, rule: RateRule, subject: string): RateLimitKey {
  const digest = createHmac('sha256', secret)
    .update(`quorum-rate-limit\0${rule.name}\0${subject}`)
    .digest('base64url');
  return { rule, key: `${rule.name}:${digest}` };
}

/** Adds one hit and returns the counter after it (a new window when the old one ended). */
export async function hit({ rule, key }: RateLimitKey, now = new Date()) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const live = await RateLimitModel.findOneAndUpdate(
      { _id: key, resetAt: { $gt: now } },
      { $inc: { count: 1 } },
      { returnDocument: 'after' },
    ).lean();
    if (live) return live;
    try {
      // Starts a window, replacing a finished one; if another process started it first,
      // the insert collides on _id and the next round increments theirs.
      const started = await RateLimitModel.findOneAndUpdate(
        { _id: key, resetAt: { $lte: now } },
        { $set: { count: 1, resetAt: new Date(now.getTime() + rule.windowSeconds * 1000) } },
        { returnDocument: 'after', upsert: true },
      ).lean();
      if (started) return started;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new Error(`rate limit counter ${rule.name} is contended`);
}

/** Seconds until the window of a counter ends, at least 1. */
export function retryAfterSeconds(resetAt: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
}

/**
 * Counts one hit on every key and throws RateLimitedError (with the longest
 * wait) if any of them is now over its limit.
 */
export async function consume(keys: RateLimitKey[], now = new Date()): Promise<void> {
  const counters = await Promise.all(keys.map((k) => hit(k, now)));
  const waits = counters
    .map((c, i) => (c.count > keys[i].rule.limit ? retryAfterSeconds(c.resetAt, now) : 0))
    .filter((s) => s > 0);
  if (waits.length > 0) throw new RateLimitedError(Math.max(...waits));
}

/** Takes one hit back (the attempt was not one the rule counts). */
export async function forgive({ key }: RateLimitKey): Promise<void> {
  await RateLimitModel.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
}

/** Ends a counter's window early (a successful sign-in clears the account's failures). */
export async function reset({ key }: RateLimitKey): Promise<void> {
  await RateLimitModel.deleteOne({ _id: key });
}
