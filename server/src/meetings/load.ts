/**
 * Loading a meeting for a viewer: with its group and the viewer's view of it,
 * or a 404 when the viewer may not know it exists (P6, P10).
 */
import type { MeetingView } from '../../../shared/meetings.js';
import type { Viewer } from '../auth/viewer.js';
import { objectIdOrNotFound } from '../commands/discussions/load.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { MeetingModel, type MeetingDocument } from '../models/meeting.js';
import { meetingViewOf } from '../policies/meeting.js';
import { MeetingNotFoundError } from './errors.js';

export interface LoadedMeeting {
  meeting: MeetingDocument;
  group: GroupDocument;
  view: MeetingView;
}

/** The meeting and its group, whoever asks (for callers that decide views themselves). */
export async function loadMeeting(
  id: unknown,
  /** Where the group comes from (live broadcasts: the fan-out's records). */
  groupOf: (id: unknown) => Promise<GroupDocument | null> = (groupId) =>
    GroupModel.findById(groupId).exec(),
): Promise<{ meeting: MeetingDocument; group: GroupDocument } | null> {
  const meeting = await MeetingModel.findById(objectIdOrNotFound(id, 'Meeting'));
  if (!meeting) return null;
  const group = await groupOf(meeting.groupId);
  return group ? { meeting, group } : null;
}

export async function loadReadableMeeting(
  viewer: Viewer,
  id: unknown,
  groupOf?: (id: unknown) => Promise<GroupDocument | null>,
): Promise<LoadedMeeting> {
  const loaded = await loadMeeting(id, groupOf);
  const view = loaded ? meetingViewOf(viewer, loaded.meeting, loaded.group) : null;
  if (!loaded || !view) throw MeetingNotFoundError();
  return { ...loaded, view };
}
