/**
 * A meeting's whole current state, loaded once and presented per view: the
 * one place that reads hands, signals and the quick vote's poll, used alike by
 * the live fan-out (once per view with sockets here), by the reply to a
 * (re)connecting socket and by `GET /api/meetings/:id`.
 */
import {
  TEMPERATURE_SIGNALS,
  type HandDto,
  type MeetingDto,
  type MeetingView,
} from '../../../shared/meetings.js';
import type { View } from '../../../shared/domain.js';
import { VISITOR, type Viewer } from '../auth/viewer.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import { type ballots } from '../commands/polls/load.js';
import { pollPeople, presentPollForView } from '../routes/polls/present.js';
import type { GroupDocument } from '../models/group.js';
import type { MeetingHand } from '../models/meeting-hand.js';
import { MeetingSignalModel } from '../models/meeting-signal.js';
import type { Meeting, MeetingDocument } from '../models/meeting.js';
import { PollModel, type PollDocument } from '../models/poll.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { presentMeeting } from '../presenters/meeting.js';
import { viewerOfView } from '../realtime/rooms.js';
import { LISTED, loadQueue, queueOf, stillTakingPart, type TakingPart } from './queue-load.js';
import { EVERY_DOCUMENT } from '../db/read-all.js';

/** Everything a presentation of one meeting reads, loaded once for all views. */
export interface MeetingParts {
  meeting: MeetingDocument;
  group: GroupDocument;
  /** The current item's hands as read (waiting, speaking, spoken), of which `queue` is made. */
  hands: MeetingHand[];
  queue: MeetingHand[];
  spoken: Set<string>;
  /** Everyone the meeting and its quick vote's poll name. */
  people: Awaited<ReturnType<typeof loadPeople>>;
  temperature: Record<(typeof TEMPERATURE_SIGNALS)[number], number>;
  poll: PollDocument | null;
  pollDiscussion: LoadedDiscussion | null;
  quickVote: Meeting['quickVotes'][number] | null;
}

/** Where a live broadcast takes people, participation and discussions from its caches (default: the database). */
export interface PartsSources {
  people?: typeof loadPeople;
  takingPart?: TakingPart;
  discussion?: (id: string) => Promise<LoadedDiscussion | null>;
  /** The quick vote's poll (live broadcasts: as the change feed delivered it, where it did). */
  poll?: (id: unknown) => Promise<PollDocument | null>;
}

/** Parts of an earlier load a live broadcast may take again when nothing moved them (live-cache.ts). */
export const REUSABLE_PARTS = ['queue', 'signals', 'poll'] as const;
export type ReusablePart = (typeof REUSABLE_PARTS)[number];

/**
 * An earlier load of the meeting, and which of its parts no change has moved
 * since. A part is taken again only where the meeting (perhaps changed since:
 * a speaker called, a timer paused) still has the same current item (hands,
 * signals) or the same quick vote (its poll).
 */
export interface Reuse {
  from: MeetingParts;
  parts: ReadonlySet<ReusablePart>;
  /** Hands changed since, as the change feed delivered them (applied to the kept hands). */
  hands?: readonly HandChange[];
}

/** A hand's document after a change, and whether the change created it. */
export interface HandChange {
  hand: MeetingHand;
  inserted: boolean;
}

type Temperature = MeetingParts['temperature'];

async function loadTemperature(meeting: MeetingDocument): Promise<Temperature> {
  const signals = await MeetingSignalModel.find(
    { meetingId: meeting._id, itemId: meeting.currentItemId },
    { signal: 1 },
    EVERY_DOCUMENT,
  ).lean();
  const temperature = Object.fromEntries(TEMPERATURE_SIGNALS.map((s) => [s, 0])) as Temperature;
  for (const { signal } of signals) if (signal) temperature[signal]++;
  return temperature;
}

export async function loadMeetingParts(
  meeting: MeetingDocument,
  group: GroupDocument,
  sources: PartsSources = {},
  reuse?: Reuse,
): Promise<MeetingParts> {
  const from = reuse?.from ?? null;
  const people = sources.people ?? loadPeople;
  const pollOf = sources.poll ?? ((id: unknown) => PollModel.findById(id).exec());
  const quickVote = meeting.quickVotes.findLast((vote) => vote.pollId !== null) ?? null;
  const sameItem = from !== null && from.meeting.currentItemId === meeting.currentItemId;
  const samePoll = from !== null && String(from.quickVote?.pollId) === String(quickVote?.pollId);
  const kept = (part: ReusablePart) =>
    from !== null && reuse!.parts.has(part) && (part === 'poll' ? samePoll : sameItem);
  // The parts that moved, read side by side.
  const takingPart: TakingPart =
    sources.takingPart ?? ((m, ids) => stillTakingPart(m, ids, undefined));
  const [{ hands, queue, spoken }, temperature, poll] = await Promise.all([
    from && kept('queue')
      ? withChanges(meeting, from, reuse?.hands ?? [], takingPart)
      : loadQueue(meeting, undefined, takingPart),
    from && kept('signals') ? from.temperature : loadTemperature(meeting),
    from && kept('poll') ? from.poll : quickVote ? pollOf(quickVote.pollId) : null,
  ]);
  const found = await people([
    ...queue.map((h) => h.userId),
    ...meeting.facilitatorIds,
    meeting.speaker?.userId,
    meeting.minuteTakerId,
    meeting.minutes?.publishedById,
    ...(poll ? pollPeople([poll]) : []),
  ]);
  const discussionOf = sources.discussion ?? loadDiscussion;
  const pollDiscussion = poll ? await discussionOf(String(poll.discussionId)) : null;
  return {
    meeting,
    group,
    hands,
    queue,
    spoken,
    people: found,
    temperature,
    poll,
    pollDiscussion,
    quickVote,
  };
}

