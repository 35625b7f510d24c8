/**
 * Single-use tokens sent by email: email verification, password reset and
 * sign-in links. Only a SHA-256 hash of the token is stored, so a copy of the
 * database cannot be used to sign in; the token is consumed by deleting it
 * (atomically, so it works once) and a TTL index removes expired ones.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'password_reset', 'signin_link'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

export interface AccountToken {
  _id: Types.ObjectId;
  /** Hex SHA-256 of the token sent by email. */
  tokenHash: string;
  purpose: AccountTokenPurpose;
  userId: Types.ObjectId;
  /** The address the token was sent to; a token dies if the account's email changes. */
  email: string;
  expiresAt: Date;
  createdAt: Date;
}

const accountTokenSchema = new Schema<AccountToken>(
  {
    tokenHash: { type: String, required: true, unique: true },
    purpose: { type: String, required: true, enum: ACCOUNT_TOKEN_PURPOSES },
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    email: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

accountTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
accountTokenSchema.index({ userId: 1, purpose: 1 });

export type AccountTokenDocument = HydratedDocument<AccountToken>;
export const AccountTokenModel = model<AccountToken>('AccountToken', accountTokenSchema);
