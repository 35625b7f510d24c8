/**
 * Reporting and following one's reports, and a group's review queue: thin
 * calls to `/api/moderation` and `/api/groups/:group/moderation`. Live
 * changes arrive over the socket (`moderation:queue`, `report:updated`).
 */
import type {
  ModerationAction,
  OwnReportDto,
  QueueItemDto,
  ReportReason,
  ReportTargetKind,
} from '../../../shared/moderation.js';
import { api } from '../api/client.js';

export async function fileReport(props: {
  target: { kind: ReportTargetKind; id: string };
  reason: ReportReason;
  note: string;
  groupId?: string;
}): Promise<OwnReportDto> {
  return (await api.post<{ report: OwnReportDto }>('/moderation/reports', props)).report;
}

export async function loadQueue(groupId: string): Promise<QueueItemDto[]> {
  return (await api.get<{ items: QueueItemDto[] }>(`/groups/${groupId}/moderation/queue`)).items;
}

export async function takeAction(
  groupId: string,
  props: {
    target: { kind: ReportTargetKind; id: string };
    action: ModerationAction;
    reason: string;
    minutes?: number;
  },
): Promise<void> {
  await api.post(`/groups/${groupId}/moderation/actions`, props);
}
