/**
 * A deliberately small Markdown renderer (the privacy policy, discussion contexts, meeting
 * minutes): headings, paragraphs, bullet and numbered lists, bold, emphasis, links and
 * backslash escapes (as collaborative texts write them), built as React elements
 * (never HTML strings), so nothing in the policy file can inject markup or
 * script. Links go through `classifyLink` (lib/links.ts): the app's own pages
 * client-side, http(s) and mailto addresses as plain links, anything else
 * (javascript:, data:, `//host`, backslash tricks) as plain text.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { classifyLink } from '../lib/links.js';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[]; ordered: boolean };

/** Splits Markdown into blocks: `#` headings, `-`/`*` and `1.` list items, and paragraphs between blank lines. */
export function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  let ordered = false;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
    if (list) blocks.push({ kind: 'list', items: list, ordered });
    list = null;
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^(?:[-*+]|(\d{1,9})\.)\s+(.*)$/.exec(line);
    if (line === '') flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2] });
    } else if (item) {
      const numbered = item[1] !== undefined;
      if (paragraph.length > 0 || !list || numbered !== ordered) flush();
      ordered = numbered;
      list ??= [];
      list.push(item[2]);
    } else if (list && paragraph.length === 0 && /^\s/.test(raw)) {
      // An indented continuation of the last list item.
      list[list.length - 1] += ` ${line}`;
    } else {
      if (list) flush();
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

const INLINE =
  /\\([\\*_`[\]~])|\*\*(.{1,2000}?)\*\*|__(.{1,2000}?)__|\[([^\]]{1,500})\]\(([^)\s]{1,2048})\)|(?<![\w*\\])\*(?!\s)(.{1,2000}?)\*(?!\w)|(?<![\w\\])_(?!\s)(.{1,2000}?)_(?!\w)/g;

/** A written link as what `classifyLink` allows: client-side, plain and external, or text. */
function link(text: string, href: string, key: number): ReactNode {
  const target = classifyLink(href);
  if (target.kind === 'internal')
    return (
      <Link key={key} to={target.to}>
        {text}
      </Link>
    );
  if (target.kind === 'external')
    return (
      <a key={key} href={target.href} rel="noopener noreferrer nofollow">
        {text}
      </a>
    );
  return text;
}

/** Inline Markdown (bold, emphasis, links) as React nodes. */
export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const [, escaped, bold1, bold2, linkText, href, em1, em2] = m;
    if (escaped !== undefined) out.push(escaped);
    else if (bold1 ?? bold2) out.push(<strong key={key++}>{inline(bold1 ?? bold2)}</strong>);
    else if (linkText !== undefined) out.push(link(linkText, href, key++));
    else out.push(<em key={key++}>{inline(em1 ?? em2)}</em>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * Renders Markdown. Headings start at `topLevel` (the page keeps its own
 * h1), so a policy's `#` becomes an h2 by default.
 */
export function Markdown({ source, topLevel = 2 }: { source: string; topLevel?: number }) {
  return (
    <>
      {parseBlocks(source).map((block, i) => {
        if (block.kind === 'list') {
          const List = block.ordered ? 'ol' : 'ul';
          return (
            <List key={i}>
              {block.items.map((item, j) => (
                <li key={j}>{inline(item)}</li>
              ))}
            </List>
          );
        }
        if (block.kind === 'paragraph') return <p key={i}>{inline(block.text)}</p>;
        const level = Math.min(6, block.level + topLevel - 1);
        const Heading = `h${level}` as 'h2';
        return <Heading key={i}>{inline(block.text)}</Heading>;
      })}
    </>
  );
}
