/**
 * Confirming a grave step (deactivating, deleting the account) with the
 * password: a stolen session alone cannot remove a person from their groups.
 * A wrong password counts against the same per-account limit as failed
 * sign-ins, so the confirmation cannot be used to guess the password.
 */
import { verifyPassword } from '../../auth/passwords.js';
import { consume, forgive } from '../../auth/rate-limit.js';
import type { User } from '../../models/user.js';
import { WrongPasswordError } from './errors.js';
import { accountLimit } from './sign-in.js';

/** Throws `wrong_password` (403) or `rate_limited` (429) unless `password` is the user's. */
export async function confirmPassword(
  user: Pick<User, 'email' | 'passwordHash'>,
  password: string,
  secret: string,
): Promise<void> {
  const limit = accountLimit(secret, user.email);
  await consume([limit]);
  if (!(await verifyPassword(password, user.passwordHash))) throw WrongPasswordError();
  await forgive(limit);
}
