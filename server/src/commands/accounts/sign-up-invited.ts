/**
 * Signing up through an email invitation. The new account takes the invited
 * address (the person never types it, and the preview never shows it), and
 * accepting the invitation confirms that address: the link could only have
 * been read there. Creating the account and accepting happen in one
 * transaction, so a spent invitation never leaves an account behind, and no
 * verification email is needed.
 */
import mongoose from 'mongoose';
import { hashPassword } from '../../auth/passwords.js';
import { ConflictError, HttpError } from '../../errors.js';
import { UserModel } from '../../models/user.js';
import type { InvitationDocument } from '../../models/invitation.js';
import { claimInvitation, findUsableInvitation } from '../groups/invitations.js';
import { HandleTakenError, isDuplicateOn } from './errors.js';
import { availableHandle, isReservedHandle } from './handle.js';
import { startSession, type AccountDeps, type SignedIn } from './session.js';

export interface SignUpInvitedProps {
  /** The invitation link's token. */
  token: string;
  /** Free text, already trimmed: pseudonyms welcome (P7). */
  name: string;
  password: string;
  /** Chosen handle; derived from the name when absent. */
  handle?: string;
  /** The raw request address; stored only masked. */
  ip: string | undefined;
}

/** 409 on `email` when the invited address already has an account: that account signs in to accept. */
function InvitedAddressTakenError(): HttpError {
  return new HttpError(
    'conflict',
    409,
    'An account already uses the address this invitation was sent to. Sign in with it to accept.',
    'email',
  );
}

/** Creates the account with the invited address (confirmed), accepts the invitation and signs in. */
export async function signUpInvited(
  props: SignUpInvitedProps,
  deps: Pick<AccountDeps, 'config'>,
): Promise<SignedIn & { invitation: InvitationDocument }> {
  const pending = await findUsableInvitation(props.token);
  if (await UserModel.exists({ email: pending.email })) throw InvitedAddressTakenError();
  if (props.handle !== undefined) {
    if (isReservedHandle(props.handle) || (await UserModel.exists({ handle: props.handle })))
      throw HandleTakenError();
  }
  const handle = props.handle ?? (await availableHandle(props.name));
  const passwordHash = await hashPassword(props.password);
  let created;
  try {
    created = await mongoose.connection.transaction(async (session) => {
      const [user] = await UserModel.create(
        [
          {
            name: props.name,
            email: pending.email,
            handle,
            passwordHash,
            emailVerifiedAt: new Date(),
          },
        ],
        { session },
      );
      const invitation = await claimInvitation(props.token, user, session);
      return invitation ? { user, invitation } : null;
    });
  } catch (error) {
    if (isDuplicateOn(error, 'email')) throw InvitedAddressTakenError();
    if (isDuplicateOn(error, 'handle')) throw HandleTakenError();
    throw error;
  }
  // Spent while the account was being created: say why; the account was not kept.
  if (!created) {
    await findUsableInvitation(props.token);
    throw ConflictError('This invitation changed while it was being accepted; try again');
  }
  const signedIn = await startSession(created.user, props.ip, deps.config);
  return { ...signedIn, invitation: created.invitation };
}
