/**
 * Pagination for every list: `?limit=` (1-100, default 50) and an opaque
 * `?cursor=` returned as `nextCursor` by the previous page.
 */
import { z } from 'zod';

export const paginationSchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export type PageRequest = z.infer<typeof paginationSchema>;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows, deriving the cursor from the last row shown. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  cursorOf: (row: R) => string,
): Page<T> {
  const shown = rows.slice(0, limit);
  return {
    items: shown.map(present),
    nextCursor: rows.length > limit && shown.length > 0 ? cursorOf(shown[shown.length - 1]) : null,
  };
}
