/**
 * Issuing and consuming the single-use tokens sent by email. A token is 32
 * random bytes (base64url); only its SHA-256 hash is stored. It is looked up by
 * that hash, so lookup timing says nothing useful about the token (the hash
 * of a guess reveals nothing about the real token), and consumed by an atomic
 * delete, so two concurrent uses cannot both succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import {
  AccountTokenModel,
  type AccountToken,
  type AccountTokenPurpose,
} from '../../models/account-token.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { InvalidTokenError } from './errors.js';
import { canSignIn } from './session.js';

/** How long each kind of emailed link stays valid. */
export const TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  verify_email: 3 * 24 * 3600,
  password_reset: 3600,
  signin_link: 15 * 60,
};

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for `user` and returns the raw value, which exists only in the email. */
export async function issueAccountToken(
  user: { _id: Types.ObjectId; email: string },
  purpose: AccountTokenPurpose,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await AccountTokenModel.create({
    tokenHash: hashToken(token),
    purpose,
    userId: user._id,
    email: user.email,
    expiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS[purpose] * 1000),
  });
  return token;
}

/** Uses up a token: the stored record if it was valid and unexpired, null otherwise. */
export async function consumeAccountToken(
  token: string,
  purpose: AccountTokenPurpose,
  now = new Date(),
): Promise<AccountToken | null> {
  return AccountTokenModel.findOneAndDelete({
    tokenHash: hashToken(token),
    purpose,
    expiresAt: { $gt: now },
  }).lean();
}

/** Kills a user's outstanding tokens of the given kinds (password changed, signed out everywhere). */
export async function revokeAccountTokens(
  userId: Types.ObjectId,
  purposes: AccountTokenPurpose[],
): Promise<void> {
  await AccountTokenModel.deleteMany({ userId, purpose: { $in: purposes } });
}

/**
 * Consumes a token and returns the account it opens. Refused (400
 * `invalid_token`) when the token is unknown, used or expired, when the account
 * is gone, deactivated or deleted, or when its email changed since the token
 * was sent.
 */
export async function redeemAccountToken(
  token: string,
  purpose: AccountTokenPurpose,
): Promise<UserDocument> {
  const record = await consumeAccountToken(token, purpose);
  const user = record ? await UserModel.findById(record.userId) : null;
  if (!record || !user || !canSignIn(user) || user.email !== record.email) {
    throw InvalidTokenError();
  }
  return user;
}
