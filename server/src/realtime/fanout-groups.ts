/**
 * Group lists and inboxes live. A discussion started, moved or changed goes to
 * the rooms of its group's views (each view gets it only if that view may read
 * it; a view that could read it and no longer may is told it left), and a
 * discussion that left a watched group is announced to that group's views that
 * had it. A new or moved-in discussion also reaches the personal rooms of the
 * people whose inbox now lists it (`listInbox`: members of its group, its
 * guests, the author of a discussion among guests). Membership changes go to
 * the group's views that may see the member list, with email addresses in the
 * coordinator view only (the member presenter and `canSeeMemberEmails`).
 */
import { loadViewer, type Viewer } from '../auth/viewer.js';
import { loadDiscussion, type LoadedDiscussion } from '../commands/discussions/load.js';
import { presentDiscussionFor } from '../commands/discussions/view.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import type { Guest } from '../models/guest.js';
import { MembershipModel, type Membership } from '../models/membership.js';
import { UserModel } from '../models/user.js';
import { canReadDiscussion } from '../policies/discussion.js';
import { canSeeMemberEmails, canSeeMembers } from '../policies/group.js';
import { presentMember } from '../presenters/membership.js';
import { PERSON_FIELDS } from '../routes/groups/load.js';
import type { FeedChange } from './change-feed.js';
import type { GroupRooms } from './group-rooms.js';
import type { QuorumServer } from './io.js';
import {
  GROUP_VIEWS,
  groupRoom,
  userRoom,
  viewerOfGroupView,
  viewerOfView,
  type GroupView,
} from './rooms.js';

function localGroupRooms(io: QuorumServer, groupId: string) {
  const rooms = io.of('/').adapter.rooms;
  return GROUP_VIEWS.map((view) => ({ view, room: groupRoom(groupId, view) })).filter(({ room }) =>
    rooms.has(room),
  );
}

/** A discussion left the list of a watched group: the views that could read it there are told. */
async function announceDeparture(
  io: QuorumServer,
  groups: GroupRooms,
  discussion: LoadedDiscussion['discussion'] | null,
  discussionId: string,
  stayingIn: string | null,
): Promise<void> {
  for (const [groupId, indexed] of groups.all()) {
    if (groupId === stayingIn) continue;
    const index = await indexed;
    const wasPrivate = index.discussions.get(discussionId);
    if (wasPrivate === undefined) continue;
    index.discussions.delete(discussionId);
    const group = await GroupModel.findById(groupId);
    if (!group) continue;
    const before = {
      _id: discussion?._id ?? discussionId,
      groupId: group._id,
      authorId: discussion?.authorId ?? null,
      private: wasPrivate,
      closedAt: null,
    } as unknown as LoadedDiscussion['discussion'];
    const rooms = localGroupRooms(io, groupId)
      .filter(({ view }) => canReadDiscussion(viewerOfGroupView(view, groupId), before, group))
      .map(({ room }) => room);
    if (rooms.length > 0) io.local.to(rooms).emit('discussion:removed', { discussionId, groupId });
  }
}

/** A discussion started or changed: each view of its group present here gets it as that view may see it. */
async function fanOutToGroup(
  io: QuorumServer,
  groups: GroupRooms,
  loaded: LoadedDiscussion & { group: GroupDocument },
): Promise<void> {
  const groupId = String(loaded.group._id);
  const indexed = groups.known(groupId);
  if (!indexed) return;
  const index = await indexed;
  const id = String(loaded.discussion._id);
  const wasPrivate = index.discussions.get(id);
  index.discussions.set(id, loaded.discussion.private);
  for (const { view, room } of localGroupRooms(io, groupId)) {
    const viewer = viewerOfView(view, loaded.discussion);
    if (canReadDiscussion(viewer, loaded.discussion, loaded.group)) {
      const dto = await presentDiscussionFor(viewer, loaded);
      io.local.to(room).emit('discussion:upserted', { ...dto, readState: null });
    } else if (
      wasPrivate !== undefined &&
      canReadDiscussion(
        viewer,
        { ...loaded.discussion.toObject(), private: wasPrivate },
        loaded.group,
      )
    ) {
      io.local.to(room).emit('discussion:removed', { discussionId: id, groupId });
    }
  }
}

/** Presents a discussion for one person, if they may read it, to their own room. */
async function toPerson(
  io: QuorumServer,
  userId: string,
  loaded: LoadedDiscussion,
  viewer?: Viewer,
): Promise<void> {
  const room = userRoom(userId);
  if (!io.of('/').adapter.rooms.has(room)) return;
  if (!viewer) {
    const user = await UserModel.findById(userId);
    if (!user) return;
    viewer = await loadViewer(user);
  }
  if (!canReadDiscussion(viewer, loaded.discussion, loaded.group)) return;
  const dto = await presentDiscussionFor(viewer, loaded);
  io.local.to(room).emit('discussion:upserted', { ...dto, readState: null });
}

