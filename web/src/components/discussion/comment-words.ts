/**
 * How a comment is named where an action on it must say which one: whose it
 * is and how it begins ("Delete Ada Lovelace’s comment “The roof leaks…”?").
 */

/** The start of a comment as plain words: Markdown marks dropped, cut at a word, at most `max` characters. */
export function excerpt(body: string, max = 40): string {
  const plain = body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:>+|#{1,6}|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|\*|_|`|~~)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** "your" for one's own comment, else "Ada Lovelace’s". */
export function whose(authorName: string, mine: boolean): string {
  if (mine) return 'your';
  return `${authorName}’${authorName.endsWith('s') ? '' : 's'}`;
}

/** "Ada Lovelace’s comment “The roof leaks…”", or "your comment …". */
export function commentTarget(authorName: string, mine: boolean, body: string): string {
  const start = excerpt(body);
  return start === ''
    ? `${whose(authorName, mine)} comment`
    : `${whose(authorName, mine)} comment “${start}”`;
}
