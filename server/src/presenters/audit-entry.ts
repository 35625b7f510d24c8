/**
 * Audit entries for their two audiences. A group's coordinators see the fact
 * (action, when, whose account, by whom, how many records), never the reason
 * or an address. The person the entry is about sees it in their export, with
 * the reason and, for their own actions only, their own masked address.
 */
import type { GroupAuditEntryDto, OwnAuditEntryDto } from '../../../shared/dto.js';
import type { AuditEntry } from '../models/audit-entry.js';
import type { People } from '../commands/discussions/people.js';

export function presentGroupAuditEntry(entry: AuditEntry, people: People): GroupAuditEntryDto {
  return {
    id: String(entry._id),
    action: entry.action,
    at: entry.at.toISOString(),
    subject: entry.subjectUserId ? people(entry.subjectUserId) : null,
    actor: entry.actorId ? people(entry.actorId) : null,
    count: entry.target?.count ?? null,
    // Moderation is the group's own business: its coordinators read why (who reported never appears).
    ...(entry.action.startsWith('moderation_') ? { reason: entry.reason } : {}),
  };
}

/** `actor` is who acted, by id and public name (resolved by the caller). */
export function presentOwnAuditEntry(
  entry: AuditEntry,
  selfId: string,
  actor: { id: string; name: string } | null,
): OwnAuditEntryDto {
  const own = entry.actorId !== null && String(entry.actorId) === selfId;
  return {
    id: String(entry._id),
    action: entry.action,
    at: entry.at.toISOString(),
    actor,
    reason: entry.reason,
    groupId: entry.groupId ? String(entry.groupId) : null,
    count: entry.target?.count ?? null,
    ip: own ? entry.ip : null,
  };
}
