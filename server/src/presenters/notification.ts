/**
 * A person's own notifications. The discussion is named only while its
 * recipient may still read it (someone who left a group keeps the
 * notification but no longer sees the title): the call site decides that
 * through `canReadDiscussion`.
 */
import type { Notification } from '../models/notification.js';
import type { NotificationDto } from '../../../shared/dto.js';

export type { NotificationDto };
import type { UserSummaryDto } from './user.js';

type NotificationLike = Pick<
  Notification,
  '_id' | 'kind' | 'actorId' | 'commentId' | 'pollId' | 'readAt' | 'createdAt'
> &
  Partial<Pick<Notification, 'meetingId'>>;

export function presentNotification(
  notification: NotificationLike,
  options: { actor: UserSummaryDto | null; discussion: { _id: unknown; title: string } | null },
): NotificationDto {
  const visible = options.discussion !== null;
  return {
    id: String(notification._id),
    kind: notification.kind,
    actor: options.actor,
    discussion: options.discussion
      ? { id: String(options.discussion._id), title: options.discussion.title }
      : null,
    commentId: visible && notification.commentId ? String(notification.commentId) : null,
    pollId: visible && notification.pollId ? String(notification.pollId) : null,
    meetingId: notification.meetingId ? String(notification.meetingId) : null,
    read: notification.readAt !== null,
    readAt: notification.readAt?.toISOString() ?? null,
    createdAt: notification.createdAt.toISOString(),
  };
}
