/**
 * Reads the current item's speakers' queue as everyone sees it: the waiting
 * hands of people still taking part (a removed member drops out at once), in
 * queue order, and who already spoke on the item. Shared by calling the next
 * speaker and by presenting, so both agree on who is first.
 */
import type { ClientSession } from 'mongoose';
import { GuestModel } from '../models/guest.js';
import { MeetingHandModel, type MeetingHand } from '../models/meeting-hand.js';
import type { Meeting } from '../models/meeting.js';
import { MembershipModel } from '../models/membership.js';
import { orderQueue } from './queue.js';
import { EVERY_DOCUMENT } from '../db/read-all.js';

export interface LoadedQueue {
  /** The current item's hands as read: waiting, speaking and spoken. */
  hands: MeetingHand[];
  queue: MeetingHand[];
  /** User ids of those who were called on the current item. */
  spoken: Set<string>;
}

/** Who of `ids` still takes part (a live broadcast passes a cached one; see `TakingPartCache`). */
export type TakingPart = (meeting: Meeting, ids: string[]) => Promise<Set<string>>;

/** The people of `ids` who still take part: active members, and guests of the meeting's discussion. */
export async function stillTakingPart(
  meeting: Meeting,
  ids: string[],
  session?: ClientSession,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const main = meeting.discussionIds[0];
  const [members, guests] = await Promise.all([
    MembershipModel.find(
      { groupId: meeting.groupId, userId: { $in: ids }, suspendedAt: null },
      { userId: 1 },
      { session, ...EVERY_DOCUMENT },
    ).lean(),
    main
      ? GuestModel.find(
          { discussionId: main, userId: { $in: ids } },
          { userId: 1 },
          { session, ...EVERY_DOCUMENT },
        ).lean()
      : [],
  ]);
  return new Set([...members, ...guests].map((r) => String(r.userId)));
}

/**
 * The first hand of the queue as `loadQueue` orders it, asking whether people
 * still take part only of the first few in line (calling the next of 300
 * need not look up 300 memberships).
 */
export async function firstInQueue(
  meeting: Meeting,
  session: ClientSession,
): Promise<QueueEntry | null> {
  // Only what ordering and calling need: a third of each hand's bytes, read in a transaction.
  const hands = await readHands(meeting, session).select(ENTRY_FIELDS).lean<QueueEntry[]>();
  const spoken = spokenOn(hands);
  const ordered = orderQueue(
    hands.filter((h) => h.state === 'waiting'),
    spoken,
    meeting.progressiveStack,
  );
  for (let i = 0; i < ordered.length; i += FIRST_FEW) {
    const few = ordered.slice(i, i + FIRST_FEW);
    const active = await stillTakingPart(
      meeting,
      [...new Set(few.map((h) => String(h.userId)))],
      session,
    );
    const first = few.find((h) => active.has(String(h.userId)));
    if (first) return first;
  }
  return null;
}
const FIRST_FEW = 8;

/** What ordering the queue and calling a speaker need of a hand. */
export type QueueEntry = Pick<
  MeetingHand,
  '_id' | 'userId' | 'kind' | 'state' | 'position' | 'rank'
>;

const ENTRY_FIELDS = { userId: 1, kind: 1, state: 1, position: 1, rank: 1 };

/** The states of the hands a queue is made of (waiting) or that tell who spoke. */
export const LISTED: Array<MeetingHand['state']> = ['waiting', 'speaking', 'spoken'];

/** The current item's listed hands (a query: the caller narrows and runs it). */
const readHands = (meeting: Meeting, session?: ClientSession) =>
  MeetingHandModel.find(
    { meetingId: meeting._id, itemId: meeting.currentItemId, state: { $in: LISTED } },
    null,
    { session, ...EVERY_DOCUMENT },
  );

/** User ids of those called on the item, from its hands. */
const spokenOn = (hands: readonly QueueEntry[]) =>
  new Set(hands.filter((h) => h.state !== 'waiting').map((h) => String(h.userId)));

export async function loadQueue(
  meeting: Meeting,
  session?: ClientSession,
  takingPart: TakingPart = (m, ids) => stillTakingPart(m, ids, session),
): Promise<LoadedQueue> {
  return queueOf(meeting, await readHands(meeting, session).lean(), takingPart);
}

/** The queue of these hands of the current item (as `loadQueue` read them, or known otherwise). */
export async function queueOf(
  meeting: Meeting,
  hands: MeetingHand[],
  takingPart: TakingPart,
): Promise<LoadedQueue> {
  const spoken = spokenOn(hands);
  const waiting = hands.filter((h) => h.state === 'waiting');
  const active = await takingPart(meeting, [...new Set(waiting.map((h) => String(h.userId)))]);
  const queue = orderQueue(
    waiting.filter((h) => active.has(String(h.userId))),
    spoken,
    meeting.progressiveStack,
  );
  return { hands, queue, spoken };
}
