/**
 * Loading groups for the routes of groups and people, scoped to the viewer:
 * a group the viewer may not see is answered exactly like one that does not
 * exist (404 `Group not found`), whatever the route (P6, P10).
 */
import { Types } from 'mongoose';
import type { GroupRole } from '../../../../shared/domain.js';
import type { Viewer } from '../../auth/viewer.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { MembershipModel } from '../../models/membership.js';
import { canSeeGroup } from '../../policies/group.js';
import { HANDLE_PATTERN, OBJECT_ID_PATTERN } from '../../commands/groups/rules.js';

/** The user fields the routes of groups and people read to present a person; nothing else is loaded. */
export const PERSON_FIELDS = {
  name: 1,
  handle: 1,
  avatarId: 1,
  email: 1,
  deactivatedAt: 1,
  deletedAt: 1,
} as const;

export const groupNotFound = () => NotFoundError('Group not found');

/** An ObjectId from a path parameter, or null for anything else (which routes answer with 404). */
export function objectIdParam(value: string | undefined): Types.ObjectId | null {
  return value !== undefined && OBJECT_ID_PATTERN.test(value) ? new Types.ObjectId(value) : null;
}

/** The group named by an id or a handle, if the viewer may know it exists; 404 otherwise. */
export async function loadVisibleGroup(
  viewer: Viewer,
  handleOrId: string | undefined,
): Promise<GroupDocument> {
  const id = objectIdParam(handleOrId);
  const handle = handleOrId?.toLowerCase();
  const group = id
    ? await GroupModel.findById(id)
    : handle !== undefined && HANDLE_PATTERN.test(handle)
      ? await GroupModel.findOne({ handle })
      : null;
  if (!group || !canSeeGroup(viewer, group)) throw groupNotFound();
  return group;
}

/** The `_id` filter continuing a list after `cursor` (an id from the previous page); 400 if malformed. */
export function afterCursor(
  cursor: string | undefined,
  direction: 1 | -1 = 1,
): { _id?: { $gt: Types.ObjectId } | { $lt: Types.ObjectId } } {
  if (cursor === undefined) return {};
  if (!OBJECT_ID_PATTERN.test(cursor)) throw ValidationError('cursor', 'Invalid cursor');
  const id = new Types.ObjectId(cursor);
  return { _id: direction === 1 ? { $gt: id } : { $lt: id } };
}

/**
 * The viewer as they are after a change of their own role in a group, so the
 * abilities in the response describe the new state without reloading.
 */
export function withRole(viewer: Viewer, groupId: Types.ObjectId, role: GroupRole | null): Viewer {
  const roles = new Map(viewer.roles);
  if (role) roles.set(String(groupId), role);
  else roles.delete(String(groupId));
  return { ...viewer, roles };
}

/** Active (not suspended) members per group, in one query. */
export async function activeMemberCounts(groupIds: Types.ObjectId[]): Promise<Map<string, number>> {
  if (groupIds.length === 0) return new Map();
  const rows = await MembershipModel.aggregate<{ _id: Types.ObjectId; n: number }>([
    { $match: { groupId: { $in: groupIds }, suspendedAt: null } },
    { $group: { _id: '$groupId', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((row) => [String(row._id), row.n]));
}
