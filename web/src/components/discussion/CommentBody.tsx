import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { classifyLink } from '../../lib/links.js';
import { MENTION_PATTERN } from './mentions.js';

const TOKENS = new RegExp(
  `${MENTION_PATTERN.source}|(https?://[^\\s<>()]+[^\\s<>().,;:!?'"])`,
  'gi',
);

/** A web address written in a comment: a link only as far as `classifyLink` allows. */
function autolink(address: string, key: number): ReactNode {
  const target = classifyLink(address);
  if (target.kind === 'internal')
    return (
      <Link key={key} to={target.to}>
        {address}
      </Link>
    );
  if (target.kind === 'external')
    return (
      <a key={key} href={target.href} rel="noopener noreferrer nofollow" target="_blank">
        {address}
      </a>
    );
  return address;
}

/**
 * A comment's or context's text as written (line breaks kept), with @mentions
 * marked and web addresses made links (the app's own pages client-side).
 * Nothing is parsed as HTML.
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
      parts.push(autolink(match[0], at));
    }
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <div className={className ?? 'rich-text'}>{parts}</div>;
}
