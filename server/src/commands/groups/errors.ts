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

/**
 * 403: an email invitation is accepted only by an account with the invited
 * address. `hint` is the masked address (`a•••@e•••.org`), never the address.
 */
export function InvitationWrongAccountError(hint?: string): HttpError {
  const which = hint ? ` (${hint})` : '';
  return new HttpError(
    'invitation_wrong_account',
    403,
    `This invitation was sent to another email address${which}. ` +
      'Sign in with the account that uses that address to accept it.',
  );
}

/** 410: a join link that can no longer be used, and why. */
export function JoinLinkGoneError(reason: 'expired' | 'revoked' | 'used_up'): HttpError {
  const messages = {
    expired: 'This join link has expired',
    revoked: 'This join link was withdrawn by the group’s coordinators',
    used_up: 'This join link has been used as many times as it allows',
  } as const;
  return new HttpError(`join_link_${reason}`, 410, messages[reason]);
}

export { isDuplicateKey } from '../../db/errors.js';
