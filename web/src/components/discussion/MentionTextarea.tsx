import {
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type TextareaHTMLAttributes,
} from 'react';
import type { UserSummaryDto } from '../../../../shared/dto.js';
import { Avatar } from '../Avatar.js';
import { FormattingToolbar, handleFormattingKey } from '../FormattingToolbar.js';
import { insertMention, mentionAt, rankCandidates, type MentionQuery } from './mentions.js';

type NativeProps = Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'value' | 'onChange' | 'onKeyDown' | 'id'
>;

/**
 * A textarea that suggests people as an `@handle` is typed: a listbox under
 * it, driven from the keyboard (arrows, Enter or Tab to pick, Escape to
 * close) with `aria-activedescendant`, so focus never leaves the text.
 * Ctrl/Cmd+Enter submits; Escape with no suggestions open calls `onEscape`.
 * Formatting buttons sit over it, their shortcuts work in it.
 */
export function MentionTextarea({
  id,
  value,
  onChange,
  people,
  onSubmit,
  onEscape,
  ...native
}: NativeProps & {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Everyone who may be suggested (the composer gathers them). */
  people: readonly UserSummaryDto[];
  onSubmit: () => void;
  onEscape?: () => void;
}) {
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const caretAfter = useRef<number | null>(null);

  const options = query && dismissed !== query.start ? rankCandidates(people, query.query) : [];
  const open = options.length > 0;
  const activeIndex = Math.min(active, options.length - 1);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && caretAfter.current !== null) {
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [value]);

  const track = (text: string, caret: number) => {
    const next = mentionAt(text, caret);
    setQuery(next);
    if (next?.start !== query?.start) setActive(0);
    if (next === null) setDismissed(null);
  };

  const pick = (person: UserSummaryDto) => {
    const el = ref.current;
    if (!query || !el || !person.handle) return;
    const next = insertMention(value, query, el.selectionStart, person.handle);
    caretAfter.current = next.caret;
    setQuery(null);
    onChange(next.text);
    el.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setQuery(null);
      onSubmit();
      return;
    }
    if (handleFormattingKey(event)) return;
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((activeIndex + step + options.length) % options.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(options[activeIndex]);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(query?.start ?? null);
        return;
      }
    }
    if (event.key === 'Escape' && onEscape) {
      event.preventDefault();
      onEscape();
    }
  };

  const optionId = (i: number) => `${listId}-option-${i}`;
  return (
    <div className="mention-box">
      <FormattingToolbar box={ref} controls={id} />
      <textarea
        {...native}
        id={id}
        ref={ref}
        value={value}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? optionId(activeIndex) : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          track(e.target.value, e.target.selectionStart);
        }}
        onSelect={(e) => track(e.currentTarget.value, e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onBlur={(e) => {
          setQuery(null);
          native.onBlur?.(e);
        }}
      />
      {open && (
        <ul className="mention-list" role="listbox" id={listId} aria-label="People to mention">
          {options.map((person, i) => (
            <li
              key={person.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              className="mention-option"
              // Keep focus in the textarea: pick on mousedown, before it would blur.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(person);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <Avatar user={person} size={24} />
              <span className="mention-name">{person.name}</span>
              <span className="muted small">@{person.handle}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
