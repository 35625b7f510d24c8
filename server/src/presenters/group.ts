/**
 * Groups as a viewer sees them. The caller decides, through policies, which
 * parent and subgroups this viewer may know of and what they may do; this file
 * only whitelists fields. Nothing about members (emails, names) is in here:
 * the member list has its own presenter and route.
 */
import type { GroupPermissions, GroupRole, MembershipPolicy } from '../../../shared/domain.js';
import type { Group } from '../models/group.js';
import type { JoinRequest } from '../models/join-request.js';
import type { groupAbilities } from '../policies/group.js';
import type { GroupSummaryDto } from '../../../shared/dto.js';

export type { GroupSummaryDto };

export interface GroupDto extends GroupSummaryDto {
  description: string;
  membershipPolicy: MembershipPolicy;
  permissions: GroupPermissions;
  /** Subgroups only: whether the parent's members may see this (secret) subgroup. */
  parentMembersCanSee: boolean;
  /** The parent, when this is a subgroup whose parent the viewer may see; otherwise null. */
  parent: GroupSummaryDto | null;
  /** Members whose accounts are active. */
  memberCount: number;
  /** The viewer's role, null when not a member. */
  role: GroupRole | null;
  abilities: ReturnType<typeof groupAbilities>;
  createdAt: string;
  updatedAt: string;
}

export interface GroupDetailDto extends GroupDto {
  /** Subgroups the viewer may see. */
  subgroups: GroupSummaryDto[];
  /** The viewer's own pending request to join, so the client can say "asked". */
  joinRequest: { id: string; status: JoinRequest['status']; createdAt: string } | null;
}

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
>;

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
