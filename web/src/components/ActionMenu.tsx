/**
 * A menu button and its menu, as the WAI-ARIA menu button pattern has it:
 * Enter, Space or a click opens it on its first item (ArrowUp on its last),
 * ArrowUp and ArrowDown move round the items, Home and End jump to the ends,
 * Escape closes it and puts focus back on the button, Tab or a click outside
 * closes it. Choosing an item closes the menu and runs the item; whatever the
 * item opens takes focus from there (and gives it back through `buttonRef`).
 */
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import './action-menu.css';

export interface MenuItem {
  /** Stable key, and `data-action` for styling and tests. */
  key: string;
  /** What the item shows. */
  label: string;
  /** The item's accessible name when the visible label needs its target ("Delete comment by Ada"). */
  name?: string;
  danger?: boolean;
  onSelect: () => void;
}

export function ActionMenu({
  label,
  items,
  buttonRef,
  className = '',
}: {
  /** The button's accessible name, naming what the menu acts on. */
  label: string;
  items: readonly MenuItem[];
  /** The menu button, for whatever an item opens to return focus to. */
  buttonRef?: RefObject<HTMLButtonElement | null>;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState<'first' | 'last'>('first');
  const menuId = useId();
  const ownRef = useRef<HTMLButtonElement>(null);
  const button = buttonRef ?? ownRef;
  const wrap = useRef<HTMLSpanElement>(null);
  const menu = useRef<HTMLUListElement>(null);

  const entries = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];

  // Focus moves into the menu before it is painted, so no key pressed meanwhile is lost.
  useLayoutEffect(() => {
    if (!open) return;
    const all = entries();
    (start === 'last' ? all[all.length - 1] : all[0])?.focus();
  }, [open, start]);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  if (items.length === 0) return null;

  const show = (from: 'first' | 'last') => {
    setStart(from);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      close(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      show(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const all = entries();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => all[(i + all.length) % all.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        go(at + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        go(at - 1);
        break;
      case 'Home':
        e.preventDefault();
        go(0);
        break;
      case 'End':
        e.preventDefault();
        go(all.length - 1);
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
    }
  };

  return (
    <span className={`action-menu ${className}`.trim()} ref={wrap}>
      <button
        ref={button}
        type="button"
        className="link small action-menu-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show('first'))}
        onKeyDown={onButtonKey}
      >
        <span aria-hidden="true" className="action-menu-dots">
          •••
        </span>
      </button>
      {open && (
        <ul
          ref={menu}
          className="action-menu-list"
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
        >
          {items.map((item) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={item.danger ? 'action-menu-item danger-item' : 'action-menu-item'}
                aria-label={item.name}
                data-action={item.key}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
