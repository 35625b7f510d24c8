/**
 * Inline Markdown: **bold**, *italics* (or _italics_), ~~struck~~, `code`,
 * [links](https://example.org), bare web addresses, and line breaks. The
 * result is a tree of plain data; what a link may become is decided where it
 * is shown (shared/links.ts), never here.
 *
 * Built for hostile text like blocks.ts: emphasis nests at most
 * {@link MAX_INLINE_DEPTH} deep, and each delimiter finds its partner by a
 * binary search over an index built once per text (no regular expression
 * backtracks over the input), so the cost stays close to linear however many
 * unmatched `*`, `[` or backticks a text holds.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'strike'; children: Inline[] }
  | { type: 'code'; text: string }
  /** `href` as written; `auto` when the text was a bare address. */
  | { type: 'link'; href: string; children: Inline[]; auto?: true }
  | { type: 'break' };

export interface InlineOptions {
  /** Every line break is a break (comments, reasons); otherwise only `  \n` and `\\\n` are. */
  breaks?: boolean;
}

/** How deep emphasis and links nest; deeper markers are text. */
export const MAX_INLINE_DEPTH = 6;
/** Longer link labels are not links anyone writes. */
const MAX_LABEL = 1000;
/** As shared/links.ts: longer addresses are never links. */
const MAX_HREF = 2048;

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/;
const AUTOLINK = /https?:\/\/[^\s<>"'`\\]+/y;

type Delimiter = '*' | '_' | '~';

/** Where runs of a delimiter of one length may close, sorted, per `char + length`. */
interface Index {
  closers: Map<string, number[]>;
  /** Backtick runs by length: their starts, sorted. */
  ticks: Map<number, number[]>;
}

function runLength(source: string, at: number): number {
  let end = at;
  while (source[end] === source[at]) end++;
  return end - at;
}

function canClose(source: string, at: number, length: number): boolean {
  const before = source[at - 1];
  if (before === undefined || SPACE.test(before)) return false;
  // `snake_case_words` are words, not emphasis.
  return source[at] !== '_' || !WORD.test(source[at + length] ?? ' ');
}

function canOpen(source: string, at: number, length: number): boolean {
  const after = source[at + length];
  if (after === undefined || SPACE.test(after)) return false;
  return source[at] !== '_' || !WORD.test(source[at - 1] ?? ' ');
}

/** Backtick runs, by length: where each starts, in order. */
function tickRuns(source: string): Map<number, number[]> {
  const ticks = new Map<number, number[]>();
  for (let i = 0; i < source.length;) {
    if (source[i] === '\\') i += 2;
    else if (source[i] !== '`') i++;
    else {
      const length = runLength(source, i);
      const list = ticks.get(length) ?? [];
      list.push(i);
      ticks.set(length, list);
      i += length;
    }
  }
  return ticks;
}

/**
 * The index of a text: its backtick runs, and the runs of `*`, `_` and `~`
 * that may close emphasis, leaving out those inside code spans (`*` in code
 * closes nothing).
 */
function buildIndex(source: string): Index {
  const ticks = tickRuns(source);
  const closers = new Map<string, number[]>();
  let codeEnd = 0;
  for (let i = 0; i < source.length;) {
    const c = source[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c !== '*' && c !== '_' && c !== '~' && c !== '`') {
      i++;
      continue;
    }
    const length = runLength(source, i);
    if (c === '`') {
      const close = i >= codeEnd ? firstFrom(ticks.get(length), i + length) : -1;
      if (close !== -1) codeEnd = close + length;
    } else if (i >= codeEnd && canClose(source, i, length)) {
      const key = c + length;
      const list = closers.get(key) ?? [];
      list.push(i);
      closers.set(key, list);
    }
    i += length;
  }
  return { closers, ticks };
}

/** The first position in a sorted list at or after `from`, or -1. */
function firstFrom(list: number[] | undefined, from: number): number {
  if (!list) return -1;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid] < from) low = mid + 1;
    else high = mid;
  }
  return low < list.length ? list[low] : -1;
}

const WRAPS: Record<string, 'strong' | 'em' | 'strike' | undefined> = {
  '*1': 'em',
  _1: 'em',
  '*2': 'strong',
  _2: 'strong',
  '~2': 'strike',
};

/** A bare address ends before trailing punctuation, and before a `)` it did not open. */
function trimAddress(address: string): string {
  let opened = 0;
  let closed = 0;
  for (const char of address) {
    if (char === '(') opened++;
    else if (char === ')') closed++;
  }
  let end = address.length;
  while (end > 0) {
    const last = address[end - 1];
    if (/[.,;:!?*_~]/.test(last)) end--;
    else if (last === ')' && closed > opened) {
      closed--;
      end--;
    } else break;
  }
  return address.slice(0, end);
}

/** How many spaces end a text (counted from the end: a regular expression would rescan it). */
function trailingSpaces(text: string): number {
  let n = 0;
  while (n < text.length && text[text.length - 1 - n] === ' ') n++;
  return n;
}

class InlineParser {
  private readonly index: Index;
  private nextOpen = -1;
  private nextClose = -1;

  constructor(
    private readonly source: string,
    private readonly options: InlineOptions,
    private readonly depth: number,
    private readonly inLink: boolean,
  ) {
    this.index = buildIndex(source);
  }

