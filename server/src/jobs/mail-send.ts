/**
 * Second step of notification email: sends the pending work records, each
 * according to its person's preferences as they are now. Group activity is
 * not sent here but put in the person's batch (mail-batch.ts), which the
 * third step sends when its window ends.
 *
 * Delivery is at most once. A record is claimed (`pending` -> `claimed`, one
 * conditional update, so of several processes exactly one gets it) before
 * anything is sent, and marked `sent` after. A process that dies between the
 * two leaves it `claimed`, and no one sends it again: a lost notification email
 * costs little (the notification is still in the app), a duplicate is what
 * makes people unsubscribe. Only a send the transport reports as failed goes
 * back to `pending`, up to {@link MAX_ATTEMPTS} times.
 */
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { composeNotificationEmail, type MailSettings } from '../mail/notifications.js';
import { emailRoute, loadEmailPreferences } from '../mail/preferences.js';
import {
  EmailDeliveryModel,
  MAX_DELIVERY_ATTEMPTS,
  type DeliveryState,
  type EmailDelivery,
} from '../models/email-delivery.js';
import { PROMPT_KINDS } from '../../../shared/email.js';
import { batchDue } from './mail-batch.js';
import { activeRecipient, loadContext } from './mail-context.js';

export const MAX_ATTEMPTS = MAX_DELIVERY_ATTEMPTS;
/** Records one call handles at most; the next tick goes on. */
const BATCH = 500;

export interface MailSendDeps {
  mailer: Mailer;
  settings: MailSettings;
  logger?: Logger;
}

/** What sending pending records needs besides the mailer: how long group activity waits. */
export interface MailQueueDeps extends MailSendDeps {
  /** The batch window (config `mailBatchWindowMs`); see mail-batch.ts. */
  batchWindowMs: number;
}

/** Takes one pending record for this process, or null when none is left. */
export function claimNext(now: Date = new Date()) {
  return EmailDeliveryModel.findOneAndUpdate(
    { state: 'pending' },
    { $set: { state: 'claimed', claimedAt: now }, $inc: { attempts: 1 } },
    { sort: { occurredAt: 1 }, returnDocument: 'after' },
  ).lean();
}

async function finish(
  delivery: Pick<EmailDelivery, '_id'>,
  state: DeliveryState,
  fields: Partial<EmailDelivery> = {},
): Promise<void> {
  await EmailDeliveryModel.updateOne(
    { _id: delivery._id, state: 'claimed' },
    { $set: { state, ...fields } },
  );
}

/**
 * Decides one claimed record: skipped, held for the digest, sent at once (a
 * mention, a reply, a meeting going live), or put in the person's batch.
 */
export async function deliver(
  delivery: EmailDelivery,
  deps: MailQueueDeps,
): Promise<DeliveryState> {
  const recipient = await activeRecipient(delivery.userId);
  if ('reason' in recipient) {
    await finish(delivery, 'skipped', { reason: recipient.reason });
    return 'skipped';
  }
  const route = emailRoute(
    await loadEmailPreferences(recipient.user._id),
    delivery.kind,
    delivery.groupId,
  );
  if (route === 'off') {
    await finish(delivery, 'skipped', { reason: 'preferences' });
    return 'skipped';
  }
  const loaded = await loadContext(delivery, recipient.user);
  if (!loaded.ok) {
    await finish(delivery, 'skipped', { reason: loaded.reason });
    return 'skipped';
  }
  if (route === 'digest') {
    await finish(delivery, 'held');
    return 'held';
  }
  if (!PROMPT_KINDS.includes(delivery.kind)) {
    await finish(delivery, 'batched', { dueAt: await batchDue(delivery, deps.batchWindowMs) });
    return 'batched';
  }
  try {
    await deps.mailer.send(composeNotificationEmail(deps.settings, recipient.user, loaded.context));
  } catch (error) {
    deps.logger?.error(`mail: could not send ${delivery.kind} email ${delivery.key}`, error);
    const retry = delivery.attempts < MAX_ATTEMPTS;
    await finish(delivery, retry ? 'pending' : 'failed');
    return retry ? 'pending' : 'failed';
  }
  await finish(delivery, 'sent', { sentAt: new Date() });
  return 'sent';
}

/** Sends (or batches, holds, skips) the pending records; returns how many emails went out. */
export async function sendPendingEmails(
  deps: MailQueueDeps,
  now: Date = new Date(),
): Promise<number> {
  let sent = 0;
  for (let i = 0; i < BATCH; i++) {
    const delivery = await claimNext(now);
    if (!delivery) break;
    const state = await deliver(delivery, deps).catch(async (error: unknown) => {
      deps.logger?.error(`mail: could not handle ${delivery.key}`, error);
      await finish(delivery, 'failed', { reason: 'error' });
      return 'failed' as const;
    });
    if (state === 'sent') sent++;
    // The transport failed: the record waits for the next tick, and so does the rest.
    if (state === 'pending') break;
  }
  return sent;
}
