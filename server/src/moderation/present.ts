/** Moderation records for the person they concern: what was done and why, never by whom or who reported. */
import type { ModerationNotice } from '../models/moderation-notice.js';
import type { ModerationNoticeDto } from '../../../shared/moderation.js';

export function presentNotice(notice: ModerationNotice): ModerationNoticeDto {
  return {
    id: String(notice._id),
    action: notice.action,
    reason: notice.reason,
    groupId: notice.groupId ? String(notice.groupId) : null,
    discussionId: notice.discussionId ? String(notice.discussionId) : null,
    commentId: notice.commentId ? String(notice.commentId) : null,
    until: notice.until?.toISOString() ?? null,
    createdAt: notice.createdAt.toISOString(),
  };
}
