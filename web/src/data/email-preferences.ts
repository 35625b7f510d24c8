/**
 * Which emails one gets, and the emailed unsubscribe links. Preferences are
 * personal and change only here (no live events carry them), so the settings
 * form keeps what the server answered as its starting point rather than a
 * store slice; every save answers with the whole, current preferences.
 */
import type {
  EmailPreferencesDto,
  GroupEmailLevel,
  UnsubscribeDto,
} from '../../../shared/email.js';
import type { NotificationKind } from '../../../shared/domain.js';
import { api } from '../api/client.js';

/** A change to send: only the parts that changed; `level: null` makes a group follow the default. */
export interface EmailPreferencesChange {
  kinds?: Partial<Record<NotificationKind, boolean>>;
  defaultGroupLevel?: GroupEmailLevel;
  groups?: { groupId: string; level: GroupEmailLevel | null }[];
  digest?: boolean;
}

export async function loadEmailPreferences(): Promise<EmailPreferencesDto> {
  const { preferences } = await api.get<{ preferences: EmailPreferencesDto }>(
    '/me/email-preferences',
  );
  return preferences;
}

export async function saveEmailPreferences(
  change: EmailPreferencesChange,
): Promise<EmailPreferencesDto> {
  const { preferences } = await api.patch<{ preferences: EmailPreferencesDto }>(
    '/me/email-preferences',
    change,
  );
  return preferences;
}

const unsubscribePath = (token: string) => `/unsubscribe/${encodeURIComponent(token)}`;

/** What an unsubscribe link stops, and whether that still comes (works signed out). */
export async function previewUnsubscribe(token: string): Promise<UnsubscribeDto> {
  const { unsubscribe } = await api.get<{ unsubscribe: UnsubscribeDto }>(unsubscribePath(token));
  return unsubscribe;
}

/** Stops the kind of email the link names (idempotent). */
export async function unsubscribe(token: string): Promise<UnsubscribeDto> {
  const { unsubscribe } = await api.post<{ unsubscribe: UnsubscribeDto }>(unsubscribePath(token));
  return unsubscribe;
}
