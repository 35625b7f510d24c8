/**
 * Meetings as they leave the server, for one view. Whitelists every field.
 * Visitors never learn who raised a point of order until that person is
 * called; temperature signals reach facilitators as counts and nobody as
 * names; a quick vote's poll comes already presented for the view (results
 * only once revealed, when hidden).
 */
import {
  minutesDocKey,
  type AgendaItemDto,
  type HandDto,
  type MeetingAbilitiesDto,
  type MeetingDto,
  type MeetingMinutesDto,
  type MeetingSummaryDto,
  type MeetingView,
  type QuickVoteDto,
  type TemperatureSignal,
} from '../../../shared/meetings.js';
import type { PollDto, UserSummaryDto } from '../../../shared/dto.js';
import type { Meeting } from '../models/meeting.js';
import type { MeetingHand } from '../models/meeting-hand.js';
import { presentTimer } from '../meetings/timers.js';

export function presentMeetingSummary(meeting: Meeting): MeetingSummaryDto {
  return {
    id: String(meeting._id),
    groupId: String(meeting.groupId),
    title: meeting.title,
    scheduledAt: meeting.scheduledAt.toISOString(),
    expectedMinutes: meeting.expectedMinutes,
    state: meeting.state,
    startedAt: meeting.startedAt?.toISOString() ?? null,
    endedAt: meeting.endedAt?.toISOString() ?? null,
  };
}

/** What one presentation needs besides the meeting; decided and loaded by the caller (meetings/state.ts). */
export interface MeetingPresentation {
  view: MeetingView;
  abilities: MeetingAbilitiesDto;
  /** The waiting hands, already in queue order, of people still taking part. */
  queue: MeetingHand[];
  /** `queue` already presented for this view (a live broadcast whose hands have not moved). */
  presentedQueue?: HandDto[];
  /**
   * Hands as this view was last shown them (a live broadcast): a hand whose
   * person and spoken-ness read the same is shown as it was, so a raise among
   * 300 presents one hand, not 300.
   */
  presentedHands?: WeakMap<MeetingHand, HandDto>;
  /** Who already spoke on the current item. */
  spoken: ReadonlySet<string>;
  people: (id: unknown) => UserSummaryDto;
  /** Counts on the current item; dropped unless the view is the facilitators'. */
  temperature: Record<TemperatureSignal, number>;
  quickVote: {
    pollId: string;
    itemId: string | null;
    hidden: boolean;
    revealed: boolean;
    ballots: number;
  } | null;
  /** The quick vote's poll presented for this view, or null where the view may not read it. */
  poll: PollDto | null;
  mySignal: TemperatureSignal | null;
  now: Date;
}

function presentHand(hand: MeetingHand, p: MeetingPresentation): HandDto {
  const hidden = p.view === 'visitor' && hand.kind === 'point_of_order';
  const user = hidden ? null : p.people(hand.userId);
  const spokeOnItem = p.spoken.has(String(hand.userId));
  const shown = p.presentedHands?.get(hand);
  if (shown && shown.user === user && shown.spokeOnItem === spokeOnItem) return shown;
  const dto = {
    id: String(hand._id),
    kind: hand.kind,
    user,
    raisedAt: hand.raisedAt.toISOString(),
    spokeOnItem,
  };
  p.presentedHands?.set(hand, dto);
  return dto;
}

function presentItem(item: Meeting['agenda'][number]): AgendaItemDto {
  return {
    id: item.id,
    title: item.title,
    notes: item.notes,
    discussionId: item.discussionId === null ? null : String(item.discussionId),
    pollId: item.pollId === null ? null : String(item.pollId),
    timeboxSeconds: item.timeboxSeconds,
    startedAt: item.startedAt?.toISOString() ?? null,
    endedAt: item.endedAt?.toISOString() ?? null,
  };
}

function presentQuickVote(p: MeetingPresentation): QuickVoteDto | null {
  if (!p.quickVote) return null;
  return {
    pollId: p.quickVote.pollId,
    itemId: p.quickVote.itemId,
    poll: p.poll,
    hidden: p.quickVote.hidden,
    revealed: p.quickVote.revealed,
    ballots: p.view === 'facilitator' ? p.quickVote.ballots : null,
  };
}

/** The minutes: the same for every view that may see the meeting, but for what facilitators may do. */
function presentMinutes(meeting: Meeting, p: MeetingPresentation): MeetingMinutesDto {
  const published = meeting.minutes ?? null;
  const facilitates = p.view === 'facilitator';
  return {
    doc: minutesDocKey(String(meeting._id)),
    minuteTaker: meeting.minuteTakerId ? p.people(meeting.minuteTakerId) : null,
    published: published && {
      markdown: published.markdown,
      publishedAt: published.publishedAt.toISOString(),
      publishedBy: p.people(published.publishedById),
      discussionId: published.discussionId === null ? null : String(published.discussionId),
    },
    canNameMinuteTaker: facilitates && !published,
    canPublish: facilitates && !published && meeting.state === 'ended',
  };
}

export function presentMeeting(meeting: Meeting, p: MeetingPresentation): MeetingDto {
  return {
    ...presentMeetingSummary(meeting),
    view: p.view,
    discussionIds: meeting.discussionIds.map(String),
    facilitators: meeting.facilitatorIds.map((id) => p.people(id)),
    progressiveStack: meeting.progressiveStack,
    speakingCapSeconds: meeting.speakingCapSeconds,
    agenda: meeting.agenda.map(presentItem),
    currentItemId: meeting.currentItemId,
    itemTimer: meeting.itemTimer ? presentTimer(meeting.itemTimer) : null,
    speaker: meeting.speaker
      ? {
          handId: String(meeting.speaker.handId),
          kind: meeting.speaker.kind,
          user: p.people(meeting.speaker.userId),
          timer: presentTimer(meeting.speaker.timer),
        }
      : null,
    queue: p.presentedQueue ?? p.queue.map((hand) => presentHand(hand, p)),
    temperature: p.view === 'facilitator' ? { ...p.temperature } : null,
    quickVote: presentQuickVote(p),
    minutes: presentMinutes(meeting, p),
    abilities: p.abilities,
    revision: meeting.revision,
    version: 0,
    serverTime: p.now.toISOString(),
    mySignal: p.mySignal,
  };
}
