/**
 * Reporting and following one's reports, one's own restrictions, a group's
 * review queue and its settings, slow mode, and the site administrators'
 * queue: thin calls to `/api/moderation` and `/api/groups/:group/moderation`.
 * Answers go into the store through the same actions the live events
 * (`moderation:queue`, `report:updated`, `restriction:changed`) take.
 * Lifting a restriction early (a group's mute or ban, a site suspension)
 * always says why: the person is told.
 */
import type { DiscussionDto } from '../../../shared/dto.js';
import type {
  GroupModerationSettingsDto,
  HoldPosts,
  ModerationAction,
  ModerationNoticeDto,
  OwnReportDto,
  QueueItemDto,
  ReportReason,
  ReportTargetKind,
  RestrictionDto,
  RestrictionListItemDto,
  SiteQueueItemDto,
} from '../../../shared/moderation.js';
import { api, request } from '../api/client.js';
import { useStore } from '../store/index.js';

type Target = { kind: ReportTargetKind; id: string };

export async function fileReport(props: {
  target: Target;
  reason: ReportReason;
  note: string;
  groupId?: string;
}): Promise<OwnReportDto> {
  const { report } = await api.post<{ report: OwnReportDto }>('/moderation/reports', props);
  useStore.getState().upsertReports([report]);
  return report;
}

/** One's own reports (newest first), into the store. */
export async function loadMyReports(): Promise<void> {
  const { items } = await api.get<{ items: OwnReportDto[] }>('/moderation/reports/mine');
  useStore.getState().upsertReports(items);
}

/** One's own restrictions in force and the latest notices, into the store. */
export async function loadMyModeration(): Promise<void> {
  const answer = await api.get<{
    restrictions: RestrictionDto[];
    notices: ModerationNoticeDto[];
  }>('/moderation/me');
  const store = useStore.getState();
  store.setMyRestrictions(answer.restrictions);
  store.upsertNotices(answer.notices);
}

export async function loadQueue(groupId: string): Promise<QueueItemDto[]> {
  const { items } = await api.get<{ items: QueueItemDto[] }>(`/groups/${groupId}/moderation/queue`);
  useStore.getState().setQueue(groupId, items);
  return items;
}

/** A group's mutes and bans in force (newest first), into the store. */
export async function loadGroupRestrictions(groupId: string): Promise<void> {
  const { items } = await api.get<{ items: RestrictionListItemDto[] }>(
    `/groups/${groupId}/moderation/restrictions`,
  );
  useStore.getState().setGroupRestrictions(groupId, items);
}

/** Lifts a mute or a ban of the group now; the list reloads, the person hears it live. */
export async function liftGroupRestriction(groupId: string, restrictionId: string, reason: string) {
  await request('DELETE', `/groups/${groupId}/moderation/restrictions/${restrictionId}`, {
    body: { reason },
  });
  await loadGroupRestrictions(groupId);
}

export async function takeAction(
  groupId: string,
  props: { target: Target; action: ModerationAction; reason: string; minutes?: number },
): Promise<void> {
  await api.post(`/groups/${groupId}/moderation/actions`, props);
}

export async function setHoldPosts(
  groupId: string,
  props: { holdPosts: HoldPosts; holdDays: number; reason: string },
): Promise<GroupModerationSettingsDto> {
  return (
    await api.put<{ moderation: GroupModerationSettingsDto }>(
      `/groups/${groupId}/moderation/settings`,
      props,
    )
  ).moderation;
}

/** Names (or un-names) a member moderator of the group. */
export async function setModerator(groupId: string, userId: string, moderator: boolean) {
  const path = `/groups/${groupId}/moderators/${userId}`;
  await (moderator ? api.put(path) : request('DELETE', path, { body: {} }));
}

/** Slow mode on a discussion (0 turns it off); the discussion comes back and reaches everyone live. */
export async function setSlowMode(discussionId: string, seconds: number, reason: string) {
  const { discussion } = await api.put<{ discussion: DiscussionDto }>(
    `/moderation/discussions/${discussionId}/slow-mode`,
    { seconds, reason },
  );
  useStore.getState().upsertDiscussions([discussion]);
}

export async function loadSiteQueue(): Promise<SiteQueueItemDto[]> {
  return (await api.get<{ items: SiteQueueItemDto[] }>('/moderation/site/reports')).items;
}

export async function takeSiteAction(props: {
  target: Target;
  action: 'dismiss' | 'remove_content';
  reason: string;
}): Promise<void> {
  await api.post('/moderation/site/actions', props);
}

/** Suspends an account across the site for `minutes` (absent: until lifted). */
export async function suspendAccount(userId: string, reason: string, minutes?: number) {
  await api.post(`/moderation/site/users/${userId}/suspension`, { reason, minutes });
}

/** Suspensions in force across the site, newest first. */
export async function loadSuspensions(): Promise<RestrictionListItemDto[]> {
  return (await api.get<{ items: RestrictionListItemDto[] }>('/moderation/site/suspensions')).items;
}

/** Lifts a person's suspension now; they are told, with the reason. */
export async function liftSuspension(userId: string, reason: string): Promise<void> {
  await request('DELETE', `/moderation/site/users/${userId}/suspension`, { body: { reason } });
}
