/**
 * Groups as a viewer sees them. The caller decides, through policies, which
 * parent and subgroups this viewer may know of and what they may do; this file
 * only whitelists fields. Nothing about members (emails, names) is in here:
 * the member list has its own presenter and route.
 */
import type { GroupRole } from '../../../shared/domain.js';
import type { Group } from '../models/group.js';
import type { JoinRequest } from '../models/join-request.js';
import type { groupAbilities } from '../policies/group.js';
import type { GroupDetailDto, GroupDto, GroupSummaryDto } from '../../../shared/dto.js';

export type { GroupDetailDto, GroupDto };

export type { GroupSummaryDto };

type GroupRecord = Pick<
  Group,
  | '_id'
  | 'handle'
  | 'name'
  | 'description'
  | 'privacy'
  | 'membershipPolicy'
  | 'permissions'
  | 'parentMembersCanSee'
  | 'createdAt'
  | 'updatedAt'
> &
  Partial<Pick<Group, 'moderation'>>;

export interface GroupContext {
  parent: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'> | null;
  memberCount: number;
  role: GroupRole | null;
  abilities: ReturnType<typeof groupAbilities>;
}

export function presentGroupSummary(
  group: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'>,
): GroupSummaryDto {
  return { id: String(group._id), handle: group.handle, name: group.name, privacy: group.privacy };
}

export function presentGroup(group: GroupRecord, context: GroupContext): GroupDto {
  const p = group.permissions;
  return {
    ...presentGroupSummary(group),
    description: group.description,
    membershipPolicy: group.membershipPolicy,
    permissions: {
      membersCanStartDiscussions: p.membersCanStartDiscussions,
      membersCanAddMembers: p.membersCanAddMembers,
      membersCanEditComments: p.membersCanEditComments,
      membersCanRaiseProposals: p.membersCanRaiseProposals,
      membersCanVote: p.membersCanVote,
    },
    parentMembersCanSee: group.parentMembersCanSee,
    parent: context.parent ? presentGroupSummary(context.parent) : null,
    memberCount: context.memberCount,
    role: context.role,
    abilities: context.abilities,
    moderation: {
      holdPosts: group.moderation?.holdPosts ?? 'off',
      holdDays: group.moderation?.holdDays ?? 3,
    },
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

export function presentGroupDetail(
  group: GroupRecord,
  context: GroupContext & {
    subgroups: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'>[];
    joinRequest: Pick<JoinRequest, '_id' | 'status' | 'createdAt'> | null;
  },
): GroupDetailDto {
  const request = context.joinRequest;
  return {
    ...presentGroup(group, context),
    subgroups: context.subgroups.map(presentGroupSummary),
    joinRequest: request
      ? {
          id: String(request._id),
          status: request.status,
          createdAt: request.createdAt.toISOString(),
        }
      : null,
  };
}
