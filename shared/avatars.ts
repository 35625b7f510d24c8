/**
 * Profile photos, as the server stores them and the web client shows them.
 * A photo is uploaded once (`PUT /api/me/avatar`, the image's bytes), checked
 * by its content, stripped of every kind of metadata and stored in a few
 * square sizes; people's records then carry `avatarUrl`, the address of the
 * middle size on Quorum's own origin, from which the other sizes follow.
 */

/** The square sizes (pixels) a photo is stored in. */
export const AVATAR_SIZES = [64, 128, 256] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/** The size `avatarUrl` points at. */
export const AVATAR_DEFAULT_SIZE: AvatarSize = 128;

/** The largest upload accepted, in bytes (5 MB). */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

/** The largest picture accepted, in pixels (a bigger one could exhaust memory when decoded). */
export const AVATAR_MAX_PIXELS = 50_000_000;

/** What a photo may be, recognised by its content, never by its name or declared type. */
export const AVATAR_INPUT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** Where a stored photo is served, in one size: always on Quorum's own origin. */
export const avatarPath = (avatarId: string, size: AvatarSize = AVATAR_DEFAULT_SIZE) =>
  `/api/avatars/${encodeURIComponent(avatarId)}/${size}`;

/**
 * The same photo in another size, from a person's `avatarUrl`; null when the
 * address is not one of Quorum's avatars.
 */
export function avatarAt(avatarUrl: string, size: AvatarSize): string | null {
  const match = /^\/api\/avatars\/([^/]+)\/\d+$/.exec(avatarUrl);
  return match ? `/api/avatars/${match[1]}/${size}` : null;
}

/** The smallest stored size that stays sharp at `cssPixels` on a screen of `density`. */
export function avatarSizeFor(cssPixels: number, density = 1): AvatarSize {
  const wanted = cssPixels * density;
  return AVATAR_SIZES.find((size) => size >= wanted) ?? AVATAR_SIZES[AVATAR_SIZES.length - 1];
}