  /** The next `[` after `at` and the next `]`, each found once per pass over the text. */
  private brackets(at: number): { open: number; close: number } {
    if (this.nextOpen !== -2 && this.nextOpen <= at) this.nextOpen = this.find('[', at + 1);
    if (this.nextClose !== -2 && this.nextClose <= at) this.nextClose = this.find(']', at + 1);
    return { open: this.nextOpen, close: this.nextClose };
  }

  /** `indexOf`, with "none left" remembered as -2 so it is not searched again. */
  private find(char: string, from: number): number {
    const found = this.source.indexOf(char, from);
    return found === -1 ? -2 : found;
  }

  private nested(text: string): Inline[] {
    return new InlineParser(text, this.options, this.depth + 1, this.inLink).parse();
  }

  parse(): Inline[] {
    const { source } = this;
    const out: Inline[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') out.push({ type: 'text', text });
      text = '';
    };
    let i = 0;
    while (i < source.length) {
      const c = source[i];
      if (c === '\\') {
        const next = source[i + 1];
        if (next === '\n') {
          flush();
          out.push({ type: 'break' });
          i += 2;
        } else if (next !== undefined && PUNCTUATION.test(next)) {
          text += next;
          i += 2;
        } else {
          text += c;
          i++;
        }
        continue;
      }
      if (c === '\n') {
        const spaces = trailingSpaces(text);
        const hard = this.options.breaks || spaces >= 2;
        text = text.slice(0, text.length - spaces);
        if (hard) {
          flush();
          out.push({ type: 'break' });
        } else text += ' ';
        i++;
        while (source[i] === ' ') i++;
        continue;
      }
      if (c === '`') {
        const length = runLength(source, i);
        const close = firstFrom(this.index.ticks.get(length), i + length);
        if (close !== -1 && runLength(source, close) === length) {
          let code = source.slice(i + length, close).replace(/\n/g, ' ');
          if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '')
            code = code.slice(1, -1);
          flush();
          out.push({ type: 'code', text: code });
          i = close + length;
        } else {
          text += source.slice(i, i + length);
          i += length;
        }
        continue;
      }
      if (c === '*' || c === '_' || c === '~') {
        const length = runLength(source, i);
        const end = this.emphasis(c, i, length, out, flush);
        if (end === -1) text += source.slice(i, i + length);
        i = end === -1 ? i + length : end;
        continue;
      }
      if (c === '[' && !this.inLink && this.depth < MAX_INLINE_DEPTH) {
        const end = this.link(i, out, flush);
        if (end !== -1) {
          i = end;
          continue;
        }
      }
      if (c === 'h' && !this.inLink && !WORD.test(source[i - 1] ?? ' ')) {
        AUTOLINK.lastIndex = i;
        const match = AUTOLINK.exec(source);
        if (match && match[0].length > MAX_HREF) {
          // Not an address anyone writes: text, and not looked at again character by character.
          text += match[0];
          i += match[0].length;
          continue;
        }
        if (match) {
          const href = trimAddress(match[0]);
          if (/^https?:\/\/[^/?#]/.test(href)) {
            flush();
            out.push({ type: 'link', href, children: [{ type: 'text', text: href }], auto: true });
            i += href.length;
            continue;
          }
        }
      }
      text += c;
      i++;
    }
    flush();
    return out;
  }

  /** Emphasis opened by the run at `at`: pushed, returning where it ends, or -1 when it is text. */
  private emphasis(
    c: Delimiter,
    at: number,
    length: number,
    out: Inline[],
    flush: () => void,
  ): number {
    if (this.depth >= MAX_INLINE_DEPTH || !canOpen(this.source, at, length)) return -1;
    // `***both***` is bold and italic at once.
    const inner = length === 3 && c !== '~' ? 1 : 0;
    const outer = WRAPS[c + (length - inner)];
    if (!outer) return -1;
    const close = firstFrom(this.index.closers.get(c + length), at + length);
    if (close === -1 || close === at + length) return -1;
    const content = this.source.slice(at + length, close);
    let children = this.nested(content);
    if (inner) children = [{ type: 'em', children }];
    flush();
    out.push({ type: outer, children });
    return close + length;
  }

  /** `[label](href)` at `at`: pushed, returning where it ends, or -1 when it is text. */
  private link(at: number, out: Inline[], flush: () => void): number {
    const { source } = this;
    const { open, close } = this.brackets(at);
    if (close < 0 || (open >= 0 && open < close) || close - at > MAX_LABEL) return -1;
    if (source[close + 1] !== '(') return -1;
    let end = close + 2;
    while (end < source.length && end - close <= MAX_HREF && !/[\s()[\]<>]/.test(source[end]))
      end++;
    if (source[end] !== ')' || end === close + 2) return -1;
    const label = source.slice(at + 1, close);
    const children =
      label === ''
        ? [{ type: 'text' as const, text: source.slice(close + 2, end) }]
        : new InlineParser(label, this.options, this.depth + 1, true).parse();
    flush();
    out.push({ type: 'link', href: source.slice(close + 2, end), children });
    return end + 1;
  }
}

/** Parses inline Markdown (a paragraph's or heading's text) into a tree. */
export function parseInline(source: string, options: InlineOptions = {}): Inline[] {
  return new InlineParser(source, options, 0, false).parse();
}
