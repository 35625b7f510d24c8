/**
 * A report of a comment, discussion, poll or person to a group's moderators,
 * or a post held for approval (`source: 'hold'`, no reporter). The reporter's
 * identity and note stay with the moderators (and site administrators for
 * escalated or illegal-content reports); the reported person never sees them.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import {
  REPORT_REASONS,
  REPORT_TARGET_KINDS,
  type ReportReason,
  type ReportTargetKind,
} from '../../../shared/moderation.js';

export interface Report {
  _id: Types.ObjectId;
  source: 'person' | 'hold';
  /** The group whose moderators review it; null for a discussion among guests only. */
  groupId: Types.ObjectId | null;
  targetKind: ReportTargetKind;
  targetId: Types.ObjectId;
  /** The discussion the target lives in (comments, polls, discussions). */
  discussionId: Types.ObjectId | null;
  /** Whose content (or who) was reported. */
  targetUserId: Types.ObjectId | null;
  reporterId: Types.ObjectId | null;
  reason: ReportReason;
  note: string;
  /** Sent up to the site's administrators by the group's moderators. */
  escalated: boolean;
  handledAt: Date | null;
  handledById: Types.ObjectId | null;
  /** The action that closed it (`dismiss`, `hide`, ...). */
  resolution: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const reportSchema = new Schema<Report>(
  {
    source: { type: String, enum: ['person', 'hold'], default: 'person' },
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null },
    targetKind: { type: String, enum: REPORT_TARGET_KINDS, required: true },
    targetId: { type: Schema.Types.ObjectId, required: true },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', default: null },
    targetUserId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    reporterId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    reason: { type: String, enum: REPORT_REASONS, required: true },
    note: { type: String, default: '', maxlength: 2000 },
    escalated: { type: Boolean, default: false },
    handledAt: { type: Date, default: null },
    handledById: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    resolution: { type: String, default: null },
  },
  { timestamps: true },
);
/** A group's open queue, and one target's open reports. */
reportSchema.index({ groupId: 1, handledAt: 1, createdAt: 1 });
reportSchema.index({ targetId: 1, handledAt: 1 });
reportSchema.index({ reporterId: 1, createdAt: -1 });

export type ReportDocument = HydratedDocument<Report>;
export const ReportModel = model<Report>('Report', reportSchema);
