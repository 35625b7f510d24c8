/**
 * What a Markdown text says without its markup, for places that show plain
 * text: notification emails quote comments and outcomes this way (a link as
 * "label (address)", only when shared/links.ts would make it a link at all),
 * and the server finds @mentions in the words people can see, not in code or
 * in the address of a link, so what notifies someone is what the page marks
 * as a mention.
 */
import { isLinkable } from '../links.js';
import { parseBlocks, type Block } from './blocks.js';
import { parseInline, type Inline, type InlineOptions } from './inline.js';

function inlineText(nodes: Inline[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'code':
        out += node.text;
        break;
      case 'break':
        out += '\n';
        break;
      case 'link': {
        const label = inlineText(node.children);
        if (!isLinkable(node.href) || node.auto || label === node.href) out += label;
        else out += `${label} (${node.href})`;
        break;
      }
      default:
        out += inlineText(node.children);
    }
  }
  return out;
}

/** Indents every line after the first (a list item's later lines under its text). */
const hang = (text: string, by: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : by + line))
    .join('\n');

function blockText(block: Block, options: InlineOptions): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(parseInline(block.text, options));
    case 'code':
      return block.text;
    case 'rule':
      return '---';
    case 'quote':
      return blocksText(block.children, options)
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${block.start + i}. ` : '- ';
          const body = item.map((b) => blockText(b, options)).join('\n');
          return marker + hang(body, ' '.repeat(marker.length));
        })
        .join('\n');
  }
}

function blocksText(blocks: Block[], options: InlineOptions): string {
  return blocks.map((block) => blockText(block, options)).join('\n\n');
}

/**
 * A Markdown text as readable plain text: emphasis and code marks dropped,
 * lists and quotes kept as their markers, links as "label (address)".
 */
export function markdownToPlainText(markdown: string, options: InlineOptions = {}): string {
  return blocksText(parseBlocks(markdown), options);
}

function visibleWords(nodes: Inline[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'break') out += '\n';
    else if (node.type === 'code' || node.type === 'link') out += ' ';
    else out += visibleWords(node.children);
  }
  return out;
}

function blockWords(block: Block): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return visibleWords(parseInline(block.text));
    case 'quote':
      return block.children.map(blockWords).join('\n');
    case 'list':
      return block.items.map((item) => item.map(blockWords).join('\n')).join('\n');
    default:
      return '';
  }
}

/**
 * The words of a text where a mention can be: its plain text without code
 * (inline or fenced) and without links, each of those left as a space.
 */
export function mentionableText(markdown: string): string {
  return parseBlocks(markdown).map(blockWords).join('\n');
}
