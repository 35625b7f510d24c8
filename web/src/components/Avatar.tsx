import { useState } from 'react';
import { avatarAt, avatarSizeFor } from '../../../shared/avatars.js';
import type { UserSummaryDto } from '../../../shared/dto.js';

const COLORS = [
  '#2f5d50',
  '#7a4e9c',
  '#b85c38',
  '#2d6a8f',
  '#8a6d1f',
  '#9c3d5c',
  '#3f6f2a',
  '#5a5f9e',
];

function colorOf(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length];
}

function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** The photo's address at the stored size that stays sharp at `size` CSS pixels, 1× to 3×. */
function sources(avatarUrl: string, size: number): { src: string; srcSet: string | undefined } {
  const at = (density: number) => avatarAt(avatarUrl, avatarSizeFor(size, density));
  const src = at(1);
  if (!src) return { src: avatarUrl, srcSet: undefined };
  return { src, srcSet: `${src} 1x, ${at(2)!} 2x, ${at(3)!} 3x` };
}

/**
 * A person's photo, or their initials on a colour of their own (also while
 * the photo cannot be loaded); decorative, the name is always beside it.
 * `preview` shows a picture not uploaded yet (a `data:` URL) instead.
 */
export function Avatar({
  user,
  size = 32,
  preview,
}: {
  user: UserSummaryDto;
  size?: number;
  preview?: string;
}) {
  const gone = user.status !== 'active';
  const [failed, setFailed] = useState<string | null>(null);
  const photo = preview ?? (user.avatarUrl && !gone ? user.avatarUrl : null);
  const shown = photo && photo !== failed ? photo : null;
  const image = shown && (preview ? { src: preview, srcSet: undefined } : sources(shown, size));
  return (
    <span
      className="avatar"
      aria-hidden="true"
      data-photo={image ? '' : undefined}
      style={{
        width: size,
        height: size,
        fontSize: size * 0.4,
        background: gone ? '#8d9692' : colorOf(user.id),
      }}
    >
      {image ? (
        <img
          src={image.src}
          srcSet={image.srcSet}
          alt=""
          width={size}
          height={size}
          decoding="async"
          onError={() => setFailed(shown)}
        />
      ) : gone ? (
        '–'
      ) : (
        initialsOf(user.name)
      )}
    </span>
  );
}

/** How a person is named everywhere: deactivated and deleted accounts as such. */
export function displayName(user: UserSummaryDto): string {
  if (user.status === 'deactivated') return 'Deactivated account';
  if (user.status === 'deleted') return 'Deleted account';
  return user.name;
}
