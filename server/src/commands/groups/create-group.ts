/**
 * Creates a group (or a subgroup) with its creator as the first coordinator,
 * both in one transaction, so a group never exists without a coordinator.
 */
import mongoose, { type Types } from 'mongoose';
import type {
  GroupPermissions,
  GroupPrivacy,
  MembershipPolicy,
} from '../../../../shared/domain.js';
import { GroupModel, type GroupDocument } from '../../models/group.js';
import { MembershipModel } from '../../models/membership.js';
import { isDuplicateKey } from './errors.js';
import { handleTaken, resolveGroupHandle } from './handles.js';
import { assertSubgroupPrivacy, resolveMembershipPolicy } from './rules.js';

export interface CreateGroupProps {
  creatorId: Types.ObjectId;
  /** Required unless the group is secret (which has none); see handles.ts. */
  handle?: string;
  name: string;
  description?: string;
  privacy: GroupPrivacy;
  membershipPolicy?: MembershipPolicy;
  permissions?: Partial<GroupPermissions>;
  /** The parent for a subgroup; the caller has checked the creator may create one under it. */
  parent?: Pick<GroupDocument, '_id' | 'privacy'> | null;
  parentMembersCanSee?: boolean;
}

export async function createGroup(props: CreateGroupProps): Promise<GroupDocument> {
  const parent = props.parent ?? null;
  if (parent) assertSubgroupPrivacy(parent.privacy, props.privacy);
  const membershipPolicy = resolveMembershipPolicy(props.privacy, props.membershipPolicy, null);
  const handle = await resolveGroupHandle({
    privacy: props.privacy,
    requested: props.handle,
    current: null,
  });
  try {
    return await mongoose.connection.transaction(async (session) => {
      const [group] = await GroupModel.create(
        [
          {
            handle,
            name: props.name,
            description: props.description ?? '',
            privacy: props.privacy,
            membershipPolicy,
            parentId: parent?._id ?? null,
            parentMembersCanSee: props.parentMembersCanSee ?? true,
            permissions: props.permissions ?? {},
            createdById: props.creatorId,
          },
        ],
        { session },
      );
      await MembershipModel.create(
        [{ groupId: group._id, userId: props.creatorId, role: 'coordinator' }],
        { session },
      );
      return group;
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw handleTaken();
    throw error;
  }
}
