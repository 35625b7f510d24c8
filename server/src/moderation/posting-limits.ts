/**
 * Limits on how fast a person posts: a per-person rate limit for everyone
 * (counted in the database, so every process shares it), and a discussion's
 * slow mode (one comment per person per N seconds), both answered with the
 * time the next post is allowed. The rate limit is loose enough that a fast
 * typist in a live meeting (a short line every two seconds) never meets it;
 * it stops floods and scripts.
 */
import type { Types } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from '../db/errors.js';
import { retryAfterSeconds, type RateRule } from '../auth/rate-limit.js';
import { PostingRateError, SlowModeError } from '../errors.js';
import { CommentModel } from '../models/comment.js';
import { RateLimitModel } from '../models/rate-limit.js';

/** Posts (comments, discussions, polls) per person. */
export const POSTING_RULES = {
  burst: { name: 'post-burst', limit: 15, windowSeconds: 10 },
  minute: { name: 'post-minute', limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

type Window = keyof typeof POSTING_RULES;
const WINDOWS = Object.keys(POSTING_RULES) as Window[];

/**
 * A person's posting counter: every window of POSTING_RULES in one document
 * of the rate-limit collection (`<window>` hits until `<window>Ends`), so one
 * post costs one database command whatever the number of rules. `resetAt` is
 * when the last window ends: the collection's TTL index removes the document
 * then.
 */
type PostingCounter = { _id: string; resetAt: Date } & Record<Window, number> &
  Record<`${Window}Ends`, Date>;

/** The rate-limit collection, as posting counters (the update is a pipeline: no schema casting). */
const counters = () => RateLimitModel.collection as unknown as Collection<PostingCounter>;

/**
 * The update that counts one post at `now`: each window goes on, or starts
 * again at 1 once it has ended (or never began: a missing end compares below
 * any date).
 */
function countOne(now: Date): Document[] {
  const windows: Document = {};
  for (const window of WINDOWS) {
    const live = { $gt: [`$${window}Ends`, now] };
    const ends = new Date(now.getTime() + POSTING_RULES[window].windowSeconds * 1000);
    windows[window] = { $cond: [live, { $add: [`$${window}`, 1] }, 1] };
    windows[`${window}Ends`] = { $cond: [live, `$${window}Ends`, ends] };
  }
  return [
    { $set: windows },
    { $set: { resetAt: { $max: WINDOWS.map((window) => `$${window}Ends`) } } },
  ];
}

/** Counts one post and throws `rate_limited` with the retry time when over any limit. */
export async function consumePostingAllowance(userId: Types.ObjectId, now = new Date()) {
  // User ids are not personal data worth hashing here (unlike addresses, P4).
  const key = `post:${String(userId)}`;
  let counter: PostingCounter | null = null;
  for (let attempt = 0; !counter; attempt++) {
    try {
      counter = await counters().findOneAndUpdate({ _id: key }, countOne(now), {
        upsert: true,
        returnDocument: 'after',
      });
    } catch (error) {
      // Two first posts at once: the loser's insert collides on _id, and counts on theirs.
      if (!isDuplicateKey(error) || attempt > 0) throw error;
    }
  }
  const waits = WINDOWS.filter((window) => counter[window] > POSTING_RULES[window].limit).map(
    (window) => retryAfterSeconds(counter[`${window}Ends`], now),
  );
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
