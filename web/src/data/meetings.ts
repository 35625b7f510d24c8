/** Meetings over REST: the live ones (banners), a group's list, scheduling and editing one. */
import type { PollDto } from '../../../shared/dto.js';
import type { MeetingDto, MeetingSummaryDto } from '../../../shared/meetings.js';
import { api } from '../api/client.js';
import { useStore } from '../store/index.js';
import { readAll } from './pages.js';

/** The live meetings of one group (or, without one, of all the person's groups). */
export async function loadLiveMeetings(groupId?: string): Promise<void> {
  // A meeting that starts or ends while the reply is on its way is heard live, and the reply is
  // older than that: it is asked for again rather than put the banner back as it was.
  for (let attempt = 0; attempt < 3; attempt++) {
    const asOf = useStore.getState().liveSummariesVersion(groupId);
    const { items } = await api.get<{ items: MeetingSummaryDto[] }>(
      groupId ? `/groups/${groupId}/meetings` : '/meetings/live',
      groupId ? { state: 'live' } : undefined,
    );
    if (useStore.getState().setLiveMeetings(items, groupId, asOf)) return;
  }
}

export async function loadMeeting(meetingId: string): Promise<MeetingDto> {
  const { meeting } = await api.get<{ meeting: MeetingDto }>(`/meetings/${meetingId}`);
  useStore.getState().upsertMeeting(meeting, true);
  return meeting;
}

export async function loadGroupMeetings(groupId: string): Promise<MeetingSummaryDto[]> {
  const { items } = await api.get<{ items: MeetingSummaryDto[] }>(`/groups/${groupId}/meetings`);
  return items;
}

/** What the schedule form sends (and, any of it, the edit form). */
export interface MeetingDetailsInput {
  title: string;
  /** ISO time; an empty string lets the server name the field. */
  scheduledAt: string;
  expectedMinutes: number;
  /** Members who facilitate besides the creator. */
  facilitatorIds: string[];
  /** The first is where quick votes are opened. */
  discussionIds: string[];
}

export async function scheduleMeeting(
  groupId: string,
  input: MeetingDetailsInput,
): Promise<MeetingDto> {
  const { meeting } = await api.post<{ meeting: MeetingDto }>(`/groups/${groupId}/meetings`, input);
  useStore.getState().upsertMeeting(meeting, true);
  return meeting;
}

export async function updateMeeting(
  meetingId: string,
  input: Partial<MeetingDetailsInput>,
): Promise<MeetingDto> {
  const { meeting } = await api.patch<{ meeting: MeetingDto }>(`/meetings/${meetingId}`, input);
  useStore.getState().upsertMeeting(meeting, true);
  return meeting;
}

/** A discussion's polls, for linking one to an agenda item (not kept in the store). */
export function loadPollChoices(discussionId: string): Promise<PollDto[]> {
  return readAll<PollDto>(`/discussions/${discussionId}/polls`);
}
