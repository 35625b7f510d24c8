/**
 * What the formatting buttons and shortcuts do to the text of a box: each
 * action turns the text and its selection into one edit (a range replaced and
 * the selection after it), so the box can apply it as typing would (undo
 * included). Pressing a button again undoes its formatting. The Markdown
 * written is the subset shared/markdown reads.
 */

export const FORMAT_ACTIONS = [
  'bold',
  'italic',
  'code',
  'link',
  'bullets',
  'numbers',
  'quote',
] as const;
export type FormatAction = (typeof FORMAT_ACTIONS)[number];

/** Replace `from`..`to` with `insert`; then select `selection` (offsets in the new text). */
export interface TextEdit {
  from: number;
  to: number;
  insert: string;
  selection: [number, number];
}

const WRAP: Record<'bold' | 'italic' | 'code', string> = { bold: '**', italic: '*', code: '`' };

/** Whether `mark` sits right outside `from`..`to` as a mark of its own (a `*` is not half of `**`). */
function wrappedBy(text: string, from: number, to: number, mark: string): boolean {
  if (text.slice(from - mark.length, from) !== mark || text.slice(to, to + mark.length) !== mark)
    return false;
  if (mark !== '*') return true;
  const doubled = text[from - 2] === '*' && text[to + 1] === '*';
  const tripled = text.slice(from - 3, from) === '***' && text.slice(to, to + 3) === '***';
  return !doubled || tripled;
}

function wrap(text: string, start: number, end: number, action: keyof typeof WRAP): TextEdit {
  const selected = text.slice(start, end);
  if (action === 'code' && selected.includes('\n')) {
    const insert = `\`\`\`\n${selected}\n\`\`\``;
    return { from: start, to: end, insert, selection: [start + 4, start + 4 + selected.length] };
  }
  const mark = action === 'code' && selected.includes('`') ? '``' : WRAP[action];
  // Pressed again: the marks around the selection, or at its ends, go.
  if (wrappedBy(text, start, end, mark))
    return {
      from: start - mark.length,
      to: end + mark.length,
      insert: selected,
      selection: [start - mark.length, end - mark.length],
    };
  const inner = selected.slice(mark.length, selected.length - mark.length);
  if (
    selected.length >= 2 * mark.length + 1 &&
    selected.startsWith(mark) &&
    selected.endsWith(mark) &&
    wrappedBy(selected, mark.length, selected.length - mark.length, mark)
  )
    return { from: start, to: end, insert: inner, selection: [start, start + inner.length] };
  if (selected === '') {
    const caret = start + mark.length;
    return { from: start, to: end, insert: mark + mark, selection: [caret, caret] };
  }
  // Marks go around the words of each line: `**word **` or a mark across a blank line is no emphasis.
  const insert = selected
    .split('\n')
    .map((line) => {
      const words = /^(\s*)(.*?)(\s*)$/.exec(line)!;
      return words[2] === '' ? line : `${words[1]}${mark}${words[2]}${mark}${words[3]}`;
    })
    .join('\n');
  const lead = /^\s*/.exec(selected)![0].length;
  const trail = /\s*$/.exec(selected)![0].length;
  return {
    from: start,
    to: end,
    insert,
    selection: selected.includes('\n')
      ? [start, start + insert.length]
      : [start + lead + mark.length, start + insert.length - trail - mark.length],
  };
}

function link(text: string, start: number, end: number): TextEdit {
  const selected = text.slice(start, end);
  if (selected === '') {
    return { from: start, to: end, insert: '[text](https://)', selection: [start + 1, start + 5] };
  }
  if (/^(https?:\/\/|mailto:)\S+$/.test(selected)) {
    // An address: it becomes the link, and the caret waits for its words.
    return { from: start, to: end, insert: `[](${selected})`, selection: [start + 1, start + 1] };
  }
  const label = selected.replace(/\s*\n\s*/g, ' ');
  const at = start + label.length + 3;
  return {
    from: start,
    to: end,
    insert: `[${label}](https://)`,
    selection: [at, at + 'https://'.length],
  };
}

const PREFIX: Record<'bullets' | 'numbers' | 'quote', RegExp> = {
  bullets: /^[-*+] /,
  numbers: /^\d{1,9}[.)] /,
  quote: /^> ?/,
};
const ANY_LIST = /^([-*+]|\d{1,9}[.)]) /;

function lines(text: string, start: number, end: number, action: keyof typeof PREFIX): TextEdit {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  // A selection that ends at the start of a line leaves that line alone.
  const stop = end > start && text[end - 1] === '\n' ? end - 1 : end;
  const newline = text.indexOf('\n', stop);
  const to = newline === -1 ? text.length : newline;
  const rows = text.slice(from, to).split('\n');
  const written = rows.filter((row) => row.trim() !== '');
  const isOn = written.length > 0 && written.every((row) => PREFIX[action].test(row));

  let n = 0;
  const changed = rows.map((row) => {
    if (isOn) return row.replace(PREFIX[action], '');
    if (row.trim() === '' && rows.length > 1) return row;
    const bare = action === 'quote' ? row : row.replace(ANY_LIST, '');
    n += 1;
    return `${action === 'bullets' ? '- ' : action === 'numbers' ? `${n}. ` : '> '}${bare}`;
  });
  let insert = changed.join('\n');
  let shift = 0;
  if (!isOn) {
    // A list or a quote stands apart: a line of text right before or after would run into it.
    const before = from > 0 && text.slice(text.lastIndexOf('\n', from - 2) + 1, from - 1).trim();
    const after =
      to < text.length &&
      text
        .slice(to + 1)
        .split('\n', 1)[0]
        .trim();
    if (before && !ANY_LIST.test(before) && !PREFIX.quote.test(before)) {
      insert = `\n${insert}`;
      shift = 1;
    }
    if (after) insert = `${insert}\n`;
  }
  const body = changed.join('\n');
  const selection: [number, number] =
    start === end
      ? [from + shift + body.length, from + shift + body.length]
      : [from + shift, from + shift + body.length];
  return { from, to, insert, selection };
}

/** The edit an action makes to `text` with `start`..`end` selected. */
export function formatEdit(
  text: string,
  start: number,
  end: number,
  action: FormatAction,
): TextEdit {
  if (action === 'link') return link(text, start, end);
  if (action === 'bold' || action === 'italic' || action === 'code')
    return wrap(text, start, end, action);
  return lines(text, start, end, action);
}

/** The text after an edit (what the box will hold). */
export function applyTextEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
}

/** The action of a keyboard shortcut (Ctrl or ⌘ with B, I, E, K; with Shift, 7, 8 or .), if any. */
export function shortcutAction(event: {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): FormatAction | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  if (event.shiftKey) {
    if (event.code === 'Digit8') return 'bullets';
    if (event.code === 'Digit7') return 'numbers';
    if (event.code === 'Period') return 'quote';
    return null;
  }
  switch (event.key.toLowerCase()) {
    case 'b':
      return 'bold';
    case 'i':
      return 'italic';
    case 'e':
      return 'code';
    case 'k':
      return 'link';
    default:
      return null;
  }
}
