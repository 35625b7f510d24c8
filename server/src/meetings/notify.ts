/**
 * Telling a group that its meeting went live (issue 13): one `meeting_started`
 * notification per active member but the one who started it, written in the
 * start's own transaction so a double click or a retry notifies once. The
 * in-app notification reaches open screens through the existing notification
 * fan-out; the mail jobs turn it into an email where the person's email
 * preferences allow (jobs/mail-context.ts checks they may still take part).
 */
import type { ClientSession, Types } from 'mongoose';
import { MembershipModel } from '../models/membership.js';
import type { Meeting } from '../models/meeting.js';
import { NotificationModel } from '../models/notification.js';

export async function notifyMeetingStarted(
  meeting: Pick<Meeting, '_id' | 'groupId'>,
  actorId: Types.ObjectId,
  session: ClientSession,
): Promise<void> {
  const members = await MembershipModel.find(
    { groupId: meeting.groupId, suspendedAt: null, userId: { $ne: actorId } },
    { userId: 1 },
    { session },
  ).lean();
  if (members.length === 0) return;
  await NotificationModel.insertMany(
    members.map((m) => ({
      userId: m.userId,
      kind: 'meeting_started' as const,
      actorId,
      discussionId: null,
      meetingId: meeting._id,
    })),
    { session },
  );
}
