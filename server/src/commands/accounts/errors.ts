/**
 * The errors the account commands share. Wrong email, wrong password, no
 * password, deactivated and deleted accounts all produce the very same
 * `invalid_credentials`, so the answer never tells whether an account exists.
 */
import { isDuplicateKey } from '../../db/errors.js';
import { HttpError } from '../../errors.js';

/** Sign-in refused; the message is identical for every reason. */
export function InvalidCredentialsError(): HttpError {
  return new HttpError('invalid_credentials', 401, 'The email address or password is incorrect');
}

/**
 * The right password for a deactivated account: only someone who knows the
 * password learns the account is deactivated, and is offered reactivation.
 */
export function AccountDeactivatedError(): HttpError {
  return new HttpError(
    'account_deactivated',
    403,
    'This account is deactivated. Reactivate it to sign in.',
  );
}

/** 403: the password given to confirm a grave step (deactivating, deleting) is not the account's. */
export function WrongPasswordError(): HttpError {
  return new HttpError('wrong_password', 403, 'The password is incorrect', 'password');
}

/** An emailed token that is unknown, used, expired, or belongs to an account that can no longer use it. */
export function InvalidTokenError(): HttpError {
  return new HttpError('invalid_token', 400, 'This link is invalid or has expired', 'token');
}

/** Sign-up or a profile change with an address that already has an account. */
export function EmailTakenError(): HttpError {
  return new HttpError(
    'conflict',
    409,
    'An account with this email address already exists',
    'email',
  );
}

/** A handle someone else already has (or one Quorum reserves). */
export function HandleTakenError(): HttpError {
  return new HttpError('conflict', 409, 'This handle is already taken', 'handle');
}

/** Whether a write failed on a unique index over `field`. */
export const isDuplicateOn = (error: unknown, field: string): boolean =>
  isDuplicateKey(error, field);
