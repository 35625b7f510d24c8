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

export interface LoadedQueue {
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
      { session },
    ).lean(),
    main
      ? GuestModel.find(
          { discussionId: main, userId: { $in: ids } },
          { userId: 1 },
          { session },
        ).lean()
      : [],
  ]);
  return new Set([...members, ...guests].map((r) => String(r.userId)));
}

export async function loadQueue(
  meeting: Meeting,
  session?: ClientSession,
  takingPart: TakingPart = (m, ids) => stillTakingPart(m, ids, session),
): Promise<LoadedQueue> {
  const hands = await MeetingHandModel.find(
    {
      meetingId: meeting._id,
      itemId: meeting.currentItemId,
      state: { $in: ['waiting', 'speaking', 'spoken'] },
    },
    null,
    { session },
  ).lean();
  const spoken = new Set(hands.filter((h) => h.state !== 'waiting').map((h) => String(h.userId)));
  const waiting = hands.filter((h) => h.state === 'waiting');
  const active = await takingPart(meeting, [...new Set(waiting.map((h) => String(h.userId)))]);
  const queue = orderQueue(
    waiting.filter((h) => active.has(String(h.userId))),
    spoken,
    meeting.progressiveStack,
  );
  return { queue, spoken };
}
