/**
 * What every way of signing in ends with: the sign-in is recorded (time and
 * MASKED address only, P4) and a session token is issued for the user's
 * current token version.
 */
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Mailer } from '../../mail/mailer.js';
import { signSession } from '../../auth/session-token.js';
import { maskIp } from '../../http/mask-ip.js';
import { UserModel, type User, type UserDocument } from '../../models/user.js';

/** What the account commands need from the app. */
export interface AccountDeps {
  config: Pick<Config, 'publicUrl' | 'jwtSecret'>;
  mailer: Mailer;
  logger: Logger;
}

/** A signed-in user and the token (also set as the session cookie by the router). */
export interface SignedIn {
  user: UserDocument;
  token: string;
}

/** Deactivated and deleted accounts cannot sign in by any means. */
export function canSignIn(user: Pick<User, 'deactivatedAt' | 'deletedAt'>): boolean {
  return !user.deactivatedAt && !user.deletedAt;
}

/** Records the sign-in and issues a token. `ip` is the raw address; only its masked form is stored. */
export async function startSession(
  user: UserDocument,
  ip: string | undefined,
  config: Pick<Config, 'jwtSecret'>,
): Promise<SignedIn> {
  const signedIn = await UserModel.findOneAndUpdate(
    { _id: user._id },
    { $set: { lastSignInAt: new Date(), lastSignInIp: maskIp(ip) } },
    { returnDocument: 'after' },
  );
  const current = signedIn ?? user;
  return {
    user: current,
    token: signSession(String(current._id), current.tokenVersion, config.jwtSecret),
  };
}
