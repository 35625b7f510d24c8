/**
 * Turns an uploaded photo into what Quorum stores: square WebP images of each
 * size in shared/avatars.ts, made from the pixels alone.
 *
 * - The type is read from the file's first bytes (JPEG, PNG or WebP), never
 *   from its name or the declared Content-Type, and the decoder must agree.
 *   Nothing else reaches the decoder (no SVG, no TIFF, no HEIF).
 * - Decoding is bounded: at most {@link AVATAR_MAX_PIXELS}, so a small file
 *   that expands into a gigantic picture is refused before it is decoded.
 * - The photo is turned upright by its EXIF orientation, cropped to a centred
 *   square and re-encoded. The encoder writes no metadata: EXIF (camera,
 *   date, GPS location), XMP, IPTC, comments and the ICC profile (the pixels
 *   are converted to sRGB first) are all dropped. This is a privacy promise
 *   (README, "Privacy by design"); the tests read the stored bytes to hold it.
 *
 * sharp (libvips) does the work: it installs from the npm registry with a
 * prebuilt binary for each platform, so no compiler is needed.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import {
  type AVATAR_INPUT_TYPES,
  AVATAR_MAX_PIXELS,
  AVATAR_SIZES,
  type AvatarSize,
} from '../../../../shared/avatars.js';
import type { AvatarImage } from '../../models/avatar.js';
import {
  AvatarTooLargeError,
  AvatarUnreadableError,
  AvatarUnsupportedTypeError,
} from './errors.js';

export type AvatarInputType = (typeof AVATAR_INPUT_TYPES)[number];

/** The encoding every stored size is written in. */
export const AVATAR_CONTENT_TYPE = 'image/webp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type the bytes begin with, or null when they are none of the accepted ones. */
export function sniffImageType(bytes: Buffer): AvatarInputType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/** What sharp calls each accepted type. */
const SHARP_FORMAT: Record<AvatarInputType, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Decoder options: bounded, tolerant of the small flaws many cameras write, first frame only. */
const INPUT = { limitInputPixels: AVATAR_MAX_PIXELS, failOn: 'error', pages: 1 } as const;

/** The largest stored size; the smaller ones are made from it. */
const LARGEST = Math.max(...AVATAR_SIZES) as AvatarSize;

/**
 * The stored images of one upload, largest first. Throws `avatar_unsupported_type`,
 * `avatar_too_large` or `avatar_unreadable` (all on the field `file`).
 */
export async function makeAvatarImages(bytes: Buffer): Promise<AvatarImage[]> {
  const type = sniffImageType(bytes);
  if (!type) throw AvatarUnsupportedTypeError();
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { ...INPUT, limitInputPixels: false }).metadata();
  } catch {
    throw AvatarUnreadableError();
  }
  if (metadata.format !== SHARP_FORMAT[type]) throw AvatarUnsupportedTypeError();
  if (!metadata.width || !metadata.height) throw AvatarUnreadableError();
  if (metadata.width * metadata.height > AVATAR_MAX_PIXELS) throw AvatarTooLargeError();

  let square: { data: Buffer; info: OutputInfo };
  try {
    square = await sharp(bytes, { ...INPUT, autoOrient: true })
      .resize(LARGEST, LARGEST, { fit: 'cover', position: 'centre' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw AvatarUnreadableError();
  }
  const { width, height, channels } = square.info;
  const images: AvatarImage[] = [];
  for (const size of [...AVATAR_SIZES].sort((a, b) => b - a)) {
    const data = await sharp(square.data, { raw: { width, height, channels } })
      .resize(size, size)
      .webp({ quality: 82, alphaQuality: 90 })
      .toBuffer();
    images.push({ size, data });
  }
  return images;
}
