/**
 * Setting and removing one's profile photo. A new photo is processed
 * (avatar-image.ts: checked by content, stripped of metadata, resized), stored
 * under a new random id, and only then put on the person's record; the photo
 * it replaces is deleted. Removing a photo, deleting the account (P9) and the
 * Data Protection Officer's redaction delete every photo of the person, so
 * none outlives its place on their profile.
 */
import type { Types } from 'mongoose';
import { avatarPath } from '../../../../shared/avatars.js';
import { RATE_RULES, consume, rateLimitKey } from '../../auth/rate-limit.js';
import { NotFoundError } from '../../errors.js';
import { AvatarModel, newAvatarId } from '../../models/avatar.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { AVATAR_CONTENT_TYPE, makeAvatarImages } from './avatar-image.js';

export interface SetAvatarProps {
  user: UserDocument;
  /** The uploaded file, as sent. */
  bytes: Buffer;
  /** The deployment's secret, for the per-person upload counter. */
  secret: string;
}

/** Stores a new photo for the person and returns their record carrying it. */
export async function setAvatar(props: SetAvatarProps): Promise<UserDocument> {
  const userId = props.user._id;
  // Decoding costs CPU: a person may change their photo now and then, not in a loop.
  await consume([rateLimitKey(props.secret, RATE_RULES.avatarUpload, String(userId))]);
  const images = await makeAvatarImages(props.bytes);
  const avatarId = newAvatarId();
  await AvatarModel.create({ _id: avatarId, userId, contentType: AVATAR_CONTENT_TYPE, images });
  const before = await UserModel.findOneAndUpdate(
    { _id: userId, deletedAt: null },
    { $set: { avatarId } },
    { returnDocument: 'before' },
  );
  if (!before) {
    await AvatarModel.deleteOne({ _id: avatarId });
    throw NotFoundError('User not found');
  }
  if (before.avatarId) await AvatarModel.deleteOne({ _id: before.avatarId });
  before.avatarId = avatarId;
  return before;
}

/**
 * Takes the person's photo off their profile and deletes every stored photo
 * of theirs; returns how many there were (0 when they had none).
 */
export async function removeAvatars(userId: Types.ObjectId): Promise<number> {
  await UserModel.updateOne({ _id: userId }, { $set: { avatarId: null } });
  const { deletedCount } = await AvatarModel.deleteMany({ userId });
  return deletedCount;
}

/**
 * One's photo as the personal data export shows it (P2): the sizes stored
 * and the largest of them itself, as a `data:` URL, so the export holds
 * exactly what Quorum keeps. Null without a photo.
 */
export async function exportAvatar(user: Pick<UserDocument, 'avatarId'>) {
  const avatar = user.avatarId ? await AvatarModel.findById(user.avatarId) : null;
  if (!avatar) return null;
  const largest = [...avatar.images].sort((a, b) => b.size - a.size)[0];
  return {
    url: avatarPath(avatar._id),
    contentType: avatar.contentType,
    sizes: avatar.images.map((image) => image.size).sort((a, b) => a - b),
    uploadedAt: avatar.createdAt.toISOString(),
    image: largest ? `data:${avatar.contentType};base64,${largest.data.toString('base64')}` : null,
  };
}

/**
 * Start-up: profiles from before uploads had an `avatarUrl`, a path typed in
 * by hand that Quorum never served. It is dropped (the person's initials show
 * until they upload a photo), so no stale profile field lingers in the database.
 */
export async function dropAvatarPaths(): Promise<void> {
  await UserModel.collection.updateMany(
    { avatarUrl: { $exists: true } },
    { $unset: { avatarUrl: '' } },
  );
}
