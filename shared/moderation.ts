/**
 * The moderation vocabulary and records both sides compile against: reasons
 * for reports, what may be reported, the actions moderators take, and the
 * shapes of reports, review-queue items, restrictions (mutes, bans,
 * suspensions) and the private notices authors receive.
 */
import type { UserSummaryDto } from './dto.js';

export const REPORT_REASONS = ['spam', 'harassment', 'off_topic', 'illegal', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_TARGET_KINDS = ['comment', 'discussion', 'poll', 'person'] as const;
export type ReportTargetKind = (typeof REPORT_TARGET_KINDS)[number];

/** What a reporter learns of their report: that it arrived, and later that it was handled. */
export type ReportStatus = 'received' | 'handled';

/** The actions a group's moderators take on a queue item (each with a reason). */
export const MODERATION_ACTIONS = [
  'dismiss',
  'hide',
  'restore',
  'approve',
  'delete',
  'warn',
  'mute',
  'lock',
  'remove',
  'ban',
  'escalate',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** Who holds a restriction: a mute or a ban in one group, or a suspension across the site. */
export type RestrictionKind = 'mute' | 'ban' | 'suspension';

/** Which comments a group holds for approval: none, a member's first ones, or all of recent members'. */
export type HoldPosts = 'off' | 'first' | 'recent';

export interface GroupModerationSettingsDto {
  holdPosts: HoldPosts;
  /** With `recent`: members who joined less than this many days ago. */
  holdDays: number;
}

/** One's own report, as the reporter sees it. */
export interface OwnReportDto {
  id: string;
  targetKind: ReportTargetKind;
  targetId: string;
  groupId: string | null;
  reason: ReportReason;
  note: string;
  status: ReportStatus;
  createdAt: string;
  handledAt: string | null;
}

/** A report inside a queue item: for the group's moderators (and administrators when escalated). */
export interface QueueReportDto {
  id: string;
  reason: ReportReason;
  note: string;
  reporter: UserSummaryDto;
  createdAt: string;
}

/** What was reported, as a moderator sees it (hidden and held content included, marked). */
export interface QueueTargetDto {
  kind: ReportTargetKind;
  id: string;
  discussion: { id: string; title: string } | null;
  /** The text concerned (comment body, discussion title and context, poll title); empty for a person. */
  text: string;
  author: UserSummaryDto | null;
  hidden: boolean;
  held: boolean;
  deleted: boolean;
}

/** One past moderation action on the author in this group. */
export interface AuthorHistoryDto {
  action: string;
  reason: string | null;
  at: string;
}

/** Everything open about one target: its reports grouped, the hold, and its author's history here. */
export interface QueueItemDto {
  key: string;
  groupId: string;
  target: QueueTargetDto;
  reports: QueueReportDto[];
  /** Report count per reason. */
  reasons: Partial<Record<ReportReason, number>>;
  /** Whether the item is a held post waiting for approval. */
  held: boolean;
  escalated: boolean;
  authorHistory: AuthorHistoryDto[];
  firstAt: string;
}

export interface ModerationQueueDto {
  groupId: string;
  items: QueueItemDto[];
}

/** A restriction on the signed-in person (their own), for the composer. */
export interface RestrictionDto {
  id: string;
  kind: RestrictionKind;
  groupId: string | null;
  /** Null: until lifted. */
  until: string | null;
  reason: string;
}

/**
 * A restriction in force as those who may lift it list it: a group's mutes
 * and bans for its moderators, suspensions for the site administrators.
 */
export interface RestrictionListItemDto {
  id: string;
  kind: RestrictionKind;
  /** Whom it restricts. */
  person: UserSummaryDto;
  /** Null: until lifted. */
  until: string | null;
  reason: string;
  createdAt: string;
}

/** What moderation did to one's content or account, told privately to that person. */
export interface ModerationNoticeDto {
  id: string;
  action: string;
  reason: string;
  groupId: string | null;
  discussionId: string | null;
  commentId: string | null;
  until: string | null;
  createdAt: string;
}

/** `GET /api/admin/moderation/reports`: only what was reported, never the rest of its group. */
export interface SiteQueueItemDto extends Omit<QueueItemDto, 'authorHistory' | 'groupId'> {
  groupId: string | null;
}

/** The live count of open items in a group's queue (to its moderators' sockets). */
export interface ModerationQueueCount {
  groupId: string;
  open: number;
}
