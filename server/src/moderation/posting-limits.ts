/**
 * Limits on how fast a person posts: a per-person rate limit for everyone
 * (counted in the database, so every process shares it), and a discussion's
 * slow mode (one comment per person per N seconds), both answered with the
 * time the next post is allowed. The rate limit is loose enough that a fast
 * typist in a live meeting (a short line every two seconds) never meets it;
 * it stops floods and scripts.
 */
import type { Types } from 'mongoose';
import { hit, retryAfterSeconds, type RateRule } from '../auth/rate-limit.js';
import { PostingRateError, SlowModeError } from '../errors.js';
import { CommentModel } from '../models/comment.js';

/** Posts (comments, discussions, polls) per person. */
export const POSTING_RULES = {
  burst: { name: 'post-burst', limit: 15, windowSeconds: 10 },
  minute: { name: 'post-minute', limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

/** Counts one post and throws `rate_limited` with the retry time when over either limit. */
export async function consumePostingAllowance(userId: Types.ObjectId, now = new Date()) {
  const rules = Object.values(POSTING_RULES);
  // User ids are not personal data worth hashing here (unlike addresses, P4).
  const counters = await Promise.all(
    rules.map((rule) => hit({ rule, key: `${rule.name}:${String(userId)}` }, now)),
  );
  const waits = counters
    .map((c, i) => (c.count > rules[i].limit ? retryAfterSeconds(c.resetAt, now) : 0))
    .filter((s) => s > 0);
  if (waits.length > 0) throw PostingRateError(new Date(now.getTime() + Math.max(...waits) * 1000));
}

/** Throws `slow_mode` with the time of the next allowed comment while the person must wait. */
export async function assertSlowModeAllows(
  discussion: { _id: Types.ObjectId; slowModeSeconds?: number },
  authorId: Types.ObjectId,
  now = new Date(),
): Promise<void> {
  const seconds = discussion.slowModeSeconds ?? 0;
  if (seconds <= 0) return;
  const last = await CommentModel.findOne(
    { discussionId: discussion._id, authorId },
    { createdAt: 1 },
  )
    .sort({ createdAt: -1 })
    .lean();
  if (!last) return;
  const next = new Date(last.createdAt.getTime() + seconds * 1000);
  if (next > now) throw SlowModeError(next);
}
