/**
 * Creating an account. Sign-up says when an email address already has an
 * account (409 on `email`), as Loomio and most products do: hiding it would
 * need an email-first flow, and the answer is rate-limited per address. Sign-in
 * and the emailed-link requests, by contrast, never reveal it.
 */
import { hashPassword } from '../../auth/passwords.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { sendVerificationEmail } from './emails.js';
import { EmailTakenError, HandleTakenError, isDuplicateOn } from './errors.js';
import { availableHandle, isReservedHandle } from './handle.js';
import { startSession, type AccountDeps, type SignedIn } from './session.js';
import { issueAccountToken } from './tokens.js';

export interface SignUpProps {
  /** Free text, already trimmed: pseudonyms welcome (P7). */
  name: string;
  /** Already lowercased and validated. */
  email: string;
  password: string;
  /** Chosen handle; derived from the name when absent. */
  handle?: string;
  /** The raw request address; stored only masked. */
  ip: string | undefined;
}

async function create(props: SignUpProps, passwordHash: string): Promise<UserDocument> {
  for (let attempt = 0; ; attempt++) {
    const handle = props.handle ?? (await availableHandle(props.name));
    try {
      return await UserModel.create({ name: props.name, email: props.email, handle, passwordHash });
    } catch (error) {
      if (isDuplicateOn(error, 'email')) throw EmailTakenError();
      if (isDuplicateOn(error, 'handle') && (props.handle !== undefined || attempt >= 4)) {
        throw HandleTakenError();
      }
      if (!isDuplicateOn(error, 'handle')) throw error;
    }
  }
}

/** Creates the account, signs it in and emails a verification link. */
export async function signUp(props: SignUpProps, deps: AccountDeps): Promise<SignedIn> {
  if (await UserModel.exists({ email: props.email })) throw EmailTakenError();
  if (props.handle !== undefined) {
    if (isReservedHandle(props.handle) || (await UserModel.exists({ handle: props.handle }))) {
      throw HandleTakenError();
    }
  }
  const user = await create(props, await hashPassword(props.password));
  const signedIn = await startSession(user, props.ip, deps.config);
  await sendVerificationEmail(deps, user, await issueAccountToken(user, 'verify_email'));
  return signedIn;
}
