import type { StateCreator } from 'zustand';
import type { MeetingDto, MeetingSummaryDto } from '../../../shared/meetings.js';
import { applyMeetingPatch, type MeetingPatchDto } from '../../../shared/meeting-patch.js';
import type { ById } from './records.js';
import type { Store } from './index.js';

/**
 * Meetings as the server presented them for this client's view. A state with
 * a lower revision than the one held is ignored (a slow reply never rolls back
 * a live update). `clockOffset` is the server's clock minus this one, from the
 * last clock samples, so timers agree across screens.
 */
export interface MeetingsSlice {
  meetings: ById<MeetingDto>;
  /** Live meetings of the person's groups (banners), by id. */
  liveMeetings: ById<MeetingSummaryDto>;
  clockOffset: number;
  /** Meetings this client lost access to while watching. */
  meetingRevoked: ById<true>;
  /**
   * A whole state. `personal`: a reply to this client (its watch, a REST read), whose
   * `mySignal` is this person's own, taken as it is; otherwise a room's broadcast, which
   * names nobody's and keeps the one held (see `withOwnSignal`).
   */
  upsertMeeting: (meeting: MeetingDto, personal?: boolean) => void;
  /** Applies a live change; false when it does not apply to the state held (ask for the whole state). */
  applyMeetingPatch: (patch: MeetingPatchDto) => boolean;
  /** The person's own temperature signal, as the server accepted it (live states never carry it). */
  setMySignal: (meetingId: string, signal: MeetingDto['mySignal'], itemId: string | null) => void;
  /**
   * The live meetings of a group (or of all the person's) as a reply listed them, asked for
   * when the summaries heard live were at `asOf` (`liveSummariesVersion`): a summary heard
   * since is newer than the reply, which then changes nothing (false: ask again).
   */
  setLiveMeetings: (
    items: readonly MeetingSummaryDto[],
    groupId?: string,
    asOf?: number,
  ) => boolean;
  /** How many summaries of the group (or of any group) have been heard live. */
  liveSummariesVersion: (groupId?: string) => number;
  /** Bumped per group by every meeting summary heard live: its meetings list reloads on it. */
  meetingListVersion: Record<string, number>;
  upsertMeetingSummary: (summary: MeetingSummaryDto) => void;
  setClockOffset: (offset: number) => void;
  markMeetingRevoked: (meetingId: string) => void;
}

export const meetingsSlice: StateCreator<Store, [], [], MeetingsSlice> = (set, get) => ({
  meetings: {},
  liveMeetings: {},
  meetingListVersion: {},
  clockOffset: 0,
  meetingRevoked: {},
  upsertMeeting: (meeting, personal = false) =>
    set((s) => {
      const held = s.meetings[meeting.id];
      if (held && held.revision > meeting.revision) return {};
      const next = personal ? meeting : withOwnSignal(held, meeting);
      return { meetings: { ...s.meetings, [meeting.id]: next } };
    }),
  applyMeetingPatch: (patch) => {
    const held = get().meetings[patch.meetingId];
    if (held && held.view === patch.view && held.version >= patch.version) return true;
    const next = held ? applyMeetingPatch(held, patch) : null;
    if (!next) return false;
    set((s) => ({ meetings: { ...s.meetings, [next.id]: withOwnSignal(held, next) } }));
    return true;
  },
  setMySignal: (meetingId, mySignal, itemId) =>
    set((s) => {
      const held = s.meetings[meetingId];
      // Given on an item the meeting has since left: the server cleared it with the item.
      if (!held || held.currentItemId !== itemId) return {};
      return { meetings: { ...s.meetings, [meetingId]: { ...held, mySignal } } };
    }),
  setLiveMeetings: (items, groupId, asOf) => {
    if (asOf !== undefined && get().liveSummariesVersion(groupId) !== asOf) return false;
    set((s) => {
      const kept = Object.values(s.liveMeetings).filter(
        (m) => groupId !== undefined && m.groupId !== groupId,
      );
      return { liveMeetings: Object.fromEntries([...kept, ...items].map((m) => [m.id, m])) };
    });
    return true;
  },
  liveSummariesVersion: (groupId) => {
    const versions = get().meetingListVersion;
    if (groupId !== undefined) return versions[groupId] ?? 0;
    return Object.values(versions).reduce((sum, v) => sum + v, 0);
  },
  upsertMeetingSummary: (summary) =>
    set((s) => {
      const next = { ...s.liveMeetings };
      if (summary.state === 'live') next[summary.id] = summary;
      else delete next[summary.id];
      const version = (s.meetingListVersion[summary.groupId] ?? 0) + 1;
      return {
        liveMeetings: next,
        meetingListVersion: { ...s.meetingListVersion, [summary.groupId]: version },
      };
    }),
  setClockOffset: (clockOffset) => set({ clockOffset }),
  markMeetingRevoked: (meetingId) =>
    set((s) => ({ meetingRevoked: { ...s.meetingRevoked, [meetingId]: true } })),
});

/**
 * The person's own signal across a room's new state (whole or patched), which
 * never carries it: the one held stays while the item does, and goes with it
 * (signals are cleared when the item changes).
 */
function withOwnSignal(held: MeetingDto | undefined, next: MeetingDto): MeetingDto {
  const sameItem =
    held !== undefined && held.currentItemId === next.currentItemId && next.state === 'live';
  return { ...next, mySignal: sameItem ? held.mySignal : null };
}
