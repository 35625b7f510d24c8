/**
 * Deactivating and reactivating an account (P8). Deactivation hides the
 * person's name, handle and avatar everywhere (presenters show "Deactivated
 * account"), ends every session and live connection at once (the token
 * version is bumped; the realtime access tracker disconnects the user's
 * sockets when it sees the change), suspends their memberships (suspended
 * memberships grant nothing and are not counted) and stops all email (the
 * mail jobs and account emails skip inactive accounts). Their comments are
 * touched, with the discussions and polls they started, so that every open
 * page re-presents them at once, live.
 * Reactivation undoes each of these. Both are written to the audit log.
 */
import type { Types } from 'mongoose';
import { CommentModel } from '../../models/comment.js';
import { DiscussionModel } from '../../models/discussion.js';
import { PollModel } from '../../models/poll.js';
import { MembershipModel } from '../../models/membership.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { recordAudit } from '../audit/record.js';
import { revokeAccountTokens } from './tokens.js';

export interface AccountChangeProps {
  user: UserDocument;
  /** Who did it: the person themselves, or an administrator. */
  actorId: Types.ObjectId;
  /** The raw request address; the audit log keeps it masked. */
  ip: string | undefined;
}

/**
 * Re-presents what the person wrote live: the change feed sends every touched
 * comment, discussion and poll again, now under "Deactivated account" (or
 * their name again).
 */
async function touchContent(userId: Types.ObjectId, now: Date): Promise<void> {
  await CommentModel.updateMany({ authorId: userId }, { $set: { updatedAt: now } });
  await DiscussionModel.updateMany({ authorId: userId }, { $set: { authorStatusChangedAt: now } });
  await PollModel.updateMany({ authorId: userId }, { $set: { updatedAt: now } });
}

/** Deactivates an active account; a no-op for one already deactivated or deleted. */
export async function deactivateAccount(props: AccountChangeProps): Promise<void> {
  const now = new Date();
  const changed = await UserModel.updateOne(
    { _id: props.user._id, deactivatedAt: null, deletedAt: null },
    { $set: { deactivatedAt: now }, $inc: { tokenVersion: 1 } },
  );
  if (changed.modifiedCount === 0) return;
  await revokeAccountTokens(props.user._id, ['password_reset', 'signin_link', 'verify_email']);
  await MembershipModel.updateMany(
    { userId: props.user._id, suspendedAt: null },
    { $set: { suspendedAt: now } },
  );
  await touchContent(props.user._id, now);
  await recordAudit({
    actorId: props.actorId,
    subjectUserId: props.user._id,
    action: 'account_deactivated',
    ip: props.ip,
    at: now,
  });
}

/** Restores a deactivated (not deleted) account and its memberships; returns the user as now stored. */
export async function reactivateAccount(props: AccountChangeProps): Promise<UserDocument> {
  const now = new Date();
  const user = await UserModel.findOneAndUpdate(
    { _id: props.user._id, deactivatedAt: { $ne: null }, deletedAt: null },
    { $set: { deactivatedAt: null } },
    { returnDocument: 'after' },
  );
  if (!user) return (await UserModel.findById(props.user._id)) ?? props.user;
  await MembershipModel.updateMany(
    { userId: user._id, suspendedAt: { $ne: null } },
    { $set: { suspendedAt: null } },
  );
  await touchContent(user._id, now);
  await recordAudit({
    actorId: props.actorId,
    subjectUserId: user._id,
    action: 'account_reactivated',
    ip: props.ip,
    at: now,
  });
  return user;
}
