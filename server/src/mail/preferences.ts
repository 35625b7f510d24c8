/**
 * Email preferences as decisions: whether, and how, one thing reaches a
 * person by email. The mail jobs ask {@link emailRoute} at send time, so a
 * change of preference (or an unsubscribe) applies to everything not sent yet.
 */
import type { Types } from 'mongoose';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../shared/domain.js';
import {
  DIGEST_KINDS,
  IMPORTANT_KINDS,
  PERSONAL_KINDS,
  type GroupEmailLevel,
  type UnsubscribeKind,
} from '../../../shared/email.js';
import {
  DEFAULT_EMAIL_PREFERENCES,
  EmailPreferenceModel,
  type EmailPreference,
} from '../models/email-preference.js';

/** The preferences the decisions read; a person without a record has the defaults. */
export type EmailPreferences = Pick<
  EmailPreference,
  'kinds' | 'defaultGroupLevel' | 'groups' | 'digest'
>;

export async function loadEmailPreferences(userId: Types.ObjectId): Promise<EmailPreferences> {
  const stored = await EmailPreferenceModel.findOne({ userId }).lean();
  if (!stored) return DEFAULT_EMAIL_PREFERENCES;
  return {
    kinds: { ...DEFAULT_EMAIL_PREFERENCES.kinds, ...stored.kinds },
    defaultGroupLevel: stored.defaultGroupLevel ?? 'important',
    groups: stored.groups ?? [],
    digest: stored.digest ?? false,
  };
}

export function groupLevel(
  prefs: EmailPreferences,
  groupId: Types.ObjectId | string | null,
): GroupEmailLevel {
  if (groupId === null) return prefs.defaultGroupLevel;
  const own = prefs.groups.find((g) => String(g.groupId) === String(groupId));
  return own?.level ?? prefs.defaultGroupLevel;
}

/**
 * How a thing of `kind` in `groupId` reaches the person: not at all, at once,
 * or in the daily digest. The kind's switch comes first; mentions and replies
 * then go at once whatever the group's level; group activity needs a level
 * that lets it through (`important`: new polls, closing soon, outcomes; `all`:
 * new discussions too), and waits for the digest when that is on.
 */
export function emailRoute(
  prefs: EmailPreferences,
  kind: NotificationKind,
  groupId: Types.ObjectId | string | null,
): 'off' | 'immediate' | 'digest' {
  if (!prefs.kinds[kind]) return 'off';
  if (PERSONAL_KINDS.includes(kind)) return 'immediate';
  const level = groupLevel(prefs, groupId);
  if (level === 'none' || (level === 'important' && !IMPORTANT_KINDS.includes(kind))) return 'off';
  return prefs.digest && DIGEST_KINDS.includes(kind) ? 'digest' : 'immediate';
}

/** The kinds an unsubscribe link of `kind` switches off: itself, or what the digest carries. */
export function kindsStoppedBy(kind: UnsubscribeKind): readonly NotificationKind[] {
  return kind === 'digest' ? DIGEST_KINDS : [kind];
}

/** Whether emails of that kind (or the digest) may still come. */
export function isSubscribed(prefs: EmailPreferences, kind: UnsubscribeKind): boolean {
  return kindsStoppedBy(kind).some((k) => prefs.kinds[k]);
}

/**
 * Switches off exactly the kinds one unsubscribe link stands for, leaving
 * every other preference as it was (idempotent).
 */
export async function unsubscribe(userId: Types.ObjectId, kind: UnsubscribeKind): Promise<void> {
  const off = Object.fromEntries(kindsStoppedBy(kind).map((k) => [`kinds.${k}`, false]));
  await EmailPreferenceModel.updateOne(
    { userId },
    { $set: off, $setOnInsert: { userId } },
    { upsert: true },
  );
}

/** For messages: what a kind of email is about. */
export const KIND_DESCRIPTIONS: Record<UnsubscribeKind, string> = {
  mention: 'emails when someone mentions you',
  reply: 'emails when someone replies to you',
  new_discussion: 'emails about new discussions in your groups',
  new_poll: 'emails about new polls in your groups',
  poll_closing: 'reminders that a poll you have not voted in closes soon',
  meeting_started: 'emails when a meeting of your group starts',
  meeting_minutes: 'emails with the minutes of your groups’ meetings',
  outcome: 'emails about the outcomes of polls',
  digest: 'the daily digest (new discussions, new polls and outcomes)',
};

export { NOTIFICATION_KINDS };
