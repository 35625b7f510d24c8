/**
 * Ending every session of a user at once: bumping the token version makes
 * every token issued before invalid on its next use, and outstanding
 * password-reset and sign-in links die too, since they could open new sessions.
 */
import type { Types } from 'mongoose';
import { UserModel } from '../../models/user.js';
import { revokeAccountTokens } from './tokens.js';

export async function signOutEverywhere(props: { userId: Types.ObjectId }): Promise<void> {
  await UserModel.updateOne({ _id: props.userId }, { $inc: { tokenVersion: 1 } });
  await revokeAccountTokens(props.userId, ['password_reset', 'signin_link']);
}
