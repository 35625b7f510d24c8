/**
 * Resetting a forgotten password by email. The request always gets the same
 * answer (the router replies 202 before this runs), and only active accounts
 * get an email (P8: no email to deactivated accounts). Confirming proves the
 * person reads the account's mailbox, so it also verifies the address, clears
 * the sign-in failures, ends every other session and signs this client in.
 */
import { hashPassword } from '../../auth/passwords.js';
import { reset } from '../../auth/rate-limit.js';
import { UserModel } from '../../models/user.js';
import { sendPasswordResetEmail } from './emails.js';
import { canSignIn, startSession, type AccountDeps, type SignedIn } from './session.js';
import { accountLimit } from './sign-in.js';
import { issueAccountToken, redeemAccountToken, revokeAccountTokens } from './tokens.js';

/** Emails a one-hour, single-use reset link if an active account has this address. */
export async function requestPasswordReset(
  props: { email: string },
  deps: AccountDeps,
): Promise<void> {
  const user = await UserModel.findOne({ email: props.email });
  if (!user || !canSignIn(user)) return;
  await sendPasswordResetEmail(deps, user, await issueAccountToken(user, 'password_reset'));
}

export interface ResetPasswordProps {
  token: string;
  newPassword: string;
  ip: string | undefined;
}

/** Sets the new password if the token is valid; throws `invalid_token` otherwise. */
export async function resetPassword(
  props: ResetPasswordProps,
  deps: AccountDeps,
): Promise<SignedIn> {
  const found = await redeemAccountToken(props.token, 'password_reset');
  const passwordHash = await hashPassword(props.newPassword);
  const user = await UserModel.findOneAndUpdate(
    { _id: found._id },
    {
      $set: { passwordHash, emailVerifiedAt: found.emailVerifiedAt ?? new Date() },
      $inc: { tokenVersion: 1 },
    },
    { returnDocument: 'after' },
  ).orFail();
  await revokeAccountTokens(user._id, ['password_reset', 'signin_link']);
  await reset(accountLimit(deps.config.jwtSecret, user.email));
  return startSession(user, props.ip, deps.config);
}
