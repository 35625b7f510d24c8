/**
 * Shareable join links, a separate and explicit alternative to email
 * invitations: a group's coordinators create one with an expiry and a use
 * limit, share it as they like, and may withdraw it. Whoever holds it joins as
 * a member (never a coordinator), whatever the group's privacy or membership
 * policy: the coordinators chose to share it. The token (32 random bytes,
 * base64url) is returned once, at creation; only its SHA-256 hash is stored.
 * Each join counts one use, atomically, so a link never admits more people
 * than it allows. Creating, withdrawing and joining are written to the group's
 * audit log, as support grants are: they change who may read the group.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { AuthorizationError, ConflictError, NotFoundError } from '../../errors.js';
import type { GroupDocument } from '../../models/group.js';
import { JoinLinkModel, joinLinkStatus, type JoinLinkDocument } from '../../models/join-link.js';
import { MembershipModel } from '../../models/membership.js';
import type { UserDocument } from '../../models/user.js';
import { recordAudit } from '../audit/record.js';
import { JoinLinkGoneError } from './errors.js';
import { hashInvitationToken, INVITATION_TOKEN_PATTERN } from './invitations.js';
import { ensureMembership } from './roster.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreateJoinLinkProps {
  group: Pick<GroupDocument, '_id'>;
  creator: Pick<UserDocument, '_id'>;
  expiresInDays: number;
  maxUses: number;
  /** The raw request address; the audit log keeps it masked. */
  ip?: string;
}

/** Stores a new link for the group; returns it with its token, which is never available again. */
export async function createJoinLink(
  props: CreateJoinLinkProps,
): Promise<{ link: JoinLinkDocument; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const link = await JoinLinkModel.create({
    groupId: props.group._id,
    tokenHash: hashInvitationToken(token),
    createdById: props.creator._id,
    maxUses: props.maxUses,
    expiresAt: new Date(Date.now() + props.expiresInDays * DAY_MS),
  });
  await recordAudit({
    actorId: props.creator._id,
    action: 'join_link_created',
    groupId: props.group._id,
    target: { kind: 'join_link', id: link._id },
    ip: props.ip,
  });
  return { link, token };
}

/** The link a token belongs to, if it can still be used: 404 when unknown, 410 when spent. */
export async function findUsableJoinLink(token: string): Promise<JoinLinkDocument> {
  const link = INVITATION_TOKEN_PATTERN.test(token)
    ? await JoinLinkModel.findOne({ tokenHash: hashInvitationToken(token) })
    : null;
  if (!link) throw NotFoundError('Join link not found');
  const status = joinLinkStatus(link);
  if (status !== 'active') throw JoinLinkGoneError(status);
  return link;
}

/**
 * Makes `user` a member of the link's group, counting one use. Someone who
 * already belongs to the group uses nothing (`joined: false`); a suspended
 * member stays suspended (403).
 */
export async function joinThroughLink(
  token: string,
  user: Pick<UserDocument, '_id'>,
  ip?: string,
): Promise<{ groupId: Types.ObjectId; joined: boolean }> {
  const link = await findUsableJoinLink(token);
  const existing = await MembershipModel.findOne({ groupId: link.groupId, userId: user._id });
  if (existing?.suspendedAt) throw AuthorizationError('Your membership of this group is suspended');
  if (existing) return { groupId: link.groupId, joined: false };
  const joined = await mongoose.connection.transaction(async (session) => {
    const counted = await JoinLinkModel.findOneAndUpdate(
      {
        _id: link._id,
        revokedAt: null,
        expiresAt: { $gt: new Date() },
        // maxUses never changes, so the value read above is the one to compare with.
        uses: { $lt: link.maxUses },
      },
      { $inc: { uses: 1 } },
      { session, returnDocument: 'after' },
    );
    if (!counted) return false;
    const { created } = await ensureMembership(
      { groupId: link.groupId, userId: user._id, role: 'member' },
      session,
    );
    // Joined meanwhile by another way: give the use back.
    if (!created)
      await JoinLinkModel.updateOne({ _id: link._id }, { $inc: { uses: -1 } }, { session });
    return created;
  });
  if (joined === false) {
    // Lost a race for the last use, or the link was withdrawn meanwhile; say which.
    await findUsableJoinLink(token);
    if (await MembershipModel.exists({ groupId: link.groupId, userId: user._id }))
      return { groupId: link.groupId, joined: false };
    throw ConflictError('This join link changed while you were joining; try again');
  }
  await recordAudit({
    actorId: user._id,
    subjectUserId: user._id,
    action: 'joined_through_link',
    groupId: link.groupId,
    target: { kind: 'join_link', id: link._id },
    ip,
  });
  return { groupId: link.groupId, joined: true };
}

/** Withdraws a link so it admits nobody more; withdrawing twice changes nothing. */
export async function revokeJoinLink(
  link: JoinLinkDocument,
  actor: Pick<UserDocument, '_id'>,
  ip?: string,
): Promise<JoinLinkDocument> {
  if (link.revokedAt) return link;
  link.revokedAt = new Date();
  link.revokedById = actor._id;
  await JoinLinkModel.updateOne(
    { _id: link._id, revokedAt: null },
    { $set: { revokedAt: link.revokedAt, revokedById: actor._id } },
  );
  await recordAudit({
    actorId: actor._id,
    action: 'join_link_revoked',
    groupId: link.groupId,
    target: { kind: 'join_link', id: link._id },
    ip,
  });
  return link;
}
