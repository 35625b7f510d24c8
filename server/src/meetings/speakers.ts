/**
 * The speakers' list: raising and lowering one's hand, and the facilitator
 * calling the next hand, a chosen hand, ending a turn, skipping, removing and
 * reordering. Each raise is its own document (hundreds may raise at once);
 * calling someone changes their hand and the meeting's speaker in one
 * transaction, from the speaker the facilitator saw, so a double click calls
 * once.
 */
import mongoose, { Types, type ClientSession } from 'mongoose';
import { isDuplicateKey } from '../db/errors.js';
import { ValidationError } from '../errors.js';
import { MeetingHandModel, type MeetingHand } from '../models/meeting-hand.js';
import type { Meeting } from '../models/meeting.js';
import { changeMeeting, MeetingConflict } from './change.js';
import { handKey, liveQueues, loweredKey } from './live-cache.js';
import { endSpeaker, requireState } from './agenda.js';
import type { ActionInput } from '../routes/meetings/schema.js';
import { startTimer } from './timers.js';
import { firstInQueue, type QueueEntry } from './queue-load.js';

type Of<T extends ActionInput['type']> = Extract<ActionInput, { type: T }>;

export async function raiseHand(
  meeting: Meeting,
  userId: Types.ObjectId,
  action: Of<'hand.raise'>,
): Promise<void> {
  requireState(meeting, 'live');
  const now = new Date();
  const hand = {
    // Chosen here, so the write can be marked as on its way (live-cache.ts) before it is made.
    _id: new Types.ObjectId(),
    meetingId: meeting._id,
    itemId: meeting.currentItemId,
    userId,
    kind: action.kind,
    clientId: action.clientId,
    position: now.getTime(),
    raisedAt: now,
  };
  // Most raises are the person's first on the item: one write. The unique indexes refuse this
  // very raise stored already and a second waiting hand; the read below sorts out which.
  if (await insertHand(meeting, hand)) return;
  // One read for both questions: was this very raise stored already, and is a hand waiting?
  const waitingFilter = { itemId: meeting.currentItemId, state: 'waiting' as const };
  const mine = await MeetingHandModel.find({
    meetingId: meeting._id,
    userId,
    $or: [{ clientId: action.clientId }, waitingFilter],
  }).lean();
  if (mine.some((hand) => hand.clientId === action.clientId)) return;
  // One waiting hand per person: raising again changes its kind, keeping its place; but a point
  // of order (whose raiser visitors may not know) is never the same hand as a named one.
  const waiting = mine.find(
    (hand) => hand.itemId === meeting.currentItemId && hand.state === 'waiting',
  );
  if (waiting?.kind === action.kind) return;
  const poo = (kind: string) => kind === 'point_of_order';
  if (waiting && !poo(waiting.kind) && !poo(action.kind)) {
    await written(meeting, [handKey(waiting._id)], () =>
      MeetingHandModel.updateOne({ _id: waiting._id }, { $set: { kind: action.kind } }),
    );
    return;
  }
  if (waiting)
    await written(meeting, [handKey(waiting._id)], () =>
      MeetingHandModel.updateOne(
        { _id: waiting._id, state: 'waiting' },
        { $set: { state: 'lowered', doneAt: now } },
      ),
    );
  // A raise from elsewhere at the same moment may have won: one waiting hand either way.
  await insertHand(meeting, hand);
}

/** Stores a new waiting hand; false when a unique index refused it. */
async function insertHand(
  meeting: Meeting,
  hand: Omit<MeetingHand, 'state' | 'rank' | 'calledAt' | 'doneAt'>,
): Promise<boolean> {
  const stored = await written(meeting, [handKey(hand._id)], () =>
    MeetingHandModel.create(hand).then(
      () => ({ modifiedCount: 1 }),
      (error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
        return { modifiedCount: 0 };
      },
    ),
  );
  return stored > 0;
}

export async function lowerHand(meeting: Meeting, userId: Types.ObjectId): Promise<void> {
  await written(meeting, [loweredKey(userId)], () =>
    MeetingHandModel.updateMany(
      { meetingId: meeting._id, userId, state: 'waiting' },
      { $set: { state: 'lowered', doneAt: new Date() } },
    ),
  );
}

/**
 * Runs a write of hands, marked as on its way until the feed brings it back
 * (live-cache.ts), the marks taken back if it changed nothing; answers how
 * many hands it changed.
 */
async function written(
  meeting: Meeting,
  keys: string[],
  write: () => Promise<{ modifiedCount: number }>,
): Promise<number> {
  const unmark = liveQueues.writing(meeting._id, keys);
  try {
    const { modifiedCount } = await write();
    if (modifiedCount === 0) unmark();
    return modifiedCount;
  } catch (error) {
    unmark();
    throw error;
  }
}

/** A waiting hand of this meeting (400 naming `action.handId` otherwise). */
async function waitingHand(meeting: Meeting, handId: string, session?: ClientSession) {
  const hand = await MeetingHandModel.findOne(
    { _id: new Types.ObjectId(handId), meetingId: meeting._id, state: 'waiting' },
    null,
    { session },
  ).lean();
  if (!hand) throw ValidationError('action.handId', 'is not a waiting hand in this meeting');
  return hand;
}

