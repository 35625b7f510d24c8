/**
 * Gathers what the group presenter needs for a viewer (member counts, the
 * parent if the viewer may see it, their abilities) in as few queries as a
 * list needs, for every route that answers with groups.
 */
import { canModerateGroup } from '../../policies/moderation.js';
import { roleIn, type Viewer } from '../../auth/viewer.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { JoinRequestModel } from '../../models/join-request.js';
import { canSeeGroup, groupAbilities } from '../../policies/group.js';
import {
  presentGroup,
  presentGroupDetail,
  type GroupDetailDto,
  type GroupDto,
} from '../../presenters/group.js';
import { activeMemberCounts } from './load.js';

/** At most this many subgroups travel with a group; beyond it, the client lists them with `?parentId`. */
export const SUBGROUPS_SHOWN = 100;

function contextFor(
  viewer: Viewer,
  group: GroupDocument,
  parent: GroupDocument | null,
  memberCount: number,
) {
  return {
    parent: parent && canSeeGroup(viewer, parent) ? parent : null,
    memberCount,
    role: roleIn(viewer, group._id),
    abilities: { ...groupAbilities(viewer, group), canModerate: canModerateGroup(viewer, group) },
  };
}

/** Groups for a list, each as this viewer may see it. */
export async function presentGroupsFor(
  viewer: Viewer,
  groups: GroupDocument[],
): Promise<GroupDto[]> {
  const parentIds = [...new Set(groups.flatMap((g) => (g.parentId ? [String(g.parentId)] : [])))];
  const [counts, parents] = await Promise.all([
    activeMemberCounts(groups.map((g) => g._id)),
    parentIds.length > 0 ? GroupModel.find({ _id: { $in: parentIds } }) : Promise.resolve([]),
  ]);
  const parentById = new Map(parents.map((p) => [String(p._id), p]));
  return groups.map((group) => {
    const parent = group.parentId ? (parentById.get(String(group.parentId)) ?? null) : null;
    return presentGroup(
      group,
      contextFor(viewer, group, parent, counts.get(String(group._id)) ?? 0),
    );
  });
}

/** One group with the subgroups this viewer may see and their own pending join request. */
export async function presentGroupDetailFor(
  viewer: Viewer,
  group: GroupDocument,
): Promise<GroupDetailDto> {
  const [counts, parent, subgroups, joinRequest] = await Promise.all([
    activeMemberCounts([group._id]),
    group.parentId ? GroupModel.findById(group.parentId) : Promise.resolve(null),
    GroupModel.find({ parentId: group._id }).sort({ _id: 1 }).limit(SUBGROUPS_SHOWN),
    viewer.user
      ? JoinRequestModel.findOne({ groupId: group._id, userId: viewer.user._id, status: 'pending' })
      : Promise.resolve(null),
  ]);
  return presentGroupDetail(group, {
    ...contextFor(viewer, group, parent, counts.get(String(group._id)) ?? 0),
    subgroups: subgroups.filter((sub) => canSeeGroup(viewer, sub)),
    joinRequest,
  });
}
