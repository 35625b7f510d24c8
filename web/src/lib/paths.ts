/**
 * Where a group lives in the client. Open and closed groups are reached by
 * their handle; a secret group has none (so nobody can confirm it exists by
 * guessing one) and is reached by its id. The server accepts either.
 */
export function groupPath(group: { id: string; handle: string | null }): string {
  return `/g/${encodeURIComponent(group.handle ?? group.id)}`;
}
