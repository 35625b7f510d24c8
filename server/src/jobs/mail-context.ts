/**
 * What the mail jobs read about one work record at send time: the records it
 * is about, and whether telling the person is still right (they may have left
 * the group, the comment may be gone, they may have voted meanwhile).
 */
import { loadViewer } from '../auth/viewer.js';
import { CommentModel } from '../models/comment.js';
import { DiscussionModel } from '../models/discussion.js';
import type { EmailDelivery } from '../models/email-delivery.js';
import { GroupModel } from '../models/group.js';
import { MeetingModel } from '../models/meeting.js';
import { PollModel } from '../models/poll.js';
import { meetingViewOf } from '../policies/meeting.js';
import { UserModel, type UserDocument } from '../models/user.js';
import { VoteModel } from '../models/vote.js';
import type { NotificationContext } from '../mail/notifications.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { isPollOpen } from '../policies/poll.js';

/** Why a record is not sent, or the context to write the email from. */
export type ContextResult =
  { ok: true; context: NotificationContext } | { ok: false; reason: string };

/** An active account with a confirmed address: the only kind that receives notification email. */
export async function activeRecipient(
  userId: EmailDelivery['userId'],
): Promise<{ user: UserDocument } | { reason: string }> {
  const user = await UserModel.findById(userId);
  // Deactivated and deleted accounts receive nothing (P8, P9).
  if (!user || user.deactivatedAt || user.deletedAt) return { reason: 'inactive' };
  // An unconfirmed address may be someone else's: no notifications until it is confirmed.
  if (!user.emailVerifiedAt) return { reason: 'unverified' };
  return { user };
}

export async function loadContext(
  delivery: Pick<
    EmailDelivery,
    'kind' | 'actorId' | 'discussionId' | 'commentId' | 'pollId' | 'userId'
  > &
    Partial<Pick<EmailDelivery, 'meetingId'>>,
  user: UserDocument,
): Promise<ContextResult> {
  if (delivery.kind === 'meeting_started' || delivery.kind === 'meeting_minutes')
    return meetingContext(delivery, user);
  const discussion = delivery.discussionId
    ? await DiscussionModel.findById(delivery.discussionId).lean()
    : null;
  if (!discussion) return { ok: false, reason: 'outdated' };
  const [group, comment, poll, actor] = await Promise.all([
    discussion.groupId ? GroupModel.findById(discussion.groupId).lean() : null,
    delivery.commentId ? CommentModel.findById(delivery.commentId).lean() : null,
    delivery.pollId ? PollModel.findById(delivery.pollId).lean() : null,
    delivery.actorId ? UserModel.findById(delivery.actorId).lean() : null,
  ]);
  if (delivery.commentId && (!comment || comment.deletedAt))
    return { ok: false, reason: 'outdated' };
  // Hidden or held by moderation: emails not yet sent are not sent.
  if (comment && (comment.hiddenAt || comment.heldAt)) return { ok: false, reason: 'moderated' };
  if (delivery.pollId && !poll) return { ok: false, reason: 'outdated' };
  if (!canReadDiscussion(await loadViewer(user), discussion, group))
    return { ok: false, reason: 'no_access' };
  if (delivery.kind === 'poll_closing' && poll) {
    if (!isPollOpen(poll)) return { ok: false, reason: 'outdated' };
    if (await VoteModel.exists({ pollId: poll._id, userId: user._id }))
      return { ok: false, reason: 'outdated' };
  }
  return {
    ok: true,
    context: { kind: delivery.kind, actor, group, discussion, comment, poll, meeting: null },
  };
}

/**
 * A meeting that started, told while it is still live; its minutes, once
 * published; either only while the person may still see the meeting.
 */
async function meetingContext(
  delivery: Pick<EmailDelivery, 'actorId' | 'meetingId' | 'kind'>,
  user: UserDocument,
): Promise<ContextResult> {
  const meeting = delivery.meetingId ? await MeetingModel.findById(delivery.meetingId) : null;
  const current =
    delivery.kind === 'meeting_minutes' ? Boolean(meeting?.minutes) : meeting?.state === 'live';
  if (!meeting || !current) return { ok: false, reason: 'outdated' };
  const [group, actor] = await Promise.all([
    GroupModel.findById(meeting.groupId),
    delivery.actorId ? UserModel.findById(delivery.actorId).lean() : null,
  ]);
  if (!group || !meetingViewOf(await loadViewer(user), meeting, group))
    return { ok: false, reason: 'no_access' };
  return {
    ok: true,
    context: {
      kind: delivery.kind,
      actor,
      group,
      discussion: null,
      comment: null,
      poll: null,
      meeting,
    },
  };
}
