/**
 * Reactivating one's deactivated account by signing in again (P8): the same
 * limits and the same single answer for every refusal as a sign-in, then the
 * account, its memberships and its name on its content are restored and the
 * person is signed in. An active account is simply signed in.
 */
import { verifyPassword } from '../../auth/passwords.js';
import { consume, forgive, reset } from '../../auth/rate-limit.js';
import { UserModel } from '../../models/user.js';
import { reactivateAccount } from './deactivate.js';
import { InvalidCredentialsError } from './errors.js';
import { startSession, type AccountDeps, type SignedIn } from './session.js';
import { accountLimit, addressLimit, type SignInProps } from './sign-in.js';

export async function reactivateWithPassword(
  props: SignInProps,
  deps: AccountDeps,
): Promise<SignedIn> {
  const account = accountLimit(deps.config.jwtSecret, props.email);
  const address = addressLimit(deps.config.jwtSecret, props.ip);
  await consume([account, address]);
  const found = await UserModel.findOne({ email: props.email });
  const matches = await verifyPassword(props.password, found?.passwordHash ?? null);
  if (!found || !matches || found.deletedAt) throw InvalidCredentialsError();
  await Promise.all([reset(account), forgive(address)]);
  const user = await reactivateAccount({ user: found, actorId: found._id, ip: props.ip });
  return startSession(user, props.ip, deps.config);
}
