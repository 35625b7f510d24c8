/**
 * The blocks of the Markdown people write in Quorum (contexts, comments, vote
 * reasons, outcomes, the privacy policy): paragraphs, headings, bulleted and
 * numbered lists (nested by indentation), quotes, fenced code and rules. It is
 * the common subset of CommonMark, read leniently (a list may follow a line of
 * text without a blank line; two spaces of indentation nest under a `1.`).
 *
 * Everything written here is someone else's input, so the parser is built for
 * hostile text: it never builds HTML (the web client renders the tree as React
 * elements), containers nest at most {@link MAX_DEPTH} deep (deeper markers are
 * shown as text), and every step is linear in the input, so a huge or
 * pathological text costs its length and no more.
 *
 * Inline text (bold, links...) stays a string here: see inline.ts.
 */

export type Block =
  /** `text` is inline Markdown, its lines joined by `\n`. */
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: number; text: string }
  /** Each item is a list of blocks; `start` is the first number of a numbered list. */
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'code'; text: string; language: string }
  | { type: 'rule' };

/** How deep quotes and lists nest; markers beyond are text. */
export const MAX_DEPTH = 8;

const LIST_ITEM = /^( *)([-+*]|(\d{1,9})([.)]))( +|$)/;
const FENCE = /^ *(`{3,}|~{3,})\s*([\w+#.-]{0,40})/;
const HEADING = /^ *(#{1,6})(?:[ \t]+|$)/;
const RULE = /^ *([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ *>/;

const isBlank = (line: string) => line.trim() === '';
const indentOf = (line: string) => line.length - line.trimStart().length;

interface ListMarker {
  ordered: boolean;
  /** The bullet (`-`, `+`, `*`) or the delimiter after the number (`.`, `)`). */
  kind: string;
  start: number;
  /** Where the item's text starts: continuation lines indented this far belong to it. */
  contentIndent: number;
  rest: string;
}

function listMarker(line: string): ListMarker | null {
  const m = LIST_ITEM.exec(line);
  if (!m) return null;
  const ordered = m[3] !== undefined;
  const spaces = m[5].length;
  const markerEnd = m[1].length + m[2].length;
  // Five or more spaces after the marker: the item's text starts after one of them.
  const contentIndent = spaces === 0 || spaces > 4 ? markerEnd + 1 : markerEnd + spaces;
  return {
    ordered,
    kind: ordered ? m[4] : m[2],
    start: ordered ? Number(m[3]) : 1,
    contentIndent,
    rest: line.slice(Math.min(line.length, contentIndent)),
  };
}

/** Whether a line starts a block of its own, ending a paragraph before it. */
function interrupts(line: string): boolean {
  if (FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line)) return true;
  const marker = listMarker(line);
  // As in CommonMark, only a list that starts at 1 (or a bullet) cuts into a paragraph.
  return marker !== null && marker.rest.trim() !== '' && (!marker.ordered || marker.start === 1);
}

/** Lines of a quote (`>` stripped) from `i`, lazy continuation lines included. */
function quoteLines(lines: string[], i: number): { body: string[]; next: number } {
  const body: string[] = [];
  let lastWasText = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (QUOTE.test(line)) {
      const inner = line.replace(/^ *> ?/, '');
      body.push(inner);
      lastWasText = !isBlank(inner);
    } else if (lastWasText && !isBlank(line) && !interrupts(line)) {
      body.push(line);
    } else break;
  }
  return { body, next: i };
}

/** One list from `i`: its items' lines (de-indented) and where it ends. */
function listItems(
  lines: string[],
  i: number,
  first: ListMarker,
): { items: string[][]; next: number } {
  const items: string[][] = [];
  while (i < lines.length) {
    const marker = listMarker(lines[i]);
    if (!marker || marker.ordered !== first.ordered || marker.kind !== first.kind) break;
    const item = [marker.rest];
    // Two spaces nest under any marker, as people indent under `1.` in practice.
    const nests = Math.min(marker.contentIndent, 2);
    let blank = false;
    let lastWasText = marker.rest.trim() !== '';
    for (i += 1; i < lines.length; i++) {
      const line = lines[i];
      if (isBlank(line)) {
        item.push('');
        blank = true;
        lastWasText = false;
        continue;
      }
      const indent = indentOf(line);
      if (indent >= nests) {
        item.push(line.slice(Math.min(indent, marker.contentIndent)));
      } else if (!blank && lastWasText && !interrupts(line) && listMarker(line) === null) {
        item.push(line.trimStart()); // a lazy continuation of the item's paragraph
      } else break;
      blank = false;
      lastWasText = true;
    }
    while (item.length > 1 && isBlank(item[item.length - 1])) item.pop();
    items.push(item);
  }
  // Blank lines that ended the last item belong to no one.
  return { items, next: i };
}

function parseLines(lines: string[], depth: number): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const mark = fence[1];
      const end = new RegExp(`^ *${mark[0] === '`' ? '`' : '~'}{${mark.length},}\\s*$`);
      const body: string[] = [];
      for (i += 1; i < lines.length && !end.test(lines[i]); i++) body.push(lines[i]);
      i += 1;
      blocks.push({ type: 'code', text: body.join('\n'), language: fence[2] });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const text = line.slice(heading[0].length).replace(/[ \t]+#+[ \t]*$|^#+[ \t]*$/, '');
      blocks.push({ type: 'heading', level: heading[1].length, text: text.trim() });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    const marker = listMarker(line);
    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const { body, next } = quoteLines(lines, i);
      blocks.push({ type: 'quote', children: parseLines(body, depth + 1) });
      i = next;
      continue;
    }
    if (depth < MAX_DEPTH && marker) {
      const { items, next } = listItems(lines, i, marker);
      blocks.push({
        type: 'list',
        ordered: marker.ordered,
        start: marker.start,
        items: items.map((item) => parseLines(item, depth + 1)),
      });
      i = next;
      continue;
    }
    // A paragraph: this line, then every line up to a blank one or the start of another block.
    // Trailing spaces stay: two of them before a line break make it a break (inline.ts).
    const text = [line.trimStart()];
    for (i += 1; i < lines.length && !isBlank(lines[i]) && !interrupts(lines[i]); i++)
      text.push(lines[i].trimStart());
    blocks.push({ type: 'paragraph', text: text.join('\n').trimEnd() });
  }
  return blocks;
}

/** The blocks of a Markdown text (tabs at the start of a line count as four spaces). */
export function parseBlocks(markdown: string): Block[] {
  const lines = markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/^[ \t]+/, (lead) => lead.replace(/\t/g, '    ')));
  return parseLines(lines, 0);
}
