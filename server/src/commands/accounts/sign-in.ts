/**
 * Signing in with a password, rate-limited per account and per address (P17).
 * The account counter is keyed by the email given, whether or not an account
 * has it, and every refusal costs one password hash and gives the same answer,
 * so neither the status, the message, the limit nor the timing tells whether
 * the account exists. The one exception needs the right password: a
 * deactivated account answers `account_deactivated` (403), so its owner can
 * reactivate it.
 */
import { verifyPassword } from '../../auth/passwords.js';
import {
  RATE_RULES,
  addressSubject,
  consume,
  forgive,
  rateLimitKey,
  reset,
  type RateLimitKey,
} from '../../auth/rate-limit.js';
import { UserModel } from '../../models/user.js';
import { AccountDeactivatedError, InvalidCredentialsError } from './errors.js';
import { canSignIn, startSession, type AccountDeps, type SignedIn } from './session.js';

/** The failure counter of the account an email address names (existing or not). */
export function accountLimit(secret: string, email: string): RateLimitKey {
  return rateLimitKey(secret, RATE_RULES.signInAccount, email);
}

/** The failure counter of a requesting address. */
export function addressLimit(secret: string, ip: string | undefined): RateLimitKey {
  return rateLimitKey(secret, RATE_RULES.signInAddress, addressSubject(ip));
}

export interface SignInProps {
  /** Already lowercased. */
  email: string;
  password: string;
  /** The raw request address: hashed for the counter, masked for the record. */
  ip: string | undefined;
}

/**
 * Every attempt counts against both limits before the password is checked;
 * a success takes its hits back (and clears the account's failures), so only
 * failures accumulate. Throws `rate_limited` (429) or `invalid_credentials` (401).
 */
export async function signIn(props: SignInProps, deps: AccountDeps): Promise<SignedIn> {
  const account = accountLimit(deps.config.jwtSecret, props.email);
  const address = addressLimit(deps.config.jwtSecret, props.ip);
  await consume([account, address]);
  const user = await UserModel.findOne({ email: props.email });
  const matches = await verifyPassword(props.password, user?.passwordHash ?? null);
  if (!user || !matches || user.deletedAt) throw InvalidCredentialsError();
  await Promise.all([reset(account), forgive(address)]);
  // Only the right password learns that the account is deactivated (reactivation is one step away).
  if (!canSignIn(user)) throw AccountDeactivatedError();
  return startSession(user, props.ip, deps.config);
}