const LISTED_STATES: ReadonlySet<MeetingHand['state']> = new Set(LISTED);

/**
 * The kept hands of the current item with the changes since applied, and
 * their queue. A new hand already held was read as it is now or later, so it
 * stays as read; a changed hand takes its document, or leaves the list when
 * it is lowered or removed. Each change follows the one before in the feed's
 * order, so the hands end as stored whatever a read in between saw.
 */
function withChanges(
  meeting: Meeting,
  from: MeetingParts,
  changes: readonly HandChange[],
  takingPart: TakingPart,
) {
  if (changes.length === 0 && from.meeting.progressiveStack === meeting.progressiveStack)
    return { hands: from.hands, queue: from.queue, spoken: from.spoken };
  const hands = new Map(from.hands.map((hand) => [String(hand._id), hand]));
  for (const { hand, inserted } of changes) {
    const id = String(hand._id);
    if (inserted && hands.has(id)) continue;
    if (hand.itemId === meeting.currentItemId && LISTED_STATES.has(hand.state)) hands.set(id, hand);
    else hands.delete(id);
  }
  return queueOf(meeting, [...hands.values()], takingPart);
}

/** The discussion view a meeting view reads the quick vote's poll with (null: may not read it). */
function pollViewer(view: MeetingView, loaded: LoadedDiscussion): Viewer | null {
  if (view !== 'visitor') return viewerOfView('member' satisfies View, loaded.discussion);
  return canReadDiscussion(VISITOR, loaded.discussion, loaded.group) ? VISITOR : null;
}

/** Presents the parts for one view; `personal` adds what only the recipient may see of their own. */
export async function presentMeetingFor(
  view: MeetingView,
  parts: MeetingParts,
  options: {
    loadBallots?: typeof ballots;
    personal?: MeetingDto['mySignal'];
    /** The queue as this view saw it last, while the hands have not moved (live broadcasts). */
    presentedQueue?: MeetingDto['queue'];
    /** Each hand as this view was last shown it (live broadcasts; see the presenter). */
    presentedHands?: WeakMap<MeetingHand, HandDto>;
  } = {},
): Promise<MeetingDto> {
  const { meeting, poll, pollDiscussion, quickVote } = parts;
  const reader = poll && pollDiscussion ? pollViewer(view, pollDiscussion) : null;
  // A view has voted in nothing, and the poll's people came with the parts.
  const pollDto =
    poll && pollDiscussion && reader
      ? await presentPollForView(reader, poll, pollDiscussion, {
          people: parts.people,
          loadBallots: options.loadBallots,
        })
      : null;
  return presentMeeting(meeting, {
    view,
    // Per view: a facilitator always facilitates, participants take part while it is live.
    abilities: {
      canFacilitate: view === 'facilitator' && meeting.state !== 'ended',
      canParticipate: view !== 'visitor' && meeting.state === 'live',
    },
    queue: parts.queue,
    presentedQueue: options.presentedQueue,
    presentedHands: options.presentedHands,
    spoken: parts.spoken,
    people: parts.people,
    temperature: parts.temperature,
    quickVote:
      quickVote && poll
        ? {
            pollId: String(poll._id),
            itemId: quickVote.itemId,
            hidden: quickVote.hidden,
            revealed: poll.revealedAt !== null,
            // The presented poll's count where it has one (its ballots), so the two never differ.
            ballots: pollDto?.voterCount ?? poll.voterCount,
          }
        : null,
    poll: pollDto === null ? null : { ...pollDto, myVote: null },
    mySignal: options.personal ?? null,
    now: new Date(),
  });
}

/** The recipient's own temperature signal on the current item. */
export async function ownSignal(meeting: Meeting, viewer: Viewer): Promise<MeetingDto['mySignal']> {
  if (!viewer.user) return null;
  const own = await MeetingSignalModel.findOne(
    { meetingId: meeting._id, userId: viewer.user._id, itemId: meeting.currentItemId },
    { signal: 1 },
  ).lean();
  return own?.signal ?? null;
}
