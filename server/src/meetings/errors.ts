/** The errors of meetings, with their stable ids (shared/api.ts). */
import type { MeetingState } from '../../../shared/meetings.js';
import { HttpError, NotFoundError } from '../errors.js';

/** A meeting the viewer may not know exists reads exactly like one that does not. */
export const MeetingNotFoundError = () => NotFoundError('Meeting not found');

/** The action needs the meeting in another state (e.g. raising a hand before it started). */
export const MeetingStateError = (
  state: MeetingState = 'ended',
  allowed: readonly MeetingState[] = ['live'],
) =>
  new HttpError(
    'meeting_state',
    409,
    `This is not possible while the meeting is ${state} (only when ${allowed.join(' or ')})`,
  );

/** Quick votes are polls in the meeting's discussion; without one there is nowhere to put them. */
export const NoDiscussionError = () =>
  new HttpError(
    'meeting_no_discussion',
    409,
    'Link the meeting to a discussion first: quick votes are polls in it',
  );

/** The minutes were published (by another publish): they no longer change. */
export const MinutesPublishedError = () =>
  new HttpError(
    'minutes_published',
    409,
    'The minutes of this meeting are already published and no longer change',
  );
