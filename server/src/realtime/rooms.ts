/**
 * Room names. A socket joins, on the server only, the rooms of the views it is
 * entitled to; a change is presented once per view and sent to that view's room,
 * so a field meant for one view cannot reach a socket of another.
 */
import type { View } from '../../../shared/domain.js';
import type { Viewer } from '../auth/viewer.js';
import { Types } from 'mongoose';
import type { Discussion } from '../models/discussion.js';
import type { UserDocument } from '../models/user.js';

export const userRoom = (userId: string) => `user:${userId}`;
export const discussionRoom = (discussionId: string, view: View) =>
  `discussion:${discussionId}:${view}`;
export const DISCUSSION_VIEWS: readonly View[] = ['visitor', 'guest', 'member', 'coordinator'];

/** The view a reader has of a discussion (callers check first that they may read it at all). */
export function discussionViewOf(
  viewer: Viewer,
  discussion: Pick<Discussion, '_id' | 'groupId' | 'authorId'>,
): View {
  const role = discussion.groupId ? viewer.roles.get(String(discussion.groupId)) : undefined;
  if (role === 'coordinator') return 'coordinator';
  if (role === 'member') return 'member';
  if (viewer.guestOf.has(String(discussion._id))) return 'guest';
  // The author of a discussion among guests takes part like its guests.
  if (!discussion.groupId && viewer.user && viewer.user._id.equals(discussion.authorId))
    return 'guest';
  return 'visitor';
}

/**
 * A stand-in viewer holding exactly the role of a view, for presenting a record
 * once per view. It is nobody in particular, so it is never an author: personal
 * abilities reach the author through their own room.
 */
export function viewerOfView(view: View, discussion: Pick<Discussion, '_id' | 'groupId'>): Viewer {
  const roles = new Map<string, 'coordinator' | 'member'>();
  const guestOf = new Set<string>();
  if ((view === 'member' || view === 'coordinator') && discussion.groupId)
    roles.set(String(discussion.groupId), view);
  if (view === 'guest') guestOf.add(String(discussion._id));
  const user = view === 'visitor' ? null : ({ _id: NOBODY } as unknown as UserDocument);
  return { user, roles, guestOf };
}

const NOBODY = new Types.ObjectId('000000000000000000000000');

/** The views of a group's lists: what a non-member (where the group lets them look), a member and a coordinator see. */
export type GroupView = 'visitor' | 'member' | 'coordinator';
export const GROUP_VIEWS: readonly GroupView[] = ['visitor', 'member', 'coordinator'];
export const groupRoom = (groupId: string, view: GroupView) => `group:${groupId}:${view}`;
/** The group id of a group room, or null for any other room. */
export const groupOfRoom = (room: string): string | null =>
  /^group:([0-9a-f]{24}):/.exec(room)?.[1] ?? null;

/** The view a viewer has of a group's lists (callers check first that they may see the group at all). */
export function groupViewOf(viewer: Viewer, groupId: string): GroupView {
  return viewer.roles.get(groupId) ?? 'visitor';
}

/** A stand-in viewer holding exactly the role of a group view (see `viewerOfView`). */
export function viewerOfGroupView(view: GroupView, groupId: string): Viewer {
  if (view === 'visitor') return { user: null, roles: new Map(), guestOf: new Set() };
  const user = { _id: NOBODY } as unknown as UserDocument;
  return { user, roles: new Map([[groupId, view]]), guestOf: new Set() };
}
