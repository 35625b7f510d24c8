/**
 * Changing one's password while signed in. The current password is required
 * (a stolen session alone cannot take the account over) and a wrong one counts
 * against the same per-account limit as failed sign-ins. Every existing
 * session ends; the caller gets a fresh token.
 */
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { consume, forgive } from '../../auth/rate-limit.js';
import { signSession } from '../../auth/session-token.js';
import { ValidationError } from '../../errors.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import type { AccountDeps, SignedIn } from './session.js';
import { accountLimit } from './sign-in.js';
import { revokeAccountTokens } from './tokens.js';
import { storedPasswordHash } from './confirm-password.js';

export interface ChangePasswordProps {
  user: UserDocument;
  currentPassword: string;
  newPassword: string;
}

export async function changePassword(
  props: ChangePasswordProps,
  deps: AccountDeps,
): Promise<SignedIn> {
  const limit = accountLimit(deps.config.jwtSecret, props.user.email);
  await consume([limit]);
  if (!(await verifyPassword(props.currentPassword, await storedPasswordHash(props.user._id)))) {
    throw ValidationError('currentPassword', 'The current password is incorrect');
  }
  await forgive(limit);
  const passwordHash = await hashPassword(props.newPassword);
  const user = await UserModel.findOneAndUpdate(
    { _id: props.user._id },
    { $set: { passwordHash }, $inc: { tokenVersion: 1 } },
    { returnDocument: 'after' },
  ).orFail();
  await revokeAccountTokens(user._id, ['password_reset', 'signin_link']);
  return { user, token: signSession(String(user._id), user.tokenVersion, deps.config.jwtSecret) };
}
