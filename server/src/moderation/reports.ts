/**
 * Filing a report. Anyone taking part may report content of others in a
 * discussion they read, or a fellow member of a group; a second report of the
 * same thing by the same person while the first is open returns the first.
 * Reports of illegal content also reach the site's administrators.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import { AuthorizationError, ValidationError } from '../errors.js';
import { MembershipModel } from '../models/membership.js';
import { ReportModel, type Report, type ReportDocument } from '../models/report.js';
import { canReportContent, canReportPerson } from '../policies/moderation.js';
import type { OwnReportDto, ReportReason, ReportTargetKind } from '../../../shared/moderation.js';
import { resolveTarget } from './targets.js';

export interface FileReportProps {
  viewer: Viewer & { user: NonNullable<Viewer['user']> };
  targetKind: ReportTargetKind;
  targetId: string;
  /** Required for a person: the group they are reported to. */
  groupId?: Types.ObjectId;
  reason: ReportReason;
  note: string;
}

export async function fileReport(
  props: FileReportProps,
): Promise<{ report: ReportDocument; created: boolean }> {
  const { viewer } = props;
  const target = await resolveTarget(viewer, props.targetKind, props.targetId, props.groupId);
  if (target.kind === 'person') {
    const member = await MembershipModel.exists({ groupId: target.group!._id, userId: target.id });
    if (!member || !canReportPerson(viewer, target.group!, String(target.id)))
      throw AuthorizationError('You may report only fellow members of your groups');
  } else if (!canReportContent(viewer, target.discussion!, target.authorId)) {
    throw AuthorizationError('You may not report this');
  }
  if (target.comment?.deletedAt) throw ValidationError('targetId', 'This comment was deleted');
  const existing = await ReportModel.findOne({
    targetId: target.id,
    reporterId: viewer.user._id,
    handledAt: null,
  });
  if (existing) return { report: existing, created: false };
  const report = await ReportModel.create({
    source: 'person',
    groupId: target.group?._id ?? null,
    targetKind: target.kind,
    targetId: target.id,
    discussionId: target.discussion?._id ?? null,
    targetUserId: target.authorId,
    reporterId: viewer.user._id,
    reason: props.reason,
    note: props.note,
  });
  return { report, created: true };
}

/** The reporter's own view: what they reported, and whether it was handled; not what was done. */
export function presentOwnReport(report: Report): OwnReportDto {
  return {
    id: String(report._id),
    targetKind: report.targetKind,
    targetId: String(report.targetId),
    groupId: report.groupId ? String(report.groupId) : null,
    reason: report.reason,
    note: report.note,
    status: report.handledAt ? 'handled' : 'received',
    createdAt: report.createdAt.toISOString(),
    handledAt: report.handledAt?.toISOString() ?? null,
  };
}
