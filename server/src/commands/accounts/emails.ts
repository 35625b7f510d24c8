/**
 * The account emails: verification, password reset and sign-in link. They go
 * only to the account's own address and carry a single-use link to a page of
 * the web client, which POSTs the token (so a mail scanner that follows links
 * cannot use it up). A failed send is logged, never shown to the requester:
 * for reset and sign-in links that would reveal whether the account exists.
 */
import { accountLinkPath, appUrl, type AccountLinkPurpose } from '../../../../shared/routes.js';
import type { User } from '../../models/user.js';
import type { AccountDeps } from './session.js';

type Recipient = Pick<User, 'name' | 'email'>;

/** The absolute link an account email carries: a page of the client's own route table (shared/routes.ts). */
export function accountLink(publicUrl: string, purpose: AccountLinkPurpose, token: string): string {
  return appUrl(publicUrl, accountLinkPath(purpose, token));
}

async function send(deps: AccountDeps, to: string, subject: string, text: string): Promise<void> {
  try {
    await deps.mailer.send({ to, subject, text });
  } catch (error) {
    deps.logger.error(`could not send the account email "${subject}"`, error);
  }
}

export function sendVerificationEmail(deps: AccountDeps, user: Recipient, token: string) {
  const link = accountLink(deps.config.publicUrl, 'verify_email', token);
  return send(
    deps,
    user.email,
    'Confirm your email address for Quorum',
    `Hello ${user.name},\n\nPlease confirm that this is your email address by opening this link:\n\n${link}\n\nThe link is valid for 3 days. If you did not create a Quorum account, you can ignore this email.\n`,
  );
}

export function sendPasswordResetEmail(deps: AccountDeps, user: Recipient, token: string) {
  const link = accountLink(deps.config.publicUrl, 'password_reset', token);
  return send(
    deps,
    user.email,
    'Reset your Quorum password',
    `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Quorum account. To choose a new password, open this link:\n\n${link}\n\nThe link works once and for one hour. If you did not ask for it, ignore this email: your password stays as it is.\n`,
  );
}

export function sendSignInLinkEmail(deps: AccountDeps, user: Recipient, token: string) {
  const link = accountLink(deps.config.publicUrl, 'signin_link', token);
  return send(
    deps,
    user.email,
    'Your Quorum sign-in link',
    `Hello ${user.name},\n\nOpen this link to sign in to Quorum:\n\n${link}\n\nThe link works once and for 15 minutes. If you did not ask for it, ignore this email.\n`,
  );
}