/**
 * A discussion new to some inboxes (started, or moved into a group): once per
 * role for the members of its group with sockets here, and for its author as
 * they see it (their own abilities).
 */
async function fanOutToInboxes(io: QuorumServer, loaded: LoadedDiscussion): Promise<void> {
  const authorId = String(loaded.discussion.authorId);
  if (!loaded.group) {
    await toPerson(io, authorId, loaded);
    return;
  }
  const rooms = io.of('/').adapter.rooms;
  const members = await MembershipModel.find(
    { groupId: loaded.group._id, suspendedAt: null },
    { userId: 1, role: 1 },
  ).lean();
  const byRole = new Map<GroupView, string[]>();
  for (const { userId, role } of members) {
    const room = userRoom(String(userId));
    if (String(userId) === authorId || !rooms.has(room)) continue;
    byRole.set(role, [...(byRole.get(role) ?? []), room]);
  }
  for (const [role, personal] of byRole) {
    const dto = await presentDiscussionFor(viewerOfView(role, loaded.discussion), loaded);
    io.local.to(personal).emit('discussion:upserted', { ...dto, readState: null });
  }
  if (members.some(({ userId }) => String(userId) === authorId))
    await toPerson(io, authorId, loaded);
}

/** A discussion was started, changed or moved (a visible change, see `isVisibleDiscussionChange`). */
export async function fanOutDiscussionLists(
  io: QuorumServer,
  groups: GroupRooms,
  change: FeedChange,
): Promise<void> {
  const id = String(change.documentKey);
  const loaded = change.operationType === 'delete' ? null : await loadDiscussion(id);
  const groupId = loaded?.discussion.groupId ? String(loaded.discussion.groupId) : null;
  await announceDeparture(io, groups, loaded?.discussion ?? null, id, groupId);
  if (!loaded) return;
  if (loaded.group) await fanOutToGroup(io, groups, { ...loaded, group: loaded.group });
  const arrived =
    change.operationType === 'insert' ||
    (change.operationType === 'update' && 'groupId' in (change.updatedFields ?? {}));
  if (arrived) await fanOutToInboxes(io, loaded);
}

/** A guest invitation adds the discussion to the guest's inbox. */
export async function fanOutGuest(io: QuorumServer, guest: Guest): Promise<void> {
  if (!io.of('/').adapter.rooms.has(userRoom(String(guest.userId)))) return;
  const loaded = await loadDiscussion(String(guest.discussionId));
  if (loaded) await toPerson(io, String(guest.userId), loaded);
}

/** A membership was created, changed or deleted: the group's views that may see members hear of it. */
export async function fanOutMembership(
  io: QuorumServer,
  groups: GroupRooms,
  change: FeedChange,
): Promise<void> {
  const id = String(change.documentKey);
  if (change.operationType === 'delete') {
    for (const [groupId, indexed] of groups.all()) {
      const index = await indexed;
      const userId = index.memberships.get(id);
      if (userId === undefined) continue;
      index.memberships.delete(id);
      const group = await GroupModel.findById(groupId);
      if (!group) continue;
      const rooms = localGroupRooms(io, groupId)
        .filter(({ view }) => canSeeMembers(viewerOfGroupView(view, groupId), group))
        .map(({ room }) => room);
      if (rooms.length > 0) io.local.to(rooms).emit('member:removed', { groupId, userId });
    }
    return;
  }
  const membership = change.fullDocument as unknown as Membership | null;
  if (!membership) return;
  const groupId = String(membership.groupId);
  const userId = String(membership.userId);
  const indexed = groups.known(groupId);
  if (indexed) (await indexed).memberships.set(id, userId);
  const rooms = localGroupRooms(io, groupId);
  const own = userRoom(userId);
  const ownHere = membership.suspendedAt === null && io.of('/').adapter.rooms.has(own);
  if (rooms.length === 0 && !ownHere) return;
  const [group, user] = await Promise.all([
    GroupModel.findById(groupId),
    UserModel.findById(membership.userId, PERSON_FIELDS),
  ]);
  if (!group) return;
  const told: string[] = [];
  for (const { view, room } of rooms) {
    const viewer = viewerOfGroupView(view, groupId);
    if (!canSeeMembers(viewer, group)) continue;
    const member = presentMember(membership, user, {
      includeEmail: canSeeMemberEmails(viewer, group),
    });
    io.local.to(room).emit('member:upserted', { groupId, member });
    told.push(room);
  }
  // The member themselves learns of their own membership (their inbox now lists the group's discussions).
  if (ownHere) {
    const member = presentMember(membership, user, { includeEmail: false });
    io.local.to(own).except(told).emit('member:upserted', { groupId, member });
  }
}
