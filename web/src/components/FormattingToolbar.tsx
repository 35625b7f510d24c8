/**
 * The formatting buttons over a box people write Markdown in (comments,
 * replies, vote reasons, a new discussion's context, a poll's details), and
 * the same actions as shortcuts. One tab stop: arrow keys, Home and End move
 * between the buttons (the toolbar pattern of WAI-ARIA). A button keeps the
 * box's focus and selection; its edit goes in as typing would, so Ctrl+Z
 * undoes it.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { formatEdit, shortcutAction, type FormatAction, type TextEdit } from '../lib/formatting.js';
import './formatting-toolbar.css';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** A shortcut as people read it ("Ctrl+B", "⌘B") and as `aria-keyshortcuts` says it. */
const shown = (keys: string) => `${isMac ? '⌘' : 'Ctrl+'}${keys}`;
const spoken = (keys: string) => `${isMac ? 'Meta' : 'Control'}+${keys}`;

const icon = (path: ReactNode) => (
  <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
    {path}
  </svg>
);

const BUTTONS: Array<{ action: FormatAction; label: string; keys: string; face: ReactNode }> = [
  { action: 'bold', label: 'Bold', keys: 'B', face: <b>B</b> },
  { action: 'italic', label: 'Italic', keys: 'I', face: <i className="format-italic">I</i> },
  {
    action: 'link',
    label: 'Link',
    keys: 'K',
    face: icon(
      <path d="M7 9a3 3 0 0 0 4.2.3l2-2a3 3 0 0 0-4.2-4.2l-1 1M9 7a3 3 0 0 0-4.2-.3l-2 2a3 3 0 0 0 4.2 4.2l1-1" />,
    ),
  },
  {
    action: 'bullets',
    label: 'Bulleted list',
    keys: 'Shift+8',
    face: icon(
      <>
        <circle cx="2.5" cy="4" r="1.2" className="fill" />
        <circle cx="2.5" cy="8" r="1.2" className="fill" />
        <circle cx="2.5" cy="12" r="1.2" className="fill" />
        <path d="M6 4h8M6 8h8M6 12h8" />
      </>,
    ),
  },
  {
    action: 'numbers',
    label: 'Numbered list',
    keys: 'Shift+7',
    face: icon(
      <>
        <path d="M1.5 2.5h1.2v3.5M1.5 6h2.4M1.4 9.6c.3-.6 2.3-.8 2.3.4 0 .9-2.3 1.6-2.3 2.5h2.4M6.5 4h7.5M6.5 11h7.5" />
      </>,
    ),
  },
  {
    action: 'quote',
    label: 'Quote',
    keys: 'Shift+.',
    face: icon(<path d="M2.5 2.5v11M6 4.5h8M6 8h8M6 11.5h5" />),
  },
  {
    action: 'code',
    label: 'Code',
    keys: 'E',
    face: icon(<path d="M5.5 4 1.5 8l4 4M10.5 4l4 4-4 4" />),
  },
];

/** Puts an edit into the box as typing would (its own undo step), then selects what it says. */
export function applyEdit(box: HTMLTextAreaElement, edit: TextEdit): void {
  box.focus();
  box.setSelectionRange(edit.from, edit.to);
  const typed =
    edit.insert === ''
      ? document.execCommand('delete')
      : document.execCommand('insertText', false, edit.insert);
  if (!typed) {
    // No editing commands here: set the text, and tell React as an input event would.
    box.setRangeText(edit.insert, edit.from, edit.to);
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }
  box.setSelectionRange(edit.selection[0], edit.selection[1]);
}

/** Applies an action to the box's text and selection. */
export function format(box: HTMLTextAreaElement, action: FormatAction): void {
  applyEdit(box, formatEdit(box.value, box.selectionStart, box.selectionEnd, action));
}

/** A keydown handler for the box: the shortcuts; true when it handled the key. */
export function handleFormattingKey(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
  const action = shortcutAction(event);
  if (!action) return false;
  event.preventDefault();
  format(event.currentTarget, action);
  return true;
}

export function FormattingToolbar({
  box,
  controls,
}: {
  /** The box the buttons write in. */
  box: RefObject<HTMLTextAreaElement | null>;
  /** The box's id. */
  controls: string;
}) {
  const [active, setActive] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = BUTTONS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? active === last
          ? 0
          : active + 1
        : event.key === 'ArrowLeft'
          ? active === 0
            ? last
            : active - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    buttons.current[next]?.focus();
  };
  return (
    <div
      className="format-bar"
      role="toolbar"
      aria-label="Formatting"
      aria-controls={controls}
      onKeyDown={move}
    >
      {BUTTONS.map((b, i) => (
        <button
          key={b.action}
          ref={(el) => {
            buttons.current[i] = el;
          }}
          type="button"
          className="format-button"
          tabIndex={i === active ? 0 : -1}
          aria-label={b.label}
          aria-keyshortcuts={spoken(b.keys)}
          title={`${b.label} (${shown(b.keys)})`}
          // The box keeps its focus and selection when a button is clicked.
          onMouseDown={(e) => e.preventDefault()}
          onFocus={() => setActive(i)}
          onClick={() => {
            if (box.current) format(box.current, b.action);
          }}
        >
          {b.face}
        </button>
      ))}
    </div>
  );
}
