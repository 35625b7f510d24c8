/**
 * Markdown and the Yjs document of a collaborative text, both ways, without
 * an editor (the server, and the web client when it publishes a draft). The document is the one Tiptap's Collaboration
 * extension keeps (`y-tiptap`): a `Y.XmlFragment` named `default` of
 * ProseMirror nodes (paragraph, heading, bulletList, orderedList, listItem,
 * blockquote, codeBlock, horizontalRule, hardBreak, and in meeting minutes the
 * `minutesBlock` the server inserts) whose text carries marks as attributes
 * (bold, italic, strike, code, link).
 *
 * - `toMarkdown` derives the record's plain field from a document, so REST,
 *   emails, exports and search see the current text.
 * - `seedFromMarkdown` turns a record's existing text into a document's first
 *   state. It writes with a fixed client id, so every process seeding the same
 *   text produces the same Yjs items and seeding twice adds nothing.
 */
import * as Y from 'yjs';
import { isLinkable } from './links.js';

/** The fragment Tiptap's Collaboration extension edits (its default `field`). */
export const FRAGMENT = 'default';

/**
 * A block the server inserts into meeting minutes (a decision, attendance):
 * attributes `kind` and `ref`, ordinary blocks inside. The minutes editor
 * knows it (web/src/collab/minutes-block.ts); Markdown is its content.
 */
export const MINUTES_BLOCK = 'minutesBlock';

type Attrs = Record<string, unknown>;

function inline(text: Y.XmlText): string {
  let out = '';
  for (const part of text.toDelta() as Array<{ insert: unknown; attributes?: Attrs }>) {
    if (typeof part.insert !== 'string') continue;
    const marks = part.attributes ?? {};
    let piece = marks.code ? `\`${part.insert}\`` : escapeInline(part.insert);
    if (marks.bold) piece = `**${piece}**`;
    if (marks.italic) piece = `*${piece}*`;
    if (marks.strike) piece = `~~${piece}~~`;
    const link = marks.link as { href?: unknown } | undefined;
    if (link && typeof link.href === 'string' && isLinkable(link.href))
      piece = `[${piece}](${markdownHref(link.href)})`;
    out += piece;
  }
  return out;
}

