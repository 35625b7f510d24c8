/**
 * Handles: the unique, lowercase names @mentions refer to. People may pick one
 * or get one derived from their display name; display names themselves are
 * free text (pseudonyms welcome, P7), only the handle has a shape.
 */
import { randomInt } from 'node:crypto';
import { UserModel } from '../../models/user.js';

/** 2 to 30 lowercase letters, digits or underscores. */
export const HANDLE_PATTERN = /^[a-z0-9_]{2,30}$/;

/** Words that would read as something other than a person in a mention or a URL. */
const RESERVED = new Set([
  'admin',
  'administrator',
  'all',
  'api',
  'everyone',
  'here',
  'me',
  'moderator',
  'quorum',
  'root',
  'security',
  'staff',
  'support',
  'system',
]);

export function isReservedHandle(handle: string): boolean {
  return RESERVED.has(handle);
}

/** The handle a name suggests: "Zoë O'Brien" -> "zoeobrien"; "member" when nothing usable remains. */
export function baseHandle(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 20);
  return base.length >= 2 ? base : 'member';
}

/**
 * A handle derived from `name` that nobody has yet: the base itself, else the
 * base with a random number. Uniqueness is finally enforced by the index; the
 * caller retries on a collision with a concurrent sign-up.
 */
export async function availableHandle(name: string): Promise<string> {
  const base = baseHandle(name);
  const candidates = [
    base,
    ...Array.from({ length: 4 }, () => `${base}${randomInt(10, 10_000)}`),
    `${base}${randomInt(100_000, 100_000_000)}`,
  ].filter((c) => HANDLE_PATTERN.test(c) && !isReservedHandle(c));
  for (const candidate of candidates) {
    if (!(await UserModel.exists({ handle: candidate }))) return candidate;
  }
  return `${base}${randomInt(100_000_000, 1_000_000_000)}`;
}
