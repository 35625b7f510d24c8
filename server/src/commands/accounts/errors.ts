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

/** 413: a profile photo over the size limit, in bytes or in pixels. */
export function AvatarTooLargeError(
  message = 'The photo is too large: at most 5 MB and 50 megapixels',
): HttpError {
  return new HttpError('avatar_too_large', 413, message, 'file');
}

/** 415: the upload is not a JPEG, PNG or WebP image, judged by its content. */
export function AvatarUnsupportedTypeError(): HttpError {
  return new HttpError(
    'avatar_unsupported_type',
    415,
    'The photo must be a JPEG, PNG or WebP image',
    'file',
  );
}

/** 400: the upload starts like an image of an accepted type but cannot be decoded. */
export function AvatarUnreadableError(): HttpError {
  return new HttpError(
    'avatar_unreadable',
    400,
    'The photo could not be read: the file may be damaged',
    'file',
  );
}

/** Whether a write failed on a unique index over `field`. */
export const isDuplicateOn = (error: unknown, field: string): boolean =>
  isDuplicateKey(error, field);
