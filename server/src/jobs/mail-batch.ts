/**
 * Group activity to one person, a few minutes at a time: instead of one email
 * per new poll (seven polls in a minute were seven emails to every member),
 * what would go out at once waits in the person's batch, and the batch goes
 * out as one email when its window ends. Mentions, replies and meetings going
 * live never wait (shared/email.ts, `PROMPT_KINDS`); the digest is untouched.
 *
 * - **Durable.** A waiting record is `batched` with its `dueAt` in the
 *   database: a restart in the middle of a window loses nothing, and the first
 *   tick after the window sends it.
 * - **The window** opens with the first record that finds no batch waiting
 *   (its time plus `windowMs`); later records join it, taking its `dueAt`.
 * - **Sending** holds a lease per person (a `JobMark`), so of several
 *   processes one sends a person's batch; it then claims every waiting record
 *   of the person (`batched` -> `batching`, like any claim: a process that
 *   dies now sends none of them again, at most once), decides each one anew
 *   (preferences and unsubscribes as they are now, whether the person may
 *   still read it) and sends what is left: one item as the usual single email,
 *   several as one list.
 */
import { Types } from 'mongoose';
import { isDuplicateKey } from '../db/errors.js';
import {
  composeBatchEmail,
  composeNotificationEmail,
  type NotificationContext,
} from '../mail/notifications.js';
import { emailRoute, loadEmailPreferences } from '../mail/preferences.js';
import {
  EmailDeliveryModel,
  MAX_DELIVERY_ATTEMPTS,
  type EmailDelivery,
} from '../models/email-delivery.js';
import { JobMarkModel } from '../models/job-mark.js';
import { activeRecipient, loadContext } from './mail-context.js';
import type { MailSendDeps } from './mail-send.js';

/** How long one process may hold a person's batch while sending it (then another may). */
const LEASE_MS = 5 * 60_000;
/** People whose batches one call sends at most; the next tick goes on. */
const PEOPLE_PER_CALL = 500;

/** When a record found now goes out: with the batch already waiting for the person, or a new one. */
export async function batchDue(
  delivery: Pick<EmailDelivery, 'userId' | 'occurredAt'>,
  windowMs: number,
): Promise<Date> {
  const waiting = await EmailDeliveryModel.findOne(
    { userId: delivery.userId, state: 'batched' },
    { dueAt: 1 },
  )
    .sort({ dueAt: 1 })
    .lean();
  return waiting?.dueAt ?? new Date(delivery.occurredAt.getTime() + windowMs);
}

/** Takes the person's lease; false when another process holds it. */
async function lease(key: string, now: Date): Promise<Date | null> {
  const until = new Date(now.getTime() + LEASE_MS);
  try {
    const taken = await JobMarkModel.findOneAndUpdate(
      { _id: key, at: { $lte: now } },
      { $set: { at: until } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return taken ? until : null;
  } catch (error) {
    if (isDuplicateKey(error)) return null; // held, not expired
    throw error;
  }
}

/** Sends one person's batch; true when an email went out. */
async function sendBatch(userId: Types.ObjectId, deps: MailSendDeps, now: Date): Promise<boolean> {
  const leaseKey = `mail-batch:${String(userId)}`;
  const until = await lease(leaseKey, now);
  if (!until) return false;
  try {
    const batchKey = `batch:${String(userId)}:${new Types.ObjectId().toHexString()}`;
    await EmailDeliveryModel.updateMany(
      { userId, state: 'batched' },
      { $set: { state: 'batching', batchKey, claimedAt: now }, $inc: { attempts: 1 } },
    );
    const claimed = await EmailDeliveryModel.find({ batchKey, state: 'batching' })
      .sort({ occurredAt: 1 })
      .lean();
    if (claimed.length === 0) return false;
    const close = (ids: Types.ObjectId[], fields: Partial<EmailDelivery>) =>
      ids.length === 0
        ? Promise.resolve()
        : EmailDeliveryModel.updateMany(
            { _id: { $in: ids }, state: 'batching' },
            { $set: fields },
          ).then(() => undefined);

    const recipient = await activeRecipient(userId);
    if ('reason' in recipient) {
      await close(
        claimed.map((d) => d._id),
        { state: 'skipped', reason: recipient.reason },
      );
      return false;
    }
    // Preferences as they are now: an unsubscribe since the record was found wins.
    const prefs = await loadEmailPreferences(userId);
    const items: NotificationContext[] = [];
    const included: Types.ObjectId[] = [];
    for (const delivery of claimed) {
      const route = emailRoute(prefs, delivery.kind, delivery.groupId);
      if (route !== 'immediate') {
        // Off now, or the digest was switched on meanwhile: it carries the record.
        await close(
          [delivery._id],
          route === 'off'
            ? { state: 'skipped', reason: 'preferences' }
            : { state: 'held', batchKey: null },
        );
        continue;
      }
      const loaded = await loadContext(delivery, recipient.user);
      if (!loaded.ok) {
        await close([delivery._id], { state: 'skipped', reason: loaded.reason });
        continue;
      }
      items.push(loaded.context);
      included.push(delivery._id);
    }
    if (items.length === 0) return false;
    const message =
      items.length === 1
        ? composeNotificationEmail(deps.settings, recipient.user, items[0])
        : composeBatchEmail(deps.settings, recipient.user, items);
    try {
      await deps.mailer.send(message);
    } catch (error) {
      deps.logger?.error(`mail: could not send the batch ${batchKey}`, error);
      // Back in the person's batch, due at once: the next tick tries again, a few times.
      const spent = claimed.filter((d) => d.attempts >= MAX_DELIVERY_ATTEMPTS).map((d) => d._id);
      const retry = included.filter((id) => !spent.some((s) => s.equals(id)));
      await close(retry, { state: 'batched', batchKey: null, dueAt: now });
      await close(
        included.filter((id) => spent.some((s) => s.equals(id))),
        { state: 'failed' },
      );
      return false;
    }
    await close(included, { state: 'sent', sentAt: new Date() });
    return true;
  } finally {
    await JobMarkModel.deleteOne({ _id: leaseKey, at: until });
  }
}

/** Sends the batches whose window has ended at `now`; returns how many emails went out. */
export async function sendDueBatches(deps: MailSendDeps, now: Date = new Date()): Promise<number> {
  const due = await EmailDeliveryModel.find(
    { state: 'batched', dueAt: { $lte: now } },
    { userId: 1 },
  )
    .sort({ dueAt: 1 })
    .limit(PEOPLE_PER_CALL * 10)
    .lean();
  const people = [...new Map(due.map((d) => [String(d.userId), d.userId])).values()];
  let sent = 0;
  for (const userId of people.slice(0, PEOPLE_PER_CALL)) {
    try {
      if (await sendBatch(userId, deps, now)) sent++;
    } catch (error) {
      deps.logger?.error(`mail: the batch for ${String(userId)} failed`, error);
    }
  }
  return sent;
}
