/** Shared set-up of the mail job tests: a group scene and a way to run the jobs against an outbox. */
import type { CommentDto } from '../presenters/comment.js';
import type { Outbox } from '../mail/mailer.js';
import type { UserDocument } from '../models/user.js';
import type { DiscussionDocument } from '../models/discussion.js';
import type { TestApp } from '../test/harness.js';
import { DEFAULT_MAIL_BATCH_WINDOW_MS } from '../config.js';
import { runMailJobs } from './mail-jobs.js';

export const settingsOf = (app: TestApp) => ({ publicUrl: app.url, jwtSecret: app.jwtSecret });

/** The batch window the jobs run with here: the default one. */
export const WINDOW_MS = DEFAULT_MAIL_BATCH_WINDOW_MS;

/** A moment just after the batch window of what happened at `from` ended. */
export const afterWindow = (from = new Date()) => new Date(from.getTime() + WINDOW_MS + 1000);

/** One pass of every mail job at `now`, sending into `outbox` (the app's own by default). */
export function runJobs(app: TestApp, now = new Date(), outbox: Outbox = app.server.mailer) {
  return runMailJobs(
    { mailer: outbox, settings: settingsOf(app), batchWindowMs: WINDOW_MS, digestHourUtc: 7 },
    now,
  );
}

/** Posts a comment through the API (so its notifications are made as in production). */
export async function comment(
  app: TestApp,
  discussion: DiscussionDocument,
  author: UserDocument,
  body: string,
  parentId?: string,
): Promise<CommentDto> {
  const res = await app.post<{ comment: CommentDto }>(
    `/api/discussions/${String(discussion._id)}/comments`,
    { body, ...(parentId ? { parentId } : {}) },
    { as: author },
  );
  if (res.status !== 201) throw new Error(`comment not posted: ${res.status}`);
  return res.body.comment;
}
