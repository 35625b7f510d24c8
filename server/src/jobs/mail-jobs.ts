/**
 * The mail jobs as one loop: poll reminders, then collecting what happened
 * into work records, then sending (mentions and replies at once, group
 * activity into each person's batch), then the batches and the digests due. Each step works from
 * the database, so what fell due while no server ran is handled on the first
 * tick after a restart, and nothing is sent twice (see mail-send.ts).
 */
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailSettings } from '../mail/notifications.js';
import { collectGroupEvents, collectNotifications } from './mail-collect.js';
import { sendDueBatches } from './mail-batch.js';
import { sendDigests } from './mail-digest.js';
import { remindClosingPolls } from './mail-poll-reminders.js';
import { sendPendingEmails } from './mail-send.js';
import { startPeriodicJob, type PeriodicJob } from './periodic.js';

export interface MailJobsOptions {
  mailer: Mailer;
  settings: MailSettings;
  intervalMs: number;
  /** How long group activity waits for more to the same person (see mail-batch.ts). */
  batchWindowMs: number;
  digestHourUtc: number;
  logger?: Logger;
}

/** One pass of every mail job at `now`; returns how many emails went out. */
export async function runMailJobs(
  options: Omit<MailJobsOptions, 'intervalMs'>,
  now: Date = new Date(),
): Promise<number> {
  await remindClosingPolls(now, options.logger);
  await collectNotifications(now);
  await collectGroupEvents(now);
  const sent = await sendPendingEmails(options, now);
  const batches = await sendDueBatches(options, now);
  return sent + batches + (await sendDigests(options, now));
}

export type MailJobs = PeriodicJob;

/** Runs the mail jobs at once and then every `intervalMs`, until stopped. */
export function startMailJobs(options: MailJobsOptions): MailJobs {
  return startPeriodicJob({
    name: 'mail',
    intervalMs: options.intervalMs,
    logger: options.logger,
    work: async () => {
      const count = await runMailJobs(options);
      return count > 0 ? `sent ${count} email(s)` : null;
    },
  });
}