/** An address inside `(...)`: parentheses would end it early, so they are percent-encoded. */
function markdownHref(href: string): string {
  return href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function escapeInline(text: string): string {
  return text.replace(/([\\*_`[\]~])/g, '\\$1');
}

/** Text (a name, a title) as Markdown that reads as itself: marks escaped, on one line. */
export function escapeMarkdown(text: string): string {
  return escapeInline(text.replace(/\s+/g, ' ').trim());
}

function inlineChildren(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) =>
      child instanceof Y.XmlText
        ? inline(child)
        : child instanceof Y.XmlElement && child.nodeName === 'hardBreak'
          ? '  \n'
          : '',
    )
    .join('');
}

/** The characters of a text, without its marks. */
export function textOf(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>)
    .map((part) => (typeof part.insert === 'string' ? part.insert : ''))
    .join('');
}

function plainText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? textOf(child) : ''))
    .join('');
}

function blocks(nodes: unknown[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    if (!(node instanceof Y.XmlElement)) continue;
    const block = blockOf(node as Y.XmlElement);
    if (block !== null) out.push(block);
  }
  return out;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : by + line))
    .join('\n');
}

function blockOf(node: Y.XmlElement): string | null {
  switch (node.nodeName) {
    case 'paragraph':
      return inlineChildren(node);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 1));
      return `${'#'.repeat(level)} ${inlineChildren(node)}`;
    }
    case 'blockquote':
      return blocks(node.toArray())
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'bulletList':
    case 'orderedList': {
      const start = Number(node.getAttribute('start')) || 1;
      return node
        .toArray()
        .map((item, i) => {
          const marker = node.nodeName === 'bulletList' ? '- ' : `${start + i}. `;
          const body = item instanceof Y.XmlElement ? blocks(item.toArray()).join('\n\n') : '';
          return marker + indent(body, ' '.repeat(marker.length));
        })
        .join('\n');
    }
    case 'codeBlock': {
      const language = node.getAttribute('language');
      return `\`\`\`${typeof language === 'string' ? language : ''}\n${plainText(node)}\n\`\`\``;
    }
    case 'horizontalRule':
      return '---';
    case MINUTES_BLOCK:
      return blocks(node.toArray()).join('\n\n');
    default:
      return null;
  }
}

/** The document's text as Markdown, blocks separated by blank lines; trailing empty paragraphs dropped. */
export function toMarkdown(doc: Y.Doc): string {
  const parts = blocks(doc.getXmlFragment(FRAGMENT).toArray());
  while (parts.length > 0 && parts[parts.length - 1].trim() === '') parts.pop();
  return parts.join('\n\n');
}

const INLINE =
  /\*\*(.+?)\*\*|\*(.+?)\*|_(.+?)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\\([\\*_`[\]~])/g;

type Op = { insert: string; attributes: Attrs };

/** Markdown inline text as delta operations with their marks (bold, italic, code, links; one level). */
function inlineOps(source: string, marks: Attrs = {}, out: Op[] = []): Op[] {
  let last = 0;
  for (const match of source.matchAll(INLINE)) {
    if (match.index > last)
      out.push({ insert: source.slice(last, match.index), attributes: marks });
    const [, bold, star, underscore, code, label, href, escaped] = match;
    if (bold !== undefined) inlineOps(bold, { ...marks, bold: {} }, out);
    else if (star !== undefined || underscore !== undefined)
      inlineOps(star ?? underscore, { ...marks, italic: {} }, out);
    else if (code !== undefined) out.push({ insert: code, attributes: { ...marks, code: {} } });
    else if (label !== undefined) {
      // Only addresses the web client would show as links become links (shared/links.ts).
      inlineOps(label, isLinkable(href) ? { ...marks, link: { href } } : marks, out);
    } else out.push({ insert: escaped, attributes: marks });
    last = match.index + match[0].length;
  }
  if (last < source.length) out.push({ insert: source.slice(last), attributes: marks });
  return out;
}

/**
 * Appends Markdown inline text to an XmlText in one delta: inserting piece by
 * piece at the end walks the whole text each time (a hostile context of
 * thousands of marks took seconds of the server's only thread).
 */
function appendInline(text: Y.XmlText, source: string): void {
  const ops = inlineOps(source).filter((op) => op.insert !== '');
  text.applyDelta(ops, { sanitize: false });
}

type Parent = Y.XmlFragment | Y.XmlElement;

/** Appends an element to a parent in the document (Yjs types are filled once integrated). */
function append(parent: Parent, name: string, attrs: Attrs = {}): Y.XmlElement {
  const element = new Y.XmlElement(name);
  parent.insert(parent.length, [element]);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string);
  return element;
}

function appendText(parent: Parent, name: string, source: string, attrs: Attrs = {}): void {
  const element = append(parent, name, attrs);
  const text = new Y.XmlText();
  element.insert(0, [text]);
  appendInline(text, source);
}

const LIST_ITEM = /^(\s*)([-*+]|\d+\.)\s+(.*)$/;

/** Parses Markdown into block elements of `parent` (the subset the editor offers; anything else is a paragraph). */
function parseBlocks(parent: Parent, source: string): void {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i += 1;
    } else if (line.startsWith('```')) {
      const language = line.slice(3).trim();
      const body: string[] = [];
      for (i += 1; i < lines.length && !lines[i].startsWith('```'); i += 1) body.push(lines[i]);
      i += 1;
      const element = append(parent, 'codeBlock', language ? { language } : {});
      element.insert(0, [new Y.XmlText(body.join('\n'))]);
    } else if (/^#{1,6}\s/.test(line)) {
      const level = /^#+/.exec(line)?.[0].length ?? 1;
      appendText(parent, 'heading', line.slice(level).trim(), { level });
      i += 1;
    } else if (/^(---|\*\*\*|___)\s*$/.test(line)) {
      append(parent, 'horizontalRule');
      i += 1;
    } else if (line.startsWith('>')) {
      const quoted: string[] = [];
      for (; i < lines.length && lines[i].startsWith('>'); i += 1)
        quoted.push(lines[i].replace(/^>\s?/, ''));
      parseBlocks(append(parent, 'blockquote'), quoted.join('\n'));
    } else if (LIST_ITEM.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const list = append(parent, ordered ? 'orderedList' : 'bulletList');
      for (; i < lines.length && LIST_ITEM.test(lines[i]); i += 1)
        appendText(append(list, 'listItem'), 'paragraph', LIST_ITEM.exec(lines[i])?.[3] ?? '');
    } else {
      const paragraph: string[] = [];
      for (; i < lines.length && lines[i].trim() !== '' && !isBlockStart(lines[i]); i += 1)
        paragraph.push(lines[i].trim());
      appendText(parent, 'paragraph', paragraph.join(' '));
    }
  }
}

function isBlockStart(line: string): boolean {
  return /^(#{1,6}\s|>|```)/.test(line) || LIST_ITEM.test(line);
}

/**
 * Replaces a document's whole text with Markdown in one Yjs transaction: a
 * REST edit of a collaborative field goes into the document this way, so open
 * editors receive it as one update and compaction derives the same text.
 */
export function replaceWithMarkdown(doc: Y.Doc, markdown: string): void {
  const fragment = doc.getXmlFragment(FRAGMENT);
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    parseBlocks(fragment, markdown);
  });
}

/**
 * Appends an element named `name` to `parent` (in a document), its content
 * parsed from Markdown: how the server writes its blocks into minutes.
 */
export function appendMarkdownElement(
  parent: Y.XmlFragment | Y.XmlElement,
  name: string,
  attrs: Record<string, string>,
  markdown: string,
): Y.XmlElement {
  const element = append(parent, name, attrs);
  parseBlocks(element, markdown);
  return element;
}

/** Appends Markdown's blocks to `parent` (in a document). */
export function appendMarkdown(parent: Y.XmlFragment | Y.XmlElement, markdown: string): void {
  parseBlocks(parent, markdown);
}

/** The client id of every seed: the same text seeds the same items on any process. */
export const SEED_CLIENT_ID = 1;

/** A document's first state from a record's Markdown, as a Yjs update (empty text: an empty document). */
export function seedFromMarkdown(markdown: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = SEED_CLIENT_ID;
  doc.transact(() => parseBlocks(doc.getXmlFragment(FRAGMENT), markdown));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
