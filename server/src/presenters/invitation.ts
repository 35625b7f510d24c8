/**
 * Invitations, in two shapes. Coordinators managing a group see the full
 * record, email included (they may see members' and invitees' emails). Anyone
 * holding a token sees only what the link is about: the group or discussion,
 * who invited them and until when; never an email address (a signed-in
 * account with another address gets a masked hint, as its refusal would say). Neither shape ever
 * carries the token or its hash.
 */
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import { invitationStatus, type Invitation } from '../models/invitation.js';
import { presentGroupSummary } from './group.js';
import { presentUserSummary } from './user.js';
import type { InvitationDto, InvitationPreviewDto } from '../../../shared/dto.js';

export type { InvitationDto, InvitationPreviewDto };

type UserLike = Parameters<typeof presentUserSummary>[0];

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
    /** Whether the signed-in viewer has the invited address; null when signed out. */
    addressedToViewer: boolean | null;
    /** Set by the caller only for a signed-in viewer with another address. */
    emailHint: string | null;
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
    addressedToViewer: context.addressedToViewer,
    emailHint: context.emailHint,
  };
}
