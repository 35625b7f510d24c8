/**
 * Errors of groups and people that carry their own stable ids, so clients can
 * tell "promote someone first" or "this link was already used" apart from a
 * generic conflict without reading messages.
 */
import { HttpError } from '../../errors.js';

/** 409: the change would leave the group without an active coordinator. */
export function LastCoordinatorError(
  message = 'A group always keeps at least one coordinator',
): HttpError {
  return new HttpError('last_coordinator', 409, message);
}

/** 409 naming the field whose value is taken or contradicts the current state. */
export function FieldConflictError(field: string, message: string): HttpError {
  return new HttpError('conflict', 409, message, field);
}

/** 410: an invitation link that can no longer be used, and why. */
export function InvitationGoneError(reason: 'used' | 'expired' | 'revoked'): HttpError {
  const messages = {
    used: 'This invitation has already been used',
    expired: 'This invitation has expired',
    revoked: 'This invitation was withdrawn',
  } as const;
  return new HttpError(`invitation_${reason}`, 410, messages[reason]);
}

export { isDuplicateKey } from '../../db/errors.js';
