import type { ReactNode } from 'react';
import { MENTION_PATTERN } from './mentions.js';

const TOKENS = new RegExp(
  `${MENTION_PATTERN.source}|(https?://[^\\s<>()]+[^\\s<>().,;:!?'"])`,
  'gi',
);

/**
 * A comment's or context's text as written (line breaks kept), with @mentions
 * marked and web addresses made links. Nothing is parsed as HTML.
 */
export function RichText({ text, className }: { text: string; className?: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKENS)) {
    const at = match.index;
    if (at > last) parts.push(text.slice(last, at));
    if (match[1] !== undefined) {
      parts.push(
        <span key={at} className="mention">
          {match[0]}
        </span>,
      );
    } else {
      parts.push(
        <a key={at} href={match[0]} rel="noopener noreferrer nofollow" target="_blank">
          {match[0]}
        </a>,
      );
    }
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <div className={className ?? 'rich-text'}>{parts}</div>;
}
