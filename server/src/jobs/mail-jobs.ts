/**
 * The mail jobs as one loop: poll reminders, then collecting what happened
 * into work records, then sending, then the digests due. Each step works from
 * the database, so what fell due while no server ran is handled on the first
 * tick after a restart, and nothing is sent twice (see mail-send.ts).
 */
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { MailSettings } from '../mail/notifications.js';
import { collectGroupEvents, collectNotifications } from './mail-collect.js';
import { sendDigests } from './mail-digest.js';
import { remindClosingPolls } from './mail-poll-reminders.js';
import { sendPendingEmails } from './mail-send.js';

export interface MailJobsOptions {
  mailer: Mailer;
  settings: MailSettings;
  intervalMs: number;
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
  return sent + (await sendDigests(options, now));
}

/** A running loop; `stop()` cancels the next tick and waits for the current one. */
export interface MailJobs {
  stop(): Promise<void>;
}

/** Runs the mail jobs at once and then every `intervalMs`, until stopped. */
export function startMailJobs(options: MailJobsOptions): MailJobs {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = runMailJobs(options)
      .then((count) => {
        if (count > 0) options.logger?.debug(`mail: sent ${count} email(s)`);
      })
      .catch((error: unknown) => options.logger?.error('mail: tick failed', error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
