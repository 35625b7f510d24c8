/**
 * Confirming a grave step (deactivating, deleting the account) with the
 * password: a stolen session alone cannot remove a person from their groups.
 * A wrong password counts against the same per-account limit as failed
 * sign-ins, so the confirmation cannot be used to guess the password.
 */
import { verifyPassword } from '../../auth/passwords.js';
import { consume, forgive } from '../../auth/rate-limit.js';
import type { Types } from 'mongoose';
import { UserModel, type User } from '../../models/user.js';
import { WrongPasswordError } from './errors.js';
import { accountLimit } from './sign-in.js';

/**
 * The person's password hash as stored now. A signed-in viewer's document
 * does not carry it (auth/viewers-held.ts), so the few steps that check a
 * password read it.
 */
export async function storedPasswordHash(userId: Types.ObjectId): Promise<string | null> {
  const user = await UserModel.findById(userId, { passwordHash: 1 }).lean();
  return user?.passwordHash ?? null;
}

/** Throws `wrong_password` (403) or `rate_limited` (429) unless `password` is the user's. */
export async function confirmPassword(
  user: Pick<User, '_id' | 'email'>,
  password: string,
  secret: string,
): Promise<void> {
  const limit = accountLimit(secret, user.email);
  await consume([limit]);
  if (!(await verifyPassword(password, await storedPasswordHash(user._id))))
    throw WrongPasswordError();
  await forgive(limit);
}
