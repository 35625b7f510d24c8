/**
 * Writing to the audit log. Every caller goes through `recordAudit`, which
 * masks the address before it is stored (P4), so no raw IP can reach the log
 * by accident.
 */
import type { Types } from 'mongoose';
import { maskIp } from '../../http/mask-ip.js';
import {
  AuditEntryModel,
  type AuditAction,
  type AuditEntryDocument,
} from '../../models/audit-entry.js';

export interface RecordAuditProps {
  /** Who acted; null for the system. */
  actorId: Types.ObjectId | null;
  /** Whose account or content it concerns. */
  subjectUserId?: Types.ObjectId | null;
  action: AuditAction;
  reason?: string | null;
  /** The group concerned, so its coordinators see the fact. One entry per group. */
  groupId?: Types.ObjectId | null;
  target?: { kind: string; id?: Types.ObjectId | null; count?: number } | null;
  /** The raw request address; only its masked form is stored. */
  ip?: string | null;
  at?: Date;
}

/** Appends one entry to the audit log. */
export async function recordAudit(props: RecordAuditProps): Promise<AuditEntryDocument> {
  return AuditEntryModel.create({
    actorId: props.actorId,
    subjectUserId: props.subjectUserId ?? null,
    action: props.action,
    reason: props.reason ?? null,
    groupId: props.groupId ?? null,
    target: props.target
      ? { kind: props.target.kind, id: props.target.id ?? null, count: props.target.count ?? 1 }
      : null,
    ip: maskIp(props.ip ?? null),
    at: props.at ?? new Date(),
  });
}
