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

/** A person's picture, or their initials on a colour of their own; decorative (the name is always beside it). */
export function Avatar({ user, size = 32 }: { user: UserSummaryDto; size?: number }) {
  const gone = user.status !== 'active';
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{
        width: size,
        height: size,
        fontSize: size * 0.4,
        background: gone ? '#8d9692' : colorOf(user.id),
      }}
    >
      {user.avatarUrl && !gone ? (
        <img src={user.avatarUrl} alt="" />
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
