/**
 * The audit log of privileged and account-changing actions (P8, P9, P12, P17):
 * who did what to whose account or content, why, when, and from which MASKED
 * address (P4). It records the fact, never the content acted upon, so a
 * redaction's entry can be shown to the group's coordinators without
 * revealing what was removed. General on purpose: other features (support
 * access, for one) write their own actions through `recordAudit`.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

/** The actions written so far; other features add theirs (any short snake_case string is stored). */
export type AuditAction =
  | 'account_deactivated'
  | 'account_reactivated'
  | 'account_deleted'
  | 'content_redacted'
  | (string & {});

export interface AuditEntry {
  _id: Types.ObjectId;
  /** Who acted; null for the system. Erased (set to null) when that account is deleted. */
  actorId: Types.ObjectId | null;
  /** Whose account or content the action concerns. */
  subjectUserId: Types.ObjectId | null;
  action: AuditAction;
  /** Why, when the action needs a reason (a DPO redaction); never the content itself. */
  reason: string | null;
  /** The group the action concerns, so its coordinators can list it. */
  groupId: Types.ObjectId | null;
  /** What was acted on (`comment`, `discussion`, ...) and how many, for the fact-only listing. */
  target: { kind: string; id: Types.ObjectId | null; count: number } | null;
  /** The actor's address, masked (P4). */
  ip: string | null;
  at: Date;
}

const auditEntrySchema = new Schema<AuditEntry>(
  {
    actorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    subjectUserId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    action: { type: String, required: true, maxlength: 64 },
    reason: { type: String, default: null, maxlength: 2000 },
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null },
    target: {
      type: new Schema(
        {
          kind: { type: String, required: true },
          id: { type: Schema.Types.ObjectId, default: null },
          count: { type: Number, default: 1 },
        },
        { _id: false },
      ),
      default: null,
    },
    ip: { type: String, default: null },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
auditEntrySchema.index({ subjectUserId: 1, _id: 1 });
auditEntrySchema.index({ groupId: 1, _id: -1 });

export type AuditEntryDocument = HydratedDocument<AuditEntry>;
export const AuditEntryModel = model<AuditEntry>('AuditEntry', auditEntrySchema);
