import type { StateCreator } from 'zustand';
import type {
  ModerationNoticeDto,
  OwnReportDto,
  QueueItemDto,
  RestrictionDto,
  RestrictionListItemDto,
} from '../../../shared/moderation.js';
import { upsertAll, type ById } from './records.js';
import type { Store } from './index.js';

/**
 * Moderation as the signed-in person meets it: the review queues they watch
 * (open counts live, items when a queue is on screen), their own reports
 * (received, then handled), their own restrictions (mutes, suspension) and
 * the notices moderation sent them, the mutes and bans in force in the
 * groups they moderate (once that list is on screen), and when they may comment again in
 * each discussion under slow mode (for the composer's countdown).
 */
export interface ModerationSlice {
  /** Open items per group, from `moderation:watch` and `moderation:queue`. */
  queueCounts: ById<number>;
  /** Items per group, once a queue is on screen. */
  queues: ById<QueueItemDto[]>;
  /** One's own reports by id. */
  myReports: ById<OwnReportDto>;
  /** One's own restrictions in force; null until loaded. */
  myRestrictions: RestrictionDto[] | null;
  notices: ById<ModerationNoticeDto>;
  /** Mutes and bans in force per group, once a moderator's list is on screen. */
  groupRestrictions: ById<RestrictionListItemDto[]>;
  /** Slow mode: when this person may comment again, per discussion id (epoch ms). */
  nextPostAt: ById<number>;
  setQueueCount: (groupId: string, open: number) => void;
  setQueue: (groupId: string, items: QueueItemDto[]) => void;
  upsertReports: (reports: readonly OwnReportDto[]) => void;
  setMyRestrictions: (restrictions: RestrictionDto[]) => void;
  upsertNotices: (notices: readonly ModerationNoticeDto[]) => void;
  setGroupRestrictions: (groupId: string, items: RestrictionListItemDto[]) => void;
  setNextPostAt: (discussionId: string, at: number) => void;
}

export const moderationSlice: StateCreator<Store, [], [], ModerationSlice> = (set) => ({
  queueCounts: {},
  queues: {},
  myReports: {},
  myRestrictions: null,
  notices: {},
  groupRestrictions: {},
  nextPostAt: {},
  setQueueCount: (groupId, open) =>
    set((s) =>
      s.queueCounts[groupId] === open ? {} : { queueCounts: { ...s.queueCounts, [groupId]: open } },
    ),
  setQueue: (groupId, items) => set((s) => ({ queues: { ...s.queues, [groupId]: items } })),
  // A report once handled stays handled (a slow "received" answer must not undo it).
  upsertReports: (reports) =>
    set((s) => ({
      myReports: upsertAll(
        s.myReports,
        reports.filter((r) => s.myReports[r.id]?.status !== 'handled' || r.status === 'handled'),
      ),
    })),
  setMyRestrictions: (myRestrictions) => set({ myRestrictions }),
  upsertNotices: (notices) => set((s) => ({ notices: upsertAll(s.notices, notices) })),
  setGroupRestrictions: (groupId, items) =>
    set((s) => ({ groupRestrictions: { ...s.groupRestrictions, [groupId]: items } })),
  setNextPostAt: (discussionId, at) =>
    set((s) => ({ nextPostAt: { ...s.nextPostAt, [discussionId]: at } })),
});
