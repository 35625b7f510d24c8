/**
 * The daily digest: once a day, from `digestHourUtc`, everyone with records
 * held for the digest (new discussions, new polls, outcomes; see
 * mail/preferences.ts) gets them in one email, its unsubscribe link stopping
 * the digest. A `digest:<userId>:<day>` mark, created before anything is sent,
 * makes it once per person and day across processes and restarts (at most
 * once, like single emails). Records held after that day's digest wait for the
 * next day's.
 */
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { composeDigestEmail, type NotificationContext } from '../mail/notifications.js';
import { emailRoute, loadEmailPreferences } from '../mail/preferences.js';
import { isDuplicateKey } from '../db/errors.js';
import { EmailDeliveryModel } from '../models/email-delivery.js';
import { JobMarkModel } from '../models/job-mark.js';
import type { MailSendDeps } from './mail-send.js';
import { activeRecipient, loadContext } from './mail-context.js';
import type { Types } from 'mongoose';

const DAY_MS = 24 * 3600_000;
/** At most this many items are listed in one digest; the rest are counted. */
const MAX_ITEMS = 100;

/** The latest digest time at or before `now`: today at `hourUtc`, or yesterday's. */
export function digestCut(now: Date, hourUtc: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc);
  return new Date(today <= now.getTime() ? today : today - DAY_MS);
}

async function digestFor(userId: Types.ObjectId, cut: Date, deps: MailSendDeps): Promise<boolean> {
  const digestKey = `digest:${String(userId)}:${cut.toISOString().slice(0, 10)}`;
  try {
    await JobMarkModel.create({ _id: digestKey, at: new Date() });
  } catch (error) {
    if (isDuplicateKey(error)) return false; // this day's digest is done (or being done)
    throw error;
  }
  await EmailDeliveryModel.updateMany(
    { userId, state: 'held', occurredAt: { $lt: cut } },
    { $set: { state: 'digesting', digestKey } },
  );
  const held = await EmailDeliveryModel.find({ digestKey, state: 'digesting' })
    .sort({ occurredAt: 1 })
    .lean();
  const close = (state: 'sent' | 'skipped' | 'held', reason: string | null = null) =>
    EmailDeliveryModel.updateMany(
      { digestKey, state: 'digesting' },
      { $set: { state, reason, sentAt: state === 'sent' ? new Date() : null } },
    );

  const recipient = await activeRecipient(userId);
  if ('reason' in recipient) {
    await close('skipped', recipient.reason);
    return false;
  }
  // Preferences as they are now: an unsubscribe since the item was held wins.
  const prefs = await loadEmailPreferences(userId);
  const items: NotificationContext[] = [];
  for (const delivery of held) {
    if (items.length >= MAX_ITEMS) break;
    if (emailRoute(prefs, delivery.kind, delivery.groupId) === 'off') continue;
    const loaded = await loadContext(delivery, recipient.user);
    if (loaded.ok) items.push(loaded.context);
  }
  if (items.length === 0) {
    await close('skipped', 'nothing_left');
    return false;
  }
  try {
    await deps.mailer.send(composeDigestEmail(deps.settings, recipient.user, items));
  } catch (error) {
    deps.logger?.error(`mail: could not send the digest ${digestKey}`, error);
    await close('held'); // tomorrow's digest carries them
    return false;
  }
  await close('sent');
  return true;
}

/** Sends the digests due at `now`; returns how many went out. */
export async function sendDigests(
  deps: MailSendDeps & { digestHourUtc: number; logger?: Logger; mailer: Mailer },
  now: Date = new Date(),
): Promise<number> {
  const cut = digestCut(now, deps.digestHourUtc);
  const held = await EmailDeliveryModel.find(
    { state: 'held', occurredAt: { $lt: cut } },
    { userId: 1 },
  ).lean();
  const users = new Map(held.map((d) => [String(d.userId), d.userId]));
  let sent = 0;
  for (const userId of users.values()) {
    try {
      if (await digestFor(userId, cut, deps)) sent++;
    } catch (error) {
      deps.logger?.error(`mail: digest for ${String(userId)} failed`, error);
    }
  }
  return sent;
}
