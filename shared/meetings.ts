/**
 * Meetings, as the server presents them and the web client shows them: the
 * vocabulary (states, hand kinds, temperature signals), the records per view,
 * the actions facilitators and participants send, and the timer arithmetic
 * both sides must agree on to the millisecond.
 */
import type { PollKind } from './domain.js';
import type { PollDto, UserSummaryDto } from './dto.js';

export const MEETING_STATES = ['scheduled', 'live', 'ended'] as const;
export type MeetingState = (typeof MEETING_STATES)[number];

/** What one kind of viewer may see of a meeting: each has its own room and presentation. */
export const MEETING_VIEWS = ['facilitator', 'participant', 'visitor'] as const;
export type MeetingView = (typeof MEETING_VIEWS)[number];

/** Kinds of raised hand, highest priority first. */
export const HAND_KINDS = ['point_of_order', 'direct_reply', 'speak'] as const;
export type HandKind = (typeof HAND_KINDS)[number];

/**
 * The poll kinds a quick vote may be: those a facilitator can open with a
 * title and option labels alone (a count poll needs a threshold, a meeting
 * time poll dates, which a meeting's vote has no use for).
 */
export const QUICK_VOTE_KINDS = [
  'proposal',
  'single_choice',
  'multiple_choice',
  'score',
  'ranked_choice',
  'dot_vote',
] as const satisfies readonly PollKind[];
export type QuickVoteKind = (typeof QUICK_VOTE_KINDS)[number];

/** One-tap live signals; facilitators see them as counts, never as names. */
export const TEMPERATURE_SIGNALS = ['agree', 'unsure', 'disagree', 'slow_down', 'louder'] as const;
export type TemperatureSignal = (typeof TEMPERATURE_SIGNALS)[number];

/**
 * A server-authoritative timer. The server stores when it last started running
 * and what had elapsed before; a client computes the rest from its estimate of
 * the server's clock, so every screen shows the same number.
 */
export interface TimerDto {
  /** Null: counts up (a speaker without a time cap). */
  durationMs: number | null;
  /** Time run before `runningSince` (all of it while paused). */
  elapsedMs: number;
  /** ISO time the timer last started running; null while paused. */
  runningSince: string | null;
}

/** Elapsed milliseconds of a timer at `serverNowMs` (the server's clock, as the client estimates it). */
export function timerElapsedMs(timer: TimerDto, serverNowMs: number): number {
  const running =
    timer.runningSince === null ? 0 : serverNowMs - new Date(timer.runningSince).getTime();
  return timer.elapsedMs + Math.max(0, running);
}

/** Remaining milliseconds (negative once overrun), or null for a timer that counts up. */
export function timerRemainingMs(timer: TimerDto, serverNowMs: number): number | null {
  return timer.durationMs === null ? null : timer.durationMs - timerElapsedMs(timer, serverNowMs);
}

export interface AgendaItemDto {
  id: string;
  title: string;
  notes: string;
  /** A discussion of the meeting's group this item is about. */
  discussionId: string | null;
  /** A poll this item is about (in a linked discussion). */
  pollId: string | null;
  timeboxSeconds: number;
  /** When the item first became current; null while not reached. */
  startedAt: string | null;
  /** When the meeting last moved on from it. */
  endedAt: string | null;
}

/** A waiting hand in the speakers' queue, in queue order. */
export interface HandDto {
  id: string;
  kind: HandKind;
  /** Null in the visitor view for a point of order: who raised it is shown only once called. */
  user: UserSummaryDto | null;
  raisedAt: string;
  /** Whether this person already spoke on the current item (the progressive stack puts them later). */
  spokeOnItem: boolean;
}

export interface SpeakerDto {
  handId: string;
  kind: HandKind;
  user: UserSummaryDto;
  timer: TimerDto;
}

/** The meeting's latest quick vote: an ordinary poll in the meeting's discussion. */
export interface QuickVoteDto {
  pollId: string;
  /** The agenda item that was current when it opened (null: between items). */
  itemId: string | null;
  /** The poll as this view sees it (results only once revealed, when hidden); null where the view may not read the discussion. */
  poll: PollDto | null;
  /** Whether results stay hidden until the facilitator reveals them. */
  hidden: boolean;
  revealed: boolean;
  /** Ballots cast so far (how many, never which): facilitators' view only; null elsewhere. */
  ballots: number | null;
}

/** What lists and banners show of a meeting. */
export interface MeetingSummaryDto {
  id: string;
  groupId: string;
  title: string;
  scheduledAt: string;
  expectedMinutes: number;
  state: MeetingState;
  startedAt: string | null;
  endedAt: string | null;
}

/**
 * Minutes (issue 13): a collaborative document the facilitators and a named
 * minute-taker write during the meeting (its key: {@link minutesDocKey}), into
 * which the server inserts decisions and attendance as blocks; published once,
 * after the meeting, to the meeting's record and its first linked discussion.
 */
export interface MeetingMinutesDto {
  /** The collaborative document's key. */
  doc: string;
  /** The participant a facilitator named to write the minutes with the facilitators. */
  minuteTaker: UserSummaryDto | null;
  published: PublishedMinutesDto | null;
  /** Facilitators may name (or unname) the minute-taker until the minutes are published. */
  canNameMinuteTaker: boolean;
  /** Facilitators may publish once the meeting has ended, until published. */
  canPublish: boolean;
}

