/**
 * Invitations by email, to a group or as a guest to one discussion. The token
 * (32 random bytes, base64url) leaves the server only inside the email; the
 * database keeps its SHA-256 hash, so a database leak grants no access. A
 * token works once, for 14 days, unless revoked. It is not a bearer link: only
 * an account with the invited address may accept it (invitation-address.ts),
 * and accepting confirms that address, since the link reached it. Someone
 * invited at an address without an account signs up through the invitation
 * (sign-up-invited.ts). Groups that want a link anyone may use share a join
 * link instead (join-links.ts), a separate and explicit feature.
 */
import { assertNotBanned } from '../../moderation/restrictions.js';
import { createHash, randomBytes } from 'node:crypto';
import mongoose, { type ClientSession } from 'mongoose';
import type { GroupRole } from '../../../../shared/domain.js';
import { appUrl, invitationPath } from '../../../../shared/routes.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { Mailer } from '../../mail/mailer.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import { GuestModel } from '../../models/guest.js';
import {
  InvitationModel,
  invitationStatus,
  type InvitationDocument,
} from '../../models/invitation.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { presentUserSummary } from '../../presenters/user.js';
import { InvitationGoneError, InvitationWrongAccountError } from './errors.js';
import { isInvitedAddress, maskEmail } from './invitation-address.js';
import { ensureMembership } from './roster.js';

export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** What a token looks like: 32 bytes in base64url, no padding. */
export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashInvitationToken = (token: string) =>
  createHash('sha256').update(token).digest('hex');

export type InvitationTarget =
  { kind: 'group'; group: GroupDocument } | { kind: 'discussion'; discussion: DiscussionDocument };

export interface SendInvitationsProps {
  target: InvitationTarget;
  inviter: UserDocument;
  /** Normalised (trimmed, lowercase) and de-duplicated by the caller. */
  emails: string[];
  role: GroupRole;
  message?: string;
  mailer: Mailer;
  publicUrl: string;
}

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

function invitationEmail(props: SendInvitationsProps, link: string, expiresAt: Date) {
  const inviter = oneLine(presentUserSummary(props.inviter).name);
  const what =
    props.target.kind === 'group'
      ? `the group "${oneLine(props.target.group.name)}"${props.role === 'coordinator' ? ' as a coordinator' : ''}`
      : `the discussion "${oneLine(props.target.discussion.title)}"`;
  const note = props.message ? `${inviter} wrote:\n\n${props.message}\n\n` : '';
  return {
    subject: `${inviter} invited you to ${what} on Quorum`,
    text:
      `${inviter} invited you to ${what} on Quorum.\n\n${note}` +
      `Accept the invitation: ${link}\n\n` +
      `The link works once and expires on ${expiresAt.toUTCString()}. ` +
      'If you were not expecting this email, you can ignore it.\n',
  };
}

/** Stores one invitation per address and emails each its link; returns the stored invitations. */
export async function sendInvitations(props: SendInvitationsProps): Promise<InvitationDocument[]> {
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  const created: InvitationDocument[] = [];
  for (const email of props.emails) {
    const token = randomBytes(32).toString('base64url');
    const invitation = await InvitationModel.create({
      groupId: props.target.kind === 'group' ? props.target.group._id : null,
      discussionId: props.target.kind === 'discussion' ? props.target.discussion._id : null,
      email,
      role: props.target.kind === 'group' ? props.role : 'member',
      tokenHash: hashInvitationToken(token),
      invitedById: props.inviter._id,
      expiresAt,
    });
    created.push(invitation);
    await props.mailer.send({
      to: email,
      ...invitationEmail(props, appUrl(props.publicUrl, invitationPath(token)), expiresAt),
    });
  }
  return created;
}

/** Finds the invitation a token belongs to, if it can still be used: 404 when unknown, 410 when spent. */
export async function findUsableInvitation(token: string): Promise<InvitationDocument> {
  const invitation = INVITATION_TOKEN_PATTERN.test(token)
    ? await InvitationModel.findOne({ tokenHash: hashInvitationToken(token) })
    : null;
  if (!invitation) throw NotFoundError('Invitation not found');
  const status = invitationStatus(invitation);
  if (status !== 'pending') throw InvitationGoneError(status === 'accepted' ? 'used' : status);
  return invitation;
}

/** 403 unless `user` has the address `invitation` was sent to. */
export function assertInvitedAccount(
  invitation: Pick<InvitationDocument, 'email'>,
  user: Pick<UserDocument, 'email'>,
): void {
  if (!isInvitedAddress(invitation.email, user.email))
    throw InvitationWrongAccountError(maskEmail(invitation.email));
}

/**
 * Inside `session`: marks the invitation used by `user` (only while it is
 * still open, so a token never works twice), confirms the user's address (the
 * link reached it) and grants what it promised, a membership (raising an
 * existing member to coordinator if so invited) or a guest place in the
 * discussion. Null when the invitation is no longer open.
 */
export async function claimInvitation(
  token: string,
  user: Pick<UserDocument, '_id' | 'emailVerifiedAt'>,
  session: ClientSession,
): Promise<InvitationDocument | null> {
  const now = new Date();
  const invitation = await InvitationModel.findOneAndUpdate(
    {
      tokenHash: hashInvitationToken(token),
      acceptedAt: null,
      revokedAt: null,
      expiresAt: { $gt: now },
    },
    { $set: { acceptedAt: now, acceptedById: user._id } },
    { session, returnDocument: 'after' },
  );
  if (!invitation) return null;
  if (!user.emailVerifiedAt) {
    await UserModel.updateOne(
      { _id: user._id, emailVerifiedAt: null },
      { $set: { emailVerifiedAt: now } },
      { session },
    );
  }
  if (invitation.groupId) {
    await ensureMembership(
      { groupId: invitation.groupId, userId: user._id, role: invitation.role },
      session,
    );
  } else if (invitation.discussionId) {
    const guest = { discussionId: invitation.discussionId, userId: user._id };
    if (!(await GuestModel.exists(guest).session(session))) {
      await GuestModel.create([{ ...guest, invitedById: invitation.invitedById }], { session });
    }
  }
  return invitation;
}

/**
 * Accepts an invitation for `user`, who must have the invited address (403
 * `invitation_wrong_account` otherwise, before anything changes).
 */
export async function acceptInvitation(
  token: string,
  user: UserDocument,
): Promise<InvitationDocument> {
  const usable = await findUsableInvitation(token);
  assertInvitedAccount(usable, user);
  if (usable.groupId) await assertNotBanned(user._id, usable.groupId);
  const accepted = await mongoose.connection.transaction((session) =>
    claimInvitation(token, user, session),
  );
  if (accepted) return accepted;
  // Lost a race with another acceptance or a revocation: report why, as for any spent token.
  await findUsableInvitation(token);
  throw ConflictError('This invitation changed while it was being accepted; try again');
}

/** Withdraws an invitation; an accepted one can no longer be withdrawn (409), a revoked one stays so. */
export async function revokeInvitation(invitation: InvitationDocument): Promise<void> {
  if (invitation.acceptedAt) throw ConflictError('This invitation has already been accepted');
  await InvitationModel.updateOne(
    { _id: invitation._id, acceptedAt: null, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
}
