/**
 * Changes a group's settings as its coordinators ask, keeping them coherent
 * (see rules.ts): the membership policy follows the privacy, a subgroup of a
 * secret parent stays secret, a parent turns secret only above secret subgroups,
 * and only a group that is not secret has a handle (handles.ts).
 */
import type {
  GroupPermissions,
  GroupPrivacy,
  MembershipPolicy,
} from '../../../../shared/domain.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { isDuplicateKey } from './errors.js';
import { handleTaken, resolveGroupHandle } from './handles.js';
import { assertParentCanBecome, assertSubgroupPrivacy, resolveMembershipPolicy } from './rules.js';

export interface GroupChanges {
  handle?: string;
  name?: string;
  description?: string;
  privacy?: GroupPrivacy;
  membershipPolicy?: MembershipPolicy;
  permissions?: Partial<GroupPermissions>;
  parentMembersCanSee?: boolean;
}

export async function updateGroup(
  group: GroupDocument,
  changes: GroupChanges,
): Promise<GroupDocument> {
  const privacy = changes.privacy ?? group.privacy;
  if (changes.privacy !== undefined && changes.privacy !== group.privacy) {
    if (group.parentId !== null) {
      const parent = await GroupModel.findById(group.parentId, { privacy: 1 }).lean();
      if (parent) assertSubgroupPrivacy(parent.privacy, privacy);
    }
    const subgroups = await GroupModel.find({ parentId: group._id }, { privacy: 1 }).lean();
    assertParentCanBecome(
      privacy,
      subgroups.map((s) => s.privacy),
    );
  }
  // A group turning secret gives up its handle; one leaving secrecy needs one (handles.ts).
  group.handle = await resolveGroupHandle({
    privacy,
    requested: changes.handle,
    current: privacy === 'secret' ? null : group.handle,
    groupId: group._id,
  });
  group.membershipPolicy = resolveMembershipPolicy(
    privacy,
    changes.membershipPolicy,
    group.membershipPolicy,
  );
  group.privacy = privacy;
  if (changes.name !== undefined) group.name = changes.name;
  if (changes.description !== undefined) group.description = changes.description;
  if (changes.parentMembersCanSee !== undefined)
    group.parentMembersCanSee = changes.parentMembersCanSee;
  for (const [flag, value] of Object.entries(changes.permissions ?? {}) as [
    keyof GroupPermissions,
    boolean,
  ][]) {
    group.permissions[flag] = value;
  }
  try {
    return await group.save();
  } catch (error) {
    if (isDuplicateKey(error)) throw handleTaken();
    throw error;
  }
}
