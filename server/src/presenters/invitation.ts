/**
 * Invitations, in two shapes. Coordinators managing a group see the full
 * record, email included (they may see members' and invitees' emails). Anyone
 * holding a token sees only what the link is about: the group or discussion,
 * who invited them and until when; never an email address. Neither shape ever
 * carries the token or its hash.
 */
import type { GroupRole } from '../../../shared/domain.js';
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import { invitationStatus, type Invitation, type InvitationStatus } from '../models/invitation.js';
import { presentGroupSummary, type GroupSummaryDto } from './group.js';
import { presentUserSummary, type UserSummaryDto } from './user.js';

type UserLike = Parameters<typeof presentUserSummary>[0];

export interface InvitationDto {
  id: string;
  groupId: string | null;
  discussionId: string | null;
  email: string;
  role: GroupRole;
  status: InvitationStatus;
  invitedBy: UserSummaryDto;
  acceptedBy: UserSummaryDto | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface InvitationPreviewDto {
  role: GroupRole;
  status: InvitationStatus;
  expiresAt: string;
  invitedBy: UserSummaryDto;
  group: GroupSummaryDto | null;
  discussion: { id: string; title: string } | null;
}

type InvitationRecord = Pick<
  Invitation,
  | '_id'
  | 'groupId'
  | 'discussionId'
  | 'email'
  | 'role'
  | 'invitedById'
  | 'acceptedById'
  | 'createdAt'
  | 'expiresAt'
  | 'acceptedAt'
  | 'revokedAt'
>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** For coordinators (and the inviter, right after sending): includes the invited address. */
export function presentInvitation(
  invitation: InvitationRecord,
  people: { invitedBy: UserLike | null | undefined; acceptedBy?: UserLike | null },
): InvitationDto {
  return {
    id: String(invitation._id),
    groupId: invitation.groupId ? String(invitation.groupId) : null,
    discussionId: invitation.discussionId ? String(invitation.discussionId) : null,
    email: invitation.email,
    role: invitation.role,
    status: invitationStatus(invitation),
    invitedBy: presentUserSummary(people.invitedBy, invitation.invitedById),
    acceptedBy: invitation.acceptedById
      ? presentUserSummary(people.acceptedBy, invitation.acceptedById)
      : null,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    acceptedAt: iso(invitation.acceptedAt),
    revokedAt: iso(invitation.revokedAt),
  };
}

/** For whoever holds the token: what they are invited to, no email addresses. */
export function presentInvitationPreview(
  invitation: Pick<Invitation, 'role' | 'expiresAt' | 'acceptedAt' | 'revokedAt' | 'invitedById'>,
  context: {
    invitedBy: UserLike | null | undefined;
    group: Pick<Group, '_id' | 'handle' | 'name' | 'privacy'> | null;
    discussion: Pick<Discussion, '_id' | 'title'> | null;
  },
): InvitationPreviewDto {
  return {
    role: invitation.role,
    status: invitationStatus(invitation),
    expiresAt: invitation.expiresAt.toISOString(),
    invitedBy: presentUserSummary(context.invitedBy, invitation.invitedById),
    group: context.group ? presentGroupSummary(context.group) : null,
    discussion: context.discussion
      ? { id: String(context.discussion._id), title: context.discussion.title }
      : null,
  };
}
