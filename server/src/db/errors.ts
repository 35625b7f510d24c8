/**
 * Recognising database errors the application handles on purpose, the same on
 * the embedded engine and on MongoDB.
 */

/**
 * Whether a write failed on a unique index (MongoDB error 11000), optionally one
 * covering `field`: how idempotent writes and uniqueness checks detect a lost race.
 */
export function isDuplicateKey(error: unknown, field?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, keyPattern } = error as { code?: unknown; keyPattern?: Record<string, unknown> };
  if (code !== 11000) return false;
  return field === undefined || (keyPattern !== undefined && field in keyPattern);
}
