/**
 * The minutes' two facilitator actions (the blocks the server writes into
 * them are minutes-blocks.ts's):
 *
 * - naming the minute-taker, a participant (an active member, or a guest of
 *   the meeting's first discussion), who then writes the minutes with the
 *   facilitators; naming nobody (null) takes the right away at once
 *   (collab/index.ts re-checks open sessions when the meeting changes);
 * - publishing them once the meeting has ended: the document's Markdown goes
 *   into the meeting's record (immutable from then on: the document turns
 *   read-only for everyone) with its attendance block (inserted first if the
 *   feed has not brought it yet), onto the first linked discussion's timeline
 *   (`minutes_published`) and, as `meeting_minutes` notifications, to the
 *   group's members, whom the mail jobs email where their preferences allow.
 *   All in one transaction; a repeated publish with the same client id
 *   changes nothing, another one is refused (`minutes_published`).
 */
import { Types } from 'mongoose';
import { minutesDocKey } from '../../../shared/meetings.js';
import { parseDocKey } from '../collab/documents.js';
import { prepareServerEdit, storedMarkdown } from '../collab/server-edit.js';
import { appendTimelineEvent } from '../commands/timeline.js';
import { ValidationError } from '../errors.js';
import { GuestModel } from '../models/guest.js';
import type { Meeting } from '../models/meeting.js';
import { MembershipModel } from '../models/membership.js';
import { NotificationModel } from '../models/notification.js';
import type { ActionInput } from '../routes/meetings/schema.js';
import { requireState } from './agenda.js';
import { changeMeeting } from './change.js';
import { MinutesPublishedError } from './errors.js';
import { insertAttendance } from './minutes-blocks.js';

type Of<T extends ActionInput['type']> = Extract<ActionInput, { type: T }>;

/** Whether the person takes part in the meeting: an active member, or a guest of its first discussion. */
async function isParticipant(meeting: Meeting, userId: Types.ObjectId): Promise<boolean> {
  const member = await MembershipModel.exists({
    groupId: meeting.groupId,
    userId,
    suspendedAt: null,
  });
  if (member) return true;
  const main = meeting.discussionIds[0];
  return main !== undefined && (await GuestModel.exists({ discussionId: main, userId })) !== null;
}

/** Names the minute-taker (or nobody), until the minutes are published. */
export async function nameMinuteTaker(
  meetingId: Types.ObjectId,
  action: Of<'minutes.taker'>,
): Promise<void> {
  const userId = action.userId === null ? null : new Types.ObjectId(action.userId);
  await changeMeeting(meetingId, async (meeting) => {
    if (meeting.minutes) throw MinutesPublishedError();
    if (String(meeting.minuteTakerId) === String(userId)) return null;
    if (userId && !(await isParticipant(meeting, userId)))
      throw ValidationError('action.userId', 'is not a participant of this meeting');
    return { minuteTakerId: userId };
  });
}

/** Publishes the minutes (see the module comment); resolves once stored. */
export async function publishMinutes(
  meetingId: Types.ObjectId,
  publisherId: Types.ObjectId,
  action: Of<'minutes.publish'>,
): Promise<void> {
  const ref = parseDocKey(minutesDocKey(String(meetingId)));
  await prepareServerEdit(ref);
  // A publish right after the end comes before the feed's attendance block: it goes in first.
  await insertAttendance(meetingId);
  await changeMeeting(meetingId, async (meeting, session, now) => {
    if (meeting.minutes) {
      if (meeting.minutes.clientId === action.clientId) return null;
      throw MinutesPublishedError();
    }
    requireState(meeting, 'ended');
    const markdown = await storedMarkdown(ref, session);
    if (markdown.trim() === '') throw ValidationError('minutes', 'The minutes are empty');
    const discussionId = meeting.discussionIds[0] ?? null;
    if (discussionId)
      await appendTimelineEvent(
        { discussionId, kind: 'minutes_published', actorId: publisherId, meetingId },
        session,
      );
    const members = await MembershipModel.find(
      { groupId: meeting.groupId, suspendedAt: null, userId: { $ne: publisherId } },
      { userId: 1 },
      { session },
    ).lean();
    if (members.length > 0)
      await NotificationModel.insertMany(
        members.map((m) => ({
          userId: m.userId,
          kind: 'meeting_minutes' as const,
          actorId: publisherId,
          discussionId: null,
          meetingId,
        })),
        { session },
      );
    return {
      minutes: {
        markdown,
        publishedAt: now,
        publishedById: publisherId,
        clientId: action.clientId,
        discussionId,
      },
    };
  });
}
