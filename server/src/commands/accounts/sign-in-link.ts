/**
 * Signing in by a link sent to one's email: no password needed. As with
 * password resets the request always gets the same answer and only active
 * accounts get an email; using the link verifies the address (the person just
 * proved they read it) and clears the account's sign-in failures.
 */
import { reset } from '../../auth/rate-limit.js';
import { UserModel } from '../../models/user.js';
import { sendSignInLinkEmail } from './emails.js';
import { canSignIn, startSession, type AccountDeps, type SignedIn } from './session.js';
import { accountLimit } from './sign-in.js';
import { issueAccountToken, redeemAccountToken } from './tokens.js';

/** Emails a 15-minute, single-use sign-in link if an active account has this address. */
export async function requestSignInLink(
  props: { email: string },
  deps: AccountDeps,
): Promise<void> {
  const user = await UserModel.findOne({ email: props.email });
  if (!user || !canSignIn(user)) return;
  await sendSignInLinkEmail(deps, user, await issueAccountToken(user, 'signin_link'));
}

/** Signs in with the link's token; throws `invalid_token` when it cannot be used. */
export async function signInWithLink(
  props: { token: string; ip: string | undefined },
  deps: AccountDeps,
): Promise<SignedIn> {
  const user = await redeemAccountToken(props.token, 'signin_link');
  if (!user.emailVerifiedAt) {
    user.emailVerifiedAt = new Date();
    await UserModel.updateOne(
      { _id: user._id },
      { $set: { emailVerifiedAt: user.emailVerifiedAt } },
    );
  }
  await reset(accountLimit(deps.config.jwtSecret, user.email));
  return startSession(user, props.ip, deps.config);
}
