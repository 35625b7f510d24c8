/**
 * The two traces every moderation action leaves: an entry in the group's
 * audit log (who, what, when, why; readable by its coordinators), and a
 * private notice to the person whose content or account it concerns, with
 * the reason. Neither ever names who reported them.
 */
import type { Types } from 'mongoose';
import { recordAudit } from '../commands/audit/record.js';
import { ModerationNoticeModel } from '../models/moderation-notice.js';

export interface ModerationRecord {
  actorId: Types.ObjectId;
  action: string;
  reason: string;
  groupId: Types.ObjectId | null;
  /** Whose content or account; null when nobody in particular (slow mode on a discussion). */
  subjectUserId: Types.ObjectId | null;
  target: { kind: string; id: Types.ObjectId | null } | null;
  discussionId?: Types.ObjectId | null;
  commentId?: Types.ObjectId | null;
  until?: Date | null;
  ip?: string | null;
  /** Tell the subject privately (false for actions that only close reports, such as a dismissal). */
  tell: boolean;
}

/** Writes the audit entry (action `moderation_<action>`) and, when asked, the notice. */
export async function recordModeration(props: ModerationRecord): Promise<void> {
  await recordAudit({
    actorId: props.actorId,
    subjectUserId: props.subjectUserId,
    action: `moderation_${props.action}`,
    reason: props.reason,
    groupId: props.groupId,
    target: props.target,
    ip: props.ip ?? null,
  });
  if (!props.tell || !props.subjectUserId || props.subjectUserId.equals(props.actorId)) return;
  await ModerationNoticeModel.create({
    userId: props.subjectUserId,
    action: props.action,
    reason: props.reason,
    groupId: props.groupId,
    discussionId: props.discussionId ?? null,
    commentId: props.commentId ?? null,
    until: props.until ?? null,
  });
}
