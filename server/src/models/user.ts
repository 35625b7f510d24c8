/**
 * A person with an account. Display names are free text (pseudonyms welcome);
 * the email is used only to sign in and for notifications. `tokenVersion`
 * invalidates every session at once when bumped.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { tellPersonWrites } from './person-writes.js';

export interface User {
  _id: Types.ObjectId;
  name: string;
  /** Unique, lowercase; what @mentions refer to. */
  handle: string;
  email: string;
  emailVerifiedAt: Date | null;
  passwordHash: string | null;
  tokenVersion: number;
  /** The profile photo (models/avatar.ts), or null for initials. */
  avatarId: string | null;
  isAdmin: boolean;
  deactivatedAt: Date | null;
  deletedAt: Date | null;
  /** Last sign-in address, masked before it is stored (P4). */
  lastSignInIp: string | null;
  lastSignInAt: Date | null;
  /** The privacy policy version this person last dismissed the change notice of (P16). */
  policyVersionSeen: string | null;
  /** The policy version this person was emailed about, so each change is mailed once. */
  policyNoticeMailedVersion: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<User>(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    handle: { type: String, required: true, unique: true, lowercase: true, trim: true },
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    emailVerifiedAt: { type: Date, default: null },
    passwordHash: { type: String, default: null },
    tokenVersion: { type: Number, default: 0 },
    avatarId: { type: String, default: null },
    isAdmin: { type: Boolean, default: false },
    deactivatedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
    lastSignInIp: { type: String, default: null },
    lastSignInAt: { type: Date, default: null },
    policyVersionSeen: { type: String, default: null },
    policyNoticeMailedVersion: { type: String, default: null },
  },
  { timestamps: true },
);

// What holds this process's copies of people's rights hears of every write (auth/viewers-held.ts).
tellPersonWrites(userSchema, '_id');

export type UserDocument = HydratedDocument<User>;
export const UserModel = model<User>('User', userSchema);
