import { useEffect, useId, useRef, useState } from 'react';
import type { CommentDto, ReactionSummaryDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { REACTION_SET, setReaction } from '../../data/comments.js';
import { useStore } from '../../store/index.js';
import { displayName } from '../Avatar.js';

function namesOf(r: ReactionSummaryDto): string {
  const names = r.users.map(displayName);
  const more = r.count - names.length;
  return more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
}

/**
 * Whether the viewer reacted. Live payloads are presented once per view, not
 * per person, so `mine` is also read from who reacted.
 */
function useIsMine(): (r: ReactionSummaryDto | undefined) => boolean {
  const meId = useStore((s) => s.me?.id ?? null);
  return (r) => !!r && (r.mine || (meId !== null && r.users.some((u) => u.id === meId)));
}

function useToggle(commentId: string) {
  const [error, setError] = useState<string | null>(null);
  const toggle = (emoji: string, on: boolean) => {
    setError(null);
    setReaction(commentId, emoji, on).catch((e: unknown) => setError(messageOf(e)));
  };
  return { error, toggle };
}

/**
 * A comment's reactions: one toggle per emoji with its count, pressed when
 * the viewer is among those who reacted, naming who reacted in its title.
 * Read-only when the viewer may not react.
 */
export function ReactionChips({ comment }: { comment: CommentDto }) {
  const isMine = useIsMine();
  const { error, toggle } = useToggle(comment.id);
  const shown = comment.reactions.filter((r) => r.count > 0);
  if (shown.length === 0) return null;
  const can = comment.abilities.canReact;
  return (
    <div className="reactions">
      {shown.map((r) => {
        const mine = isMine(r);
        const who = namesOf(r);
        return (
          <button
            key={r.emoji}
            type="button"
            className="reaction"
            aria-pressed={mine}
            disabled={!can}
            title={who}
            aria-label={`${r.emoji} ${r.count}: ${who}`}
            onClick={() => toggle(r.emoji, !mine)}
          >
            <span aria-hidden="true">{r.emoji}</span> {r.count}
          </button>
        );
      })}
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * "React": opens the small fixed set of emoji to add (or take back) one's
 * reaction. Inside, the arrow keys (and Home, End) move between the emoji,
 * which are one stop for Tab; Escape closes it and goes back to "React".
 */
export function ReactionPicker({ comment, label }: { comment: CommentDto; label: string }) {
  const isMine = useIsMine();
  const { error, toggle } = useToggle(comment.id);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const menuId = useId();
  const wrap = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const closeMenu = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <span className="reaction-add" ref={wrap}>
      <button
        ref={button}
        type="button"
        className="link small"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setActive(0);
          setOpen((o) => !o);
        }}
      >
        React
      </button>
      {open && (
        <div
          className="reaction-menu"
          id={menuId}
          role="group"
          aria-label="Reactions"
          onKeyDown={(e) => {
            if (e.key === 'Escape') return closeMenu();
            const moves: Record<string, number> = {
              ArrowRight: active + 1,
              ArrowDown: active + 1,
              ArrowLeft: active - 1,
              ArrowUp: active - 1,
              Home: 0,
              End: REACTION_SET.length - 1,
            };
            if (!(e.key in moves)) return;
            e.preventDefault();
            const next = (moves[e.key] + REACTION_SET.length) % REACTION_SET.length;
            setActive(next);
            e.currentTarget.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
          }}
        >
          {REACTION_SET.map((emoji, i) => {
            const mine = isMine(comment.reactions.find((r) => r.emoji === emoji));
            return (
              <button
                key={emoji}
                type="button"
                className="reaction-choice"
                aria-pressed={mine}
                aria-label={`React with ${emoji}`}
                tabIndex={i === active ? 0 : -1}
                autoFocus={i === 0}
                onFocus={() => setActive(i)}
                onClick={() => {
                  toggle(emoji, !mine);
                  closeMenu();
                }}
              >
                {emoji}
              </button>
            );
          })}
        </div>
      )}
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
