/**
 * Loading a meeting for a viewer: with its group and the viewer's view of it,
 * or a 404 when the viewer may not know it exists (P6, P10).
 */
import type { MeetingView } from '../../../shared/meetings.js';
import type { Viewer } from '../auth/viewer.js';
import { objectIdOrNotFound } from '../commands/discussions/load.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { MeetingModel, type Meeting, type MeetingDocument } from '../models/meeting.js';
import { meetingViewOf } from '../policies/meeting.js';
import { heldRecords } from '../realtime/fanout-records.js';
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
  return readable(viewer, await loadMeeting(id, groupOf));
}

/**
 * As `loadReadableMeeting`, from the meeting and group this process holds
 * while its change feed keeps them true (realtime/fanout-records.ts): what
 * every action is checked against, so 300 hands in a minute do not read the
 * meeting 300 times. A held meeting is never older than this process's own
 * last write of it (`meetingWritten`) nor than the last change its feed has
 * handled; another process's change of a moment ago may not be there yet (a
 * hand raised then joins the item its raiser was looking at). Callers never
 * change it.
 */
export async function loadReadableHeldMeeting(viewer: Viewer, id: unknown): Promise<LoadedMeeting> {
  const records = heldRecords();
  if (!records) return loadReadableMeeting(viewer, id);
  const meeting = await records.meeting(objectIdOrNotFound(id, 'Meeting'));
  const group = meeting ? await records.group(meeting.groupId) : null;
  return readable(viewer, meeting && group ? { meeting, group } : null);
}

const plainCopies = new WeakMap<MeetingDocument, Meeting>();

/**
 * The meeting as a plain object, made once per document: a held one answers
 * every action until it changes (300 raises made 300 copies). Nobody changes
 * either.
 */
export function plainMeeting(meeting: MeetingDocument): Meeting {
  let plain = plainCopies.get(meeting);
  if (!plain) plainCopies.set(meeting, (plain = meeting.toObject()));
  return plain;
}

/** This process has just changed the meeting: its held copy goes (every meeting write says so). */
export function meetingWritten(id: unknown): void {
  heldRecords()?.meetingWritten(id);
}

function readable(
  viewer: Viewer,
  loaded: { meeting: MeetingDocument; group: GroupDocument } | null,
): LoadedMeeting {
  const view = loaded ? meetingViewOf(viewer, loaded.meeting, loaded.group) : null;
  if (!loaded || !view) throw MeetingNotFoundError();
  return { ...loaded, view };
}
