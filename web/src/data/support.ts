/**
 * Support access with consent (P12) and a group's audit log (P9, P12), for the
 * coordinators in the group's settings. These records belong to one settings
 * screen and no live event carries them, so they are returned to the panel
 * that asked rather than kept in the store.
 */
import type {
  GroupAuditEntryDto,
  SupportAuditEntryDto,
  SupportGrantDto,
} from '../../../shared/dto.js';
import { api, type Page } from '../api/client.js';

/** The grant in force (null when none) and the support history, newest first. */
export interface SupportAccess {
  grant: SupportGrantDto | null;
  audit: SupportAuditEntryDto[];
}

/** The lengths a coordinator chooses from; the server accepts 1 to 168 whole hours. */
export const GRANT_LENGTHS: { hours: number; label: string }[] = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '1 day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: '7 days' },
];

const path = (groupId: string) => `/groups/${encodeURIComponent(groupId)}`;

export function loadSupportAccess(groupId: string): Promise<SupportAccess> {
  return api.get<SupportAccess>(`${path(groupId)}/support-access`);
}

/** Grants support access for `hours` from now, replacing any grant in force. */
export async function grantSupportAccess(groupId: string, hours: number): Promise<SupportGrantDto> {
  const { grant } = await api.post<{ grant: SupportGrantDto }>(`${path(groupId)}/support-access`, {
    hours,
  });
  return grant;
}

/** Ends the grant in force at once (nothing happens when there is none). */
export async function revokeSupportAccess(groupId: string): Promise<void> {
  await api.delete(`${path(groupId)}/support-access`);
}

/** A page of the group's audit log, newest first; pass the previous page's cursor for older entries. */
export function loadGroupAudit(
  groupId: string,
  cursor?: string,
): Promise<Page<GroupAuditEntryDto>> {
  return api.get<Page<GroupAuditEntryDto>>(`${path(groupId)}/audit`, { limit: 25, cursor });
}
