/**
 * The meeting's course: starting and ending it, its agenda (add, edit,
 * remove, reorder, move on), the item and speaker timers, and its settings
 * (a new speaking cap applies to the current speaker's turn at once).
 * Moving to another item records when items started and ended, starts the new
 * item's time box, ends the current speaker and clears temperature signals.
 */
import { randomBytes } from 'node:crypto';
import { Types, type ClientSession } from 'mongoose';
import type { MeetingState } from '../../../shared/meetings.js';
import { ValidationError } from '../errors.js';
import { DiscussionModel } from '../models/discussion.js';
import { MeetingHandModel } from '../models/meeting-hand.js';
import { MeetingSignalModel } from '../models/meeting-signal.js';
import type { Meeting } from '../models/meeting.js';
import { PollModel } from '../models/poll.js';
import { changeMeeting } from './change.js';
import { notifyMeetingStarted } from './notify.js';
import { MeetingStateError } from './errors.js';
import type { ActionInput } from '../routes/meetings/schema.js';
import { addMinute, pauseTimer, resumeTimer, startTimer } from './timers.js';

type Of<T extends ActionInput['type']> = Extract<ActionInput, { type: T }>;

export function requireState(meeting: Pick<Meeting, 'state'>, ...allowed: MeetingState[]): void {
  if (!allowed.includes(meeting.state)) throw MeetingStateError(meeting.state, allowed);
}

const itemIndex = (meeting: Meeting, itemId: string) =>
  meeting.agenda.findIndex((item) => item.id === itemId);

function requireItem(meeting: Meeting, itemId: string): number {
  const index = itemIndex(meeting, itemId);
  if (index === -1) throw ValidationError('action.itemId', 'is not an item of this agenda');
  return index;
}

/** Ends the current speaker's turn (their hand counts as having spoken). */
export async function endSpeaker(
  meeting: Meeting,
  session: ClientSession,
  now: Date,
): Promise<void> {
  if (!meeting.speaker) return;
  await MeetingHandModel.updateOne(
    { _id: meeting.speaker.handId, state: 'speaking' },
    { $set: { state: 'spoken', doneAt: now } },
    { session },
  );
}

/** The change that makes `itemId` (or nothing, at the agenda's end) the current item. */
async function moveTo(meeting: Meeting, itemId: string | null, session: ClientSession, now: Date) {
  await endSpeaker(meeting, session, now);
  await MeetingSignalModel.updateMany(
    { meetingId: meeting._id, signal: { $ne: null } },
    { $set: { signal: null, itemId } },
    { session },
  );
  const agenda = meeting.agenda.map((item) => {
    const plain = { ...item };
    if (item.id === meeting.currentItemId) plain.endedAt = now;
    if (item.id === itemId) plain.startedAt ??= now;
    return plain;
  });
  const next = agenda.find((item) => item.id === itemId);
  return {
    agenda,
    currentItemId: next ? next.id : null,
    itemTimer: next ? startTimer(next.timeboxSeconds * 1000, now) : null,
    speaker: null,
  };
}

/** Starts the meeting and, in the same transaction (so once), notifies the group's members. */
export async function start(meetingId: Types.ObjectId, actorId: Types.ObjectId): Promise<boolean> {
  return changeMeeting(meetingId, async (meeting, session, now) => {
    if (meeting.state === 'live') return null;
    requireState(meeting, 'scheduled');
    const first = meeting.agenda[0]?.id ?? null;
    const moved = first ? await moveTo(meeting, first, session, now) : {};
    await notifyMeetingStarted(meeting, actorId, session);
    return { state: 'live', startedAt: now, ...moved };
  });
}

export async function end(meetingId: Types.ObjectId): Promise<boolean> {
  return changeMeeting(meetingId, async (meeting, session, now) => {
    if (meeting.state === 'ended') return null;
    requireState(meeting, 'live');
    await endSpeaker(meeting, session, now);
    const agenda = meeting.agenda.map((item) =>
      item.id === meeting.currentItemId ? { ...item, endedAt: now } : { ...item },
    );
    return {
      state: 'ended',
      endedAt: now,
      agenda,
      speaker: null,
      itemTimer: meeting.itemTimer ? pauseTimer(meeting.itemTimer, now) : null,
    };
  });
}

/** Checks that a linked discussion or poll belongs to the meeting's group (400 naming the field otherwise). */
async function checkLinks(
  meeting: Meeting,
  action: { discussionId?: string | null; pollId?: string | null },
): Promise<void> {
  if (action.discussionId) {
    const found = await DiscussionModel.exists({
      _id: new Types.ObjectId(action.discussionId),
      groupId: meeting.groupId,
    });
    if (!found) throw ValidationError('action.discussionId', 'is not a discussion of this group');
  }
  if (action.pollId) {
    const found = await PollModel.exists({
      _id: new Types.ObjectId(action.pollId),
      groupId: meeting.groupId,
    });
    if (!found) throw ValidationError('action.pollId', 'is not a poll of this group');
  }
}

export async function addItem(meetingId: Types.ObjectId, action: Of<'agenda.add'>) {
  return changeMeeting(meetingId, async (meeting) => {
    requireState(meeting, 'scheduled', 'live');
    if (meeting.agenda.some((item) => item.clientId === action.clientId)) return null;
    await checkLinks(meeting, action);
    const item = {
      id: randomBytes(6).toString('hex'),
      clientId: action.clientId,
      title: action.title,
      notes: action.notes ?? '',
      discussionId: action.discussionId ? new Types.ObjectId(action.discussionId) : null,
      pollId: action.pollId ? new Types.ObjectId(action.pollId) : null,
      timeboxSeconds: action.timeboxSeconds,
      startedAt: null,
      endedAt: null,
    };
    return { agenda: [...meeting.agenda.map((i) => ({ ...i })), item] };
  });
}

