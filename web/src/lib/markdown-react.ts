/**
 * The tree of shared/markdown as React elements, never as HTML: a `<script>`
 * someone types is shown as the text it is. Links go through `classifyLink`
 * (shared/links.ts): the app's own pages client-side, http(s) and mailto
 * addresses as plain links opening in a new tab, anything else (javascript:,
 * data:, `//host`, backslash tricks) as its text only. Written with
 * `createElement` rather than JSX so it runs under the unit tests as it is.
 */
import { createElement as h, type ReactNode } from 'react';
import { Link } from 'react-router';
import { parseBlocks, type Block } from '../../../shared/markdown/blocks.js';
import { parseInline, type Inline, type InlineOptions } from '../../../shared/markdown/inline.js';
import { MENTION_PATTERN } from '../components/discussion/mentions.js';
import { classifyLink } from './links.js';

export interface MarkdownOptions extends InlineOptions {
  /** The heading level of `#` (the page keeps its own h1, and maybe h2). */
  topLevel?: number;
  /** Marks @handles, as the server finds them (comments). */
  mentions?: boolean;
}

type Options = Required<MarkdownOptions>;

/** A text with its @handles marked. */
function withMentions(text: string, key: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(new RegExp(MENTION_PATTERN.source, 'gi'))) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(h('span', { key: `${key}@${match.index}`, className: 'mention' }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** A written link as what `classifyLink` allows: client-side, plain and external, or text. */
function link(href: string, children: ReactNode[], key: string): ReactNode {
  const target = classifyLink(href);
  if (target.kind === 'internal') return h(Link, { key, to: target.to }, ...children);
  if (target.kind === 'external')
    return h(
      'a',
      { key, href: target.href, rel: 'noopener noreferrer nofollow', target: '_blank' },
      ...children,
    );
  return h('span', { key }, ...children);
}

function inlines(nodes: Inline[], options: Options, key: string, inLink = false): ReactNode[] {
  return nodes.flatMap((node, i): ReactNode | ReactNode[] => {
    const k = `${key}.${i}`;
    switch (node.type) {
      case 'text':
        return options.mentions && !inLink ? withMentions(node.text, k) : node.text;
      case 'break':
        return h('br', { key: k });
      case 'code':
        return h('code', { key: k }, node.text);
      case 'strong':
      case 'em':
        return h(node.type, { key: k }, ...inlines(node.children, options, k, inLink));
      case 'strike':
        return h('s', { key: k }, ...inlines(node.children, options, k, inLink));
      case 'link':
        return link(node.href, inlines(node.children, options, k, true), k);
    }
  });
}

function blocks(list: Block[], options: Options, key: string): ReactNode[] {
  return list.map((block, i) => {
    const k = `${key}.${i}`;
    switch (block.type) {
      case 'paragraph':
        return h('p', { key: k }, ...inlines(parseInline(block.text, options), options, k));
      case 'heading': {
        const level = Math.min(6, block.level + options.topLevel - 1);
        return h(`h${level}`, { key: k }, ...inlines(parseInline(block.text, options), options, k));
      }
      case 'list': {
        const items = block.items.map((item, j) =>
          h('li', { key: j }, ...blocks(item, options, `${k}.${j}`)),
        );
        if (!block.ordered) return h('ul', { key: k }, ...items);
        return h('ol', { key: k, start: block.start === 1 ? undefined : block.start }, ...items);
      }
      case 'quote':
        return h('blockquote', { key: k }, ...blocks(block.children, options, k));
      case 'code':
        return h('pre', { key: k }, h('code', null, block.text));
      case 'rule':
        return h('hr', { key: k });
    }
  });
}

/** A Markdown text as React elements, one per block. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): ReactNode[] {
  const { topLevel = 2, breaks = false, mentions = false } = options;
  return blocks(parseBlocks(source), { topLevel, breaks, mentions }, 'b');
}
