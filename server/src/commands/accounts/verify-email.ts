/**
 * Email verification: the link sent at sign-up (and on request) proves the
 * person reads the address they gave.
 */
import { RATE_RULES, consume, rateLimitKey } from '../../auth/rate-limit.js';
import { ConflictError } from '../../errors.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { sendVerificationEmail } from './emails.js';
import type { AccountDeps } from './session.js';
import { issueAccountToken, redeemAccountToken } from './tokens.js';

/** Marks the token's account verified; throws `invalid_token` when it cannot be used. */
export async function verifyEmail(props: { token: string }): Promise<UserDocument> {
  const user = await redeemAccountToken(props.token, 'verify_email');
  if (!user.emailVerifiedAt) {
    user.emailVerifiedAt = new Date();
    await UserModel.updateOne(
      { _id: user._id },
      { $set: { emailVerifiedAt: user.emailVerifiedAt } },
    );
  }
  return user;
}

/** Sends a new verification link (limited per user); 409 when the address is already verified. */
export async function resendVerification(
  props: { user: UserDocument },
  deps: AccountDeps,
): Promise<void> {
  if (props.user.emailVerifiedAt) throw ConflictError('Your email address is already verified');
  await consume([
    rateLimitKey(deps.config.jwtSecret, RATE_RULES.verifyResend, String(props.user._id)),
  ]);
  await sendVerificationEmail(
    deps,
    props.user,
    await issueAccountToken(props.user, 'verify_email'),
  );
}
