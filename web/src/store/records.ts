/**
 * How every slice takes records in: one upsert path for API responses and
 * socket events alike. A record older than the one held (by `updatedAt`) is
 * ignored, so a slow response can never roll back a newer live update.
 */
export type ById<T> = Readonly<Record<string, T>>;

interface Versioned {
  id: string;
  updatedAt?: string;
}

/** True when `incoming` should replace `held`: nothing held, or not older. */
export function isFresh(held: Versioned | undefined, incoming: Versioned): boolean {
  if (!held || held.updatedAt === undefined || incoming.updatedAt === undefined) return true;
  return Date.parse(incoming.updatedAt) >= Date.parse(held.updatedAt);
}

/** A new map with the fresh ones of `records` upserted; the same map when nothing changed. */
export function upsertAll<T extends Versioned>(byId: ById<T>, records: readonly T[]): ById<T> {
  let next: Record<string, T> | null = null;
  for (const record of records) {
    const held = (next ?? byId)[record.id];
    if (held === record || !isFresh(held, record)) continue;
    next ??= { ...byId };
    next[record.id] = record;
  }
  return next ?? byId;
}

/** A new map without `id`; the same map when it was not there. */
export function removeOne<T>(byId: ById<T>, id: string): ById<T> {
  if (!(id in byId)) return byId;
  const next = { ...byId };
  delete next[id];
  return next;
}
