/**
 * @mentions in the composer: finding the handle being typed at the caret,
 * ranking people for it, and putting the chosen `@handle` in its place. The
 * pattern follows the server's (server/src/commands/comments/mentions.ts): an
 * `@` not preceded by a word character, `@` or `.`, then the handle.
 */
import type { UserSummaryDto } from '../../../../shared/dto.js';

/** The same shape the server extracts mentions with. */
export const MENTION_PATTERN = /(?<![\w@.])@([a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?)/gi;

export interface MentionQuery {
  /** Index of the `@` in the text. */
  start: number;
  /** What follows the `@` up to the caret, lowercased. */
  query: string;
}

/** The mention being typed just before the caret, if any. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|[^\w@.])@([a-z0-9_.-]{0,64})$/i.exec(before);
  if (!match) return null;
  return { start: caret - match[1].length - 1, query: match[1].toLowerCase() };
}

/** People worth suggesting for `query`: active, with a handle, handle matches first; at most `limit`. */
export function rankCandidates(
  people: readonly UserSummaryDto[],
  query: string,
  limit = 6,
): UserSummaryDto[] {
  const scored: { person: UserSummaryDto; score: number }[] = [];
  for (const person of people) {
    if (person.status !== 'active' || !person.handle) continue;
    const handle = person.handle.toLowerCase();
    const name = person.name.toLowerCase();
    let score: number;
    if (query === '' || handle.startsWith(query)) score = 0;
    else if (name.split(/\s+/).some((word) => word.startsWith(query))) score = 1;
    else if (handle.includes(query) || name.includes(query)) score = 2;
    else continue;
    scored.push({ person, score });
  }
  scored.sort((a, b) => a.score - b.score || a.person.name.localeCompare(b.person.name));
  return scored.slice(0, limit).map((s) => s.person);
}

/** The text with the mention at `at` replaced by `@handle ` and where the caret goes after it. */
export function insertMention(
  text: string,
  at: MentionQuery,
  caret: number,
  handle: string,
): { text: string; caret: number } {
  const inserted = `@${handle} `;
  const rest = text.slice(caret).replace(/^\s+/, '');
  return {
    text: text.slice(0, at.start) + inserted + rest,
    caret: at.start + inserted.length,
  };
}

/** People by id, first seen wins (so a list can be merged from several sources). */
export function uniquePeople(lists: readonly (readonly UserSummaryDto[])[]): UserSummaryDto[] {
  const seen = new Map<string, UserSummaryDto>();
  for (const list of lists) for (const p of list) if (!seen.has(p.id)) seen.set(p.id, p);
  return [...seen.values()];
}
