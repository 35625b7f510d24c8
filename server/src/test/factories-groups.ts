/**
 * Factories for the records of groups and people: subgroups, invitations
 * (returning the raw token, which only the email would otherwise carry) and
 * join requests. Parents are created on demand, as in factories.ts.
 */
import { randomBytes } from 'node:crypto';
import type { GroupRole } from '../../../shared/domain.js';
import { hashInvitationToken, INVITATION_TTL_MS } from '../commands/groups/invitations.js';
import type { DiscussionDocument } from '../models/discussion.js';
import type { Group, GroupDocument } from '../models/group.js';
import { InvitationModel, type InvitationDocument } from '../models/invitation.js';
import {
  JoinRequestModel,
  type JoinRequestDocument,
  type JoinRequestStatus,
} from '../models/join-request.js';
import type { UserDocument } from '../models/user.js';
import { buildGroup, buildUser } from './factories.js';

/** A subgroup of `parent`, coordinated by the parent's coordinator unless another is given. */
export async function buildSubgroup(
  parent: GroupDocument & { coordinator: UserDocument },
  overrides: Partial<Group> & { coordinator?: UserDocument } = {},
): Promise<GroupDocument & { coordinator: UserDocument }> {
  return buildGroup({
    privacy: parent.privacy,
    coordinator: parent.coordinator,
    parentId: parent._id,
    ...overrides,
  });
}

let counter = 0;

export interface InvitationOverrides {
  group?: GroupDocument & { coordinator?: UserDocument };
  discussion?: DiscussionDocument;
  inviter?: UserDocument;
  email?: string;
  role?: GroupRole;
  expiresAt?: Date;
  acceptedAt?: Date | null;
  revokedAt?: Date | null;
}

/** An invitation (to a new group unless a group or discussion is given) and its raw token. */
export async function buildInvitation(
  overrides: InvitationOverrides = {},
): Promise<{ invitation: InvitationDocument; token: string }> {
  const group = overrides.discussion ? null : (overrides.group ?? (await buildGroup()));
  const inviter = overrides.inviter ?? group?.coordinator ?? (await buildUser());
  const token = randomBytes(32).toString('base64url');
  const invitation = await InvitationModel.create({
    groupId: group?._id ?? null,
    discussionId: overrides.discussion?._id ?? null,
    email: overrides.email ?? `invitee${Date.now().toString(36)}${counter++}@example.org`,
    role: overrides.role ?? 'member',
    tokenHash: hashInvitationToken(token),
    invitedById: inviter._id,
    expiresAt: overrides.expiresAt ?? new Date(Date.now() + INVITATION_TTL_MS),
    acceptedAt: overrides.acceptedAt ?? null,
    revokedAt: overrides.revokedAt ?? null,
  });
  return { invitation, token };
}

/** A request to join (a new group that takes requests, unless given) by a new person unless given. */
export async function buildJoinRequest(
  overrides: {
    group?: GroupDocument;
    user?: UserDocument;
    introduction?: string;
    status?: JoinRequestStatus;
  } = {},
): Promise<JoinRequestDocument> {
  const group =
    overrides.group ?? (await buildGroup({ privacy: 'closed', membershipPolicy: 'request' }));
  const user = overrides.user ?? (await buildUser());
  return JoinRequestModel.create({
    groupId: group._id,
    userId: user._id,
    introduction: overrides.introduction ?? 'Hello, I would like to join.',
    status: overrides.status ?? 'pending',
  });
}