export async function skipHand(meeting: Meeting, action: Of<'hand.skip'>): Promise<void> {
  requireState(meeting, 'live');
  await waitingHand(meeting, action.handId);
  await written(meeting, [handKey(action.handId)], () =>
    MeetingHandModel.updateOne(
      { _id: new Types.ObjectId(action.handId), state: 'waiting' },
      { $set: { position: Date.now(), rank: null } },
    ),
  );
}

export async function removeHand(meeting: Meeting, action: Of<'hand.remove'>): Promise<void> {
  requireState(meeting, 'live');
  await written(meeting, [handKey(action.handId)], () =>
    MeetingHandModel.updateOne(
      { _id: new Types.ObjectId(action.handId), meetingId: meeting._id, state: 'waiting' },
      { $set: { state: 'removed', doneAt: new Date() } },
    ),
  );
}

export async function reorderQueue(meeting: Meeting, action: Of<'queue.reorder'>): Promise<void> {
  requireState(meeting, 'live');
  const ids = action.handIds.map((id) => new Types.ObjectId(id));
  const found = await MeetingHandModel.countDocuments({
    _id: { $in: ids },
    meetingId: meeting._id,
    state: 'waiting',
  });
  if (found !== new Set(action.handIds).size)
    throw ValidationError('action.handIds', 'must list waiting hands of this meeting');
  // In one transaction, so every screen sees the old order or the new one, never half of it.
  // Each hand marked as on its way (live-cache.ts); the marks of those it left as they were go.
  const unmarks = ids.map((id) => liveQueues.writing(meeting._id, [handKey(id)]));
  let unchanged: number[] = [];
  try {
    await mongoose.connection.transaction(async (session) => {
      unchanged = [];
      for (const [rank, _id] of ids.entries()) {
        const { modifiedCount } = await MeetingHandModel.updateOne(
          { _id, state: 'waiting' },
          { $set: { rank } },
          { session },
        );
        if (modifiedCount === 0) unchanged.push(rank);
      }
    });
  } catch (error) {
    unmarks.forEach((unmark) => unmark());
    throw error;
  }
  for (const i of unchanged) unmarks[i]();
}

/**
 * Makes `hand` the speaker, with a timer of the meeting's cap (or counting up).
 * A hand taken from the held queue (`fromHeld`) may have been lowered or
 * removed a moment ago: then nothing is written and the call is decided again
 * from the stored queue.
 */
async function call(
  meeting: Meeting,
  hand: QueueEntry,
  session: ClientSession,
  now: Date,
  fromHeld = false,
) {
  // The speaker's turn ends and the next begins in one round trip (as endSpeaker, then the call).
  const ending = meeting.speaker
    ? [
        {
          updateOne: {
            filter: { _id: meeting.speaker.handId, state: 'speaking' as const },
            update: { $set: { state: 'spoken' as const, doneAt: now } },
          },
        },
      ]
    : [];
  const result = await MeetingHandModel.bulkWrite(
    [
      ...ending,
      {
        updateOne: {
          filter: { _id: hand._id, state: 'waiting' as const },
          update: { $set: { state: 'speaking' as const, calledAt: now } },
        },
      },
    ],
    { session, ordered: true },
  );
  if (fromHeld && result.matchedCount !== ending.length + 1) throw new MeetingConflict();
  const cap = meeting.speakingCapSeconds === null ? null : meeting.speakingCapSeconds * 1000;
  return {
    speaker: {
      handId: hand._id,
      userId: hand.userId,
      kind: hand.kind,
      timer: startTimer(cap, now),
    },
  };
}

/**
 * Calls the first in line. Where this process presents the meeting live, the
 * first in line is taken from the queue it holds when that is the stored one
 * (live-cache.ts), else read; `held` is the meeting as this process holds it
 * (see changeMeeting).
 */
export async function nextSpeaker(
  meetingId: Types.ObjectId,
  action: Of<'speaker.next'>,
  held?: Meeting,
) {
  let trustHeld = true;
  return changeMeeting(
    meetingId,
    async (meeting, session, now) => {
      requireState(meeting, 'live');
      const current = meeting.speaker ? String(meeting.speaker.handId) : null;
      // Another click (or facilitator) already moved on from the speaker this one saw.
      if (current !== action.from) return null;
      const known = trustHeld ? liveQueues.head(meeting) : null;
      const next = known ? known.first : await firstInQueue(meeting, session);
      if (next)
        return call(meeting, next, session, now, known !== null).catch((error: unknown) => {
          // The held first in line moved meanwhile: decide again from the stored queue.
          if (known && error instanceof MeetingConflict) trustHeld = false;
          throw error;
        });
      if (!meeting.speaker) return null;
      await endSpeaker(meeting, session, now);
      return { speaker: null };
    },
    held,
  );
}

export async function callSpeaker(
  meetingId: Types.ObjectId,
  action: Of<'speaker.call'>,
  held?: Meeting,
) {
  return changeMeeting(
    meetingId,
    async (meeting, session, now) => {
      requireState(meeting, 'live');
      const hand = await waitingHand(meeting, action.handId, session);
      return call(meeting, hand, session, now);
    },
    held,
  );
}

export async function finishSpeaker(
  meetingId: Types.ObjectId,
  action: Of<'speaker.finish'>,
  held?: Meeting,
) {
  return changeMeeting(
    meetingId,
    async (meeting, session, now) => {
      if (!meeting.speaker || String(meeting.speaker.handId) !== action.handId) return null;
      await endSpeaker(meeting, session, now);
      return { speaker: null };
    },
    held,
  );
}
