/** Meetings over REST: the live ones (banners), a group's list, scheduling one. */
import type { MeetingDto, MeetingSummaryDto } from '../../../shared/meetings.js';
import { api } from '../api/client.js';
import { useStore } from '../store/index.js';

/** The live meetings of one group (or, without one, of all the person's groups). */
export async function loadLiveMeetings(groupId?: string): Promise<void> {
  const { items } = await api.get<{ items: MeetingSummaryDto[] }>(
    groupId ? `/groups/${groupId}/meetings` : '/meetings/live',
    groupId ? { state: 'live' } : undefined,
  );
  useStore.getState().setLiveMeetings(items, groupId);
}

export async function loadMeeting(meetingId: string): Promise<MeetingDto> {
  const { meeting } = await api.get<{ meeting: MeetingDto }>(`/meetings/${meetingId}`);
  useStore.getState().upsertMeeting(meeting);
  return meeting;
}

export async function loadGroupMeetings(groupId: string): Promise<MeetingSummaryDto[]> {
  const { items } = await api.get<{ items: MeetingSummaryDto[] }>(`/groups/${groupId}/meetings`);
  return items;
}

export async function scheduleMeeting(
  groupId: string,
  input: { title: string; scheduledAt: string; expectedMinutes: number; discussionIds: string[] },
): Promise<MeetingDto> {
  const { meeting } = await api.post<{ meeting: MeetingDto }>(`/groups/${groupId}/meetings`, input);
  return meeting;
}