/** The minutes as published: immutable from then on. */
export interface PublishedMinutesDto {
  markdown: string;
  publishedAt: string;
  publishedBy: UserSummaryDto;
  /** The discussion whose timeline they were posted to (null: the meeting had none). */
  discussionId: string | null;
}

/** The collaborative document of a meeting's minutes. */
export const minutesDocKey = (meetingId: string) => `meeting:${meetingId}:minutes`;

/** The structured blocks the server inserts into minutes (a `minutesBlock` node's `kind`). */
export const MINUTES_BLOCK_KINDS = ['decision', 'outcome', 'attendance'] as const;
export type MinutesBlockKind = (typeof MINUTES_BLOCK_KINDS)[number];

export interface MeetingAbilitiesDto {
  canFacilitate: boolean;
  /** Raise a hand, send temperature signals, vote in quick votes (polls decide who may vote). */
  canParticipate: boolean;
}

/** A meeting's whole current state, as one view sees it. */
export interface MeetingDto extends MeetingSummaryDto {
  view: MeetingView;
  /** Linked discussions; the first is where quick votes are opened. */
  discussionIds: string[];
  facilitators: UserSummaryDto[];
  progressiveStack: boolean;
  /** A cap on each speaker's time; null: speakers' timers count up. */
  speakingCapSeconds: number | null;
  agenda: AgendaItemDto[];
  currentItemId: string | null;
  itemTimer: TimerDto | null;
  speaker: SpeakerDto | null;
  queue: HandDto[];
  /** Counts per signal on the current item: facilitators only (null elsewhere). */
  temperature: Record<TemperatureSignal, number> | null;
  quickVote: QuickVoteDto | null;
  minutes: MeetingMinutesDto;
  abilities: MeetingAbilitiesDto;
  /** Orders states: a client ignores a state older than the one it shows. */
  revision: number;
  /**
   * Place in this server's stream of changes for the view (`meeting:patch`
   * applies to one version and makes the next); 0 outside the live stream (REST).
   */
  version: number;
  /** The server's clock when this was presented (ISO). */
  serverTime: string;
  /** The recipient's own signal: only in replies to that person (null in live broadcasts). */
  mySignal: TemperatureSignal | null;
}

/** What facilitators and participants do in a meeting (REST `POST /api/meetings/:id/actions` and socket `meeting:act`). */
export type MeetingAction =
  | { type: 'meeting.start' }
  | { type: 'meeting.end' }
  | {
      type: 'agenda.add';
      clientId: string;
      title: string;
      notes?: string;
      timeboxSeconds: number;
      discussionId?: string | null;
      pollId?: string | null;
    }
  | {
      type: 'agenda.edit';
      itemId: string;
      title?: string;
      notes?: string;
      timeboxSeconds?: number;
      /** Null unlinks. */
      discussionId?: string | null;
      pollId?: string | null;
    }
  | { type: 'agenda.remove'; itemId: string }
  | { type: 'agenda.reorder'; itemIds: string[] }
  /** Moves on from `from` (the current item the facilitator saw), so a double click moves once. */
  | { type: 'agenda.next'; from: string | null }
  | { type: 'agenda.goto'; itemId: string }
  | { type: 'timer.pause' | 'timer.resume' | 'timer.add_minute'; target: 'item' | 'speaker' }
  | { type: 'hand.raise'; kind: HandKind; clientId: string }
  /** Lowers one's own hand. */
  | { type: 'hand.lower' }
  /** Ends `from` (the current speaker's hand, as the facilitator saw it) and calls the next hand in the queue. */
  | { type: 'speaker.next'; from: string | null }
  | { type: 'speaker.call'; handId: string }
  | { type: 'speaker.finish'; handId: string }
  /** Passes over a hand for now: it goes to the back of its priority. */
  | { type: 'hand.skip'; handId: string }
  | { type: 'hand.remove'; handId: string }
  /** The waiting hands in the order the facilitator wants (points of order still go first). */
  | { type: 'queue.reorder'; handIds: string[] }
  | { type: 'settings'; progressiveStack?: boolean; speakingCapSeconds?: number | null }
  | { type: 'temperature'; signal: TemperatureSignal | null }
  | {
      type: 'vote.open';
      clientId: string;
      kind: QuickVoteKind;
      title: string;
      options?: string[];
      /** Null: until the facilitator closes it. */
      durationSeconds: number | null;
      /** Results hidden until the facilitator reveals them. */
      hidden: boolean;
    }
  | { type: 'vote.close' }
  | { type: 'vote.reveal' }
  /** Names the minute-taker (a participant), or with null unnames them. */
  | { type: 'minutes.taker'; userId: string | null }
  /** Publishes the minutes (after the meeting ended); the same client id publishes once. */
  | { type: 'minutes.publish'; clientId: string };

export type MeetingActionType = MeetingAction['type'];

/** The answer to a clock sample: the client's own send time back, and the server's time. */
export interface ClockSample {
  clientTime: number;
  serverTime: number;
}

/**
 * The server's clock offset from a few samples (`serverNow ≈ Date.now() +
 * offset`): the sample with the shortest round trip wins, assuming its
 * answer was stamped halfway through.
 */
export function clockOffset(samples: { sent: number; received: number; serverTime: number }[]) {
  let best = samples[0];
  for (const s of samples) if (s.received - s.sent < best.received - best.sent) best = s;
  return best.serverTime - (best.sent + best.received) / 2;
}
