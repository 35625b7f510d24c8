/**
 * Email preferences as their owner sees them (nobody else ever does): every
 * kind with its switch, the default and per-group levels, the digest.
 */
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../shared/domain.js';
import type {
  EmailPreferencesDto,
  UnsubscribeDto,
  UnsubscribeKind,
} from '../../../shared/email.js';
import { isSubscribed, KIND_DESCRIPTIONS, type EmailPreferences } from '../mail/preferences.js';

export type { EmailPreferencesDto, UnsubscribeDto };

export function presentEmailPreferences(prefs: EmailPreferences): EmailPreferencesDto {
  return {
    kinds: Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, prefs.kinds[k]])) as Record<
      NotificationKind,
      boolean
    >,
    defaultGroupLevel: prefs.defaultGroupLevel,
    groups: prefs.groups.map((g) => ({ groupId: String(g.groupId), level: g.level })),
    digest: prefs.digest,
  };
}

/** What an unsubscribe link stops; nothing about whose link it is. */
export function presentUnsubscribe(kind: UnsubscribeKind, prefs: EmailPreferences): UnsubscribeDto {
  return { kind, description: KIND_DESCRIPTIONS[kind], subscribed: isSubscribed(prefs, kind) };
}
