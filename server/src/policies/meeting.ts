/**
 * Who may do what in a meeting. Pure functions of the viewer and the meeting
 * with its group; the same functions decide REST answers, socket commands and
 * the room (view) a socket watches from. A meeting is as visible as its
 * group's content: members and the linked discussion's guests take part, and
 * in an open group anyone may watch; to everyone else it does not exist (404).
 */
import type { MeetingView } from '../../../shared/meetings.js';
import { userIdOf, type Viewer } from '../auth/viewer.js';
import type { Meeting } from '../models/meeting.js';
import { canReadGroupContent, isCoordinator, isMember } from './group.js';

type MeetingLike = Pick<Meeting, 'groupId' | 'facilitatorIds' | 'discussionIds' | 'state'>;
type GroupLike = Parameters<typeof canReadGroupContent>[1];

/** The group's coordinators always may; named facilitators while they are members. */
export function isFacilitator(viewer: Viewer, meeting: MeetingLike, group: GroupLike): boolean {
  const me = userIdOf(viewer);
  if (me === null) return false;
  if (isCoordinator(viewer, group)) return true;
  return isMember(viewer, group) && meeting.facilitatorIds.some((id) => String(id) === me);
}

/** Members, and guests of the meeting's discussion (where its quick votes are). */
export function isMeetingParticipant(
  viewer: Viewer,
  meeting: MeetingLike,
  group: GroupLike,
): boolean {
  if (viewer.user === null) return false;
  if (isMember(viewer, group)) return true;
  const main = meeting.discussionIds[0];
  return main !== undefined && viewer.guestOf.has(String(main));
}

/** The view a viewer has of a meeting, or null when it must not know it exists. */
export function meetingViewOf(
  viewer: Viewer,
  meeting: MeetingLike,
  group: GroupLike,
): MeetingView | null {
  if (isFacilitator(viewer, meeting, group)) return 'facilitator';
  if (isMeetingParticipant(viewer, meeting, group)) return 'participant';
  return canReadGroupContent(viewer, group) ? 'visitor' : null;
}

/** Scheduling a meeting is the group's to decide (its abilities carry it to clients). */
export { canScheduleMeeting } from './group.js';

/** Participant actions (hands, signals) happen only while the meeting is live. */
export const canParticipate = (viewer: Viewer, meeting: MeetingLike, group: GroupLike) =>
  meeting.state === 'live' && isMeetingParticipant(viewer, meeting, group);

export function meetingAbilities(viewer: Viewer, meeting: MeetingLike, group: GroupLike) {
  return {
    canFacilitate: meeting.state !== 'ended' && isFacilitator(viewer, meeting, group),
    canParticipate: canParticipate(viewer, meeting, group),
  };
}

/**
 * Writing the minutes: the facilitators, and the named minute-taker while they
 * take part; nobody once they are published (they no longer change).
 */
export function canWriteMinutes(
  viewer: Viewer,
  meeting: MeetingLike & Pick<Meeting, 'minuteTakerId' | 'minutes'>,
  group: GroupLike,
): boolean {
  if (meeting.minutes) return false;
  if (isFacilitator(viewer, meeting, group)) return true;
  const me = userIdOf(viewer);
  return (
    me !== null &&
    meeting.minuteTakerId !== null &&
    String(meeting.minuteTakerId) === me &&
    isMeetingParticipant(viewer, meeting, group)
  );
}
