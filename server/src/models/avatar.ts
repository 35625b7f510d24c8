/**
 * A person's profile photo, in the database rather than on a disk beside it,
 * so that a backup holds it with everything else (P14) and every process
 * behind a load balancer serves it. One document per photo holds each stored
 * size (shared/avatars.ts), already re-encoded and stripped of metadata:
 * nothing of the uploaded file but its pixels is ever kept.
 *
 * The `_id` is random (128 bits), not the person's id: it is the photo's
 * address (`/api/avatars/:id/:size`), which only those shown the person's
 * profile learn, and a new photo gets a new address, so caches never show an
 * old one. Replacing or removing a photo deletes its document; so do deleting
 * the account (P9) and the Data Protection Officer's redaction.
 */
import { randomBytes } from 'node:crypto';
import { Schema, model, type Types } from 'mongoose';
import { AVATAR_SIZES, type AvatarSize } from '../../../shared/avatars.js';

export interface AvatarImage {
  size: AvatarSize;
  data: Buffer;
}

export interface Avatar {
  _id: string;
  userId: Types.ObjectId;
  /** The stored encoding of every size (`image/webp`). */
  contentType: string;
  images: AvatarImage[];
  createdAt: Date;
}

/** A new photo's id: 22 characters of base64url, unguessable. */
export const newAvatarId = () => randomBytes(16).toString('base64url');

/** What an avatar id looks like; anything else is not looked up. */
export const AVATAR_ID = /^[A-Za-z0-9_-]{22}$/;

const avatarSchema = new Schema<Avatar>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    contentType: { type: String, required: true },
    images: [
      {
        _id: false,
        size: { type: Number, enum: AVATAR_SIZES, required: true },
        data: { type: Buffer, required: true },
      },
    ],
  },
  { versionKey: false, collection: 'avatars', timestamps: { createdAt: true, updatedAt: false } },
);

export const AvatarModel = model<Avatar>('Avatar', avatarSchema);
