/**
 * One entry point for every meeting action, whichever transport carries it
 * (REST `POST /api/meetings/:id/actions`, socket `meeting:act`): validate,
 * load the meeting for the viewer (404 if they may not know it), authorize
 * (participants raise hands and send signals; everything else, the
 * minutes' minute-taker and publishing included, is the facilitators'),
 * refuse a muted or suspended person (`muted`, `suspended`: they may still
 * lower their hand), then run the command. The change reaches screens through
 * the change feed, never from here.
 */
import type { MeetingAction } from '../../../shared/meetings.js';
import type { Viewer } from '../auth/viewer.js';
import { AuthenticationError, AuthorizationError } from '../errors.js';
import { isFacilitator, isMeetingParticipant } from '../policies/meeting.js';
import { assertMayAct } from '../moderation/restrictions.js';
import * as agenda from './agenda.js';
import { loadReadableHeldMeeting, plainMeeting } from './load.js';
import * as minutes from './minutes.js';
import * as votes from './quick-votes.js';
import type { ActionInput } from '../routes/meetings/schema.js';
import * as speakers from './speakers.js';

/** The schema and the shared type describe the same actions (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameActions: Same<ActionInput['type'], MeetingAction['type']> = true;
void _sameActions;

const PARTICIPANT_ACTIONS = new Set<ActionInput['type']>([
  'hand.raise',
  'hand.lower',
  'temperature',
]);

/** Performs one validated action for the viewer; resolves once it is stored. */
export async function performAction(
  viewer: Viewer,
  meetingId: unknown,
  action: ActionInput,
): Promise<void> {
  const user = viewer.user;
  // Checked against the meeting this process holds (changes of the meeting itself compare
  // revisions on a fresh read: change.ts).
  const participant = PARTICIPANT_ACTIONS.has(action.type);
  const { meeting, group } = await loadReadableHeldMeeting(viewer, meetingId);
  if (!user) throw AuthenticationError();
  // Restrictions are answered after the checks before them (404, 401, 403 come first).
  const restricted =
    action.type === 'hand.lower' ? Promise.resolve() : assertMayAct(user._id, group._id);
  restricted.catch(() => undefined); // answered below, or not at all after an earlier refusal
  if (participant) {
    if (!isMeetingParticipant(viewer, meeting, group))
      throw AuthorizationError('Only participants may do that');
  } else if (!isFacilitator(viewer, meeting, group)) {
    throw AuthorizationError('Only the meeting’s facilitators may do that');
  }
  await restricted;
  const id = meeting._id;
  const plain = plainMeeting(meeting);
  switch (action.type) {
    case 'meeting.start':
      return void (await agenda.start(id, user._id));
    case 'meeting.end':
      return void (await agenda.end(id));
    case 'agenda.add':
      return void (await agenda.addItem(id, action));
    case 'agenda.edit':
      return void (await agenda.editItem(id, action));
    case 'agenda.remove':
      return void (await agenda.removeItem(id, action));
    case 'agenda.reorder':
      return void (await agenda.reorderItems(id, action));
    case 'agenda.next':
      return void (await agenda.nextItem(id, action));
    case 'agenda.goto':
      return void (await agenda.gotoItem(id, action));
    case 'timer.pause':
    case 'timer.resume':
    case 'timer.add_minute':
      return void (await agenda.changeTimer(id, action));
    case 'settings':
      return void (await agenda.changeSettings(id, action));
    case 'hand.raise':
      return speakers.raiseHand(plain, user._id, action);
    case 'hand.lower':
      return speakers.lowerHand(plain, user._id);
    case 'hand.skip':
      return speakers.skipHand(plain, action);
    case 'hand.remove':
      return speakers.removeHand(plain, action);
    case 'queue.reorder':
      return speakers.reorderQueue(plain, action);
    case 'speaker.next':
      return void (await speakers.nextSpeaker(id, action, plain));
    case 'speaker.call':
      return void (await speakers.callSpeaker(id, action, plain));
    case 'speaker.finish':
      return void (await speakers.finishSpeaker(id, action, plain));
    case 'temperature':
      return votes.signal(plain, user._id, action);
    case 'vote.open':
      return votes.openQuickVote(id, user._id, action);
    case 'vote.close':
      return votes.closeQuickVote(plain, user._id);
    case 'vote.reveal':
      return votes.revealQuickVote(plain);
    case 'minutes.taker':
      return minutes.nameMinuteTaker(id, action);
    case 'minutes.publish':
      return minutes.publishMinutes(id, user._id, action);
  }
}