/** An item's link as stored: undefined leaves it, null unlinks. */
const link = (id: string | null | undefined, held: Types.ObjectId | null) =>
  id === undefined ? held : id === null ? null : new Types.ObjectId(id);

export async function editItem(meetingId: Types.ObjectId, action: Of<'agenda.edit'>) {
  return changeMeeting(meetingId, async (meeting) => {
    requireState(meeting, 'scheduled', 'live');
    const index = requireItem(meeting, action.itemId);
    await checkLinks(meeting, action);
    const agenda = meeting.agenda.map((i) => ({ ...i }));
    const item = agenda[index];
    if (action.title !== undefined) item.title = action.title;
    if (action.notes !== undefined) item.notes = action.notes;
    item.discussionId = link(action.discussionId, item.discussionId);
    item.pollId = link(action.pollId, item.pollId);
    const set: Record<string, unknown> = { agenda };
    if (action.timeboxSeconds !== undefined) {
      item.timeboxSeconds = action.timeboxSeconds;
      // The running time box of the current item follows its new length.
      if (item.id === meeting.currentItemId && meeting.itemTimer)
        set.itemTimer = { ...meeting.itemTimer, durationMs: action.timeboxSeconds * 1000 };
    }
    return set;
  });
}

export async function removeItem(meetingId: Types.ObjectId, action: Of<'agenda.remove'>) {
  return changeMeeting(meetingId, (meeting) => {
    requireState(meeting, 'scheduled', 'live');
    if (itemIndex(meeting, action.itemId) === -1) return null;
    if (meeting.currentItemId === action.itemId)
      throw ValidationError('action.itemId', 'is the current item: move on first');
    return { agenda: meeting.agenda.filter((i) => i.id !== action.itemId).map((i) => ({ ...i })) };
  });
}

export async function reorderItems(meetingId: Types.ObjectId, action: Of<'agenda.reorder'>) {
  return changeMeeting(meetingId, (meeting) => {
    requireState(meeting, 'scheduled', 'live');
    const ids = meeting.agenda.map((i) => i.id);
    const same =
      action.itemIds.length === ids.length &&
      new Set(action.itemIds).size === ids.length &&
      action.itemIds.every((id) => ids.includes(id));
    if (!same) throw ValidationError('action.itemIds', 'must list every item of the agenda once');
    return { agenda: action.itemIds.map((id) => ({ ...meeting.agenda[itemIndex(meeting, id)] })) };
  });
}

export async function nextItem(meetingId: Types.ObjectId, action: Of<'agenda.next'>) {
  return changeMeeting(meetingId, async (meeting, session, now) => {
    requireState(meeting, 'live');
    // Someone already moved on from the item this facilitator saw: a double click moves once.
    if (meeting.currentItemId !== action.from) return null;
    const index = action.from === null ? -1 : itemIndex(meeting, action.from);
    const next = meeting.agenda[index + 1]?.id ?? null;
    if (next === null && meeting.currentItemId === null) return null;
    return moveTo(meeting, next, session, now);
  });
}

export async function gotoItem(meetingId: Types.ObjectId, action: Of<'agenda.goto'>) {
  return changeMeeting(meetingId, async (meeting, session, now) => {
    requireState(meeting, 'live');
    requireItem(meeting, action.itemId);
    if (meeting.currentItemId === action.itemId) return null;
    return moveTo(meeting, action.itemId, session, now);
  });
}

export async function changeTimer(
  meetingId: Types.ObjectId,
  action: Of<'timer.pause' | 'timer.resume' | 'timer.add_minute'>,
) {
  return changeMeeting(meetingId, (meeting, _session, now) => {
    requireState(meeting, 'live');
    const timer = action.target === 'item' ? meeting.itemTimer : meeting.speaker?.timer;
    if (!timer) return null;
    const plain = {
      durationMs: timer.durationMs,
      elapsedMs: timer.elapsedMs,
      runningSince: timer.runningSince,
    };
    const changed =
      action.type === 'timer.pause'
        ? pauseTimer(plain, now)
        : action.type === 'timer.resume'
          ? resumeTimer(plain, now)
          : addMinute(plain);
    if (changed === plain) return null;
    return action.target === 'item' ? { itemTimer: changed } : { 'speaker.timer': changed };
  });
}

export async function changeSettings(meetingId: Types.ObjectId, action: Of<'settings'>) {
  return changeMeeting(meetingId, (meeting) => {
    requireState(meeting, 'scheduled', 'live');
    const set: Record<string, unknown> = {};
    if (action.progressiveStack !== undefined) set.progressiveStack = action.progressiveStack;
    if (action.speakingCapSeconds !== undefined) {
      set.speakingCapSeconds = action.speakingCapSeconds;
      // The current speaker's turn takes the new cap too (counting up without one).
      const timer = meeting.speaker?.timer;
      if (timer)
        set['speaker.timer'] = {
          durationMs: action.speakingCapSeconds === null ? null : action.speakingCapSeconds * 1000,
          elapsedMs: timer.elapsedMs,
          runningSince: timer.runningSince,
        };
    }
    return Object.keys(set).length > 0 ? set : null;
  });
}
