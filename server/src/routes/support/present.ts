/** Support grants and the support part of a group's audit log, as coordinators and administrators see them. */
import type { SupportAuditEntryDto, SupportGrantDto } from '../../../../shared/dto.js';
import type { People } from '../../commands/discussions/people.js';
import type { AuditEntry } from '../../models/audit-entry.js';
import type { SupportGrant } from '../../models/support-grant.js';

export function presentSupportGrant(grant: SupportGrant, people: People): SupportGrantDto {
  return {
    id: String(grant._id),
    grantedBy: people(grant.grantedById),
    createdAt: grant.createdAt.toISOString(),
    expiresAt: grant.expiresAt.toISOString(),
  };
}

/** What happened and who did it; for a read, the route that was read (never what it returned). */
export function presentSupportAuditEntry(entry: AuditEntry, people: People): SupportAuditEntryDto {
  return {
    id: String(entry._id),
    action: entry.action,
    at: entry.at.toISOString(),
    actor: entry.actorId ? people(entry.actorId) : null,
    read: entry.action === 'support_read' ? (entry.target?.kind ?? null) : null,
  };
}
