import { useEffect, useId, useRef, useState } from 'react';
import type { DiscussionDto } from '../../../../shared/dto.js';
import { postComment } from '../../data/discussions.js';
import { sendTyping } from '../../realtime/socket.js';
import { useCoarsePointer } from '../../lib/use-media.js';
import { untilText } from '../moderation/words.js';
import { MentionTextarea } from './MentionTextarea.js';
import { useComposerLimits } from './use-composer-limits.js';
import { useMentionPeople } from './use-mention-people.js';

/** How often "still typing" is repeated while keys are pressed (the server lapses it after 5 s). */
const TYPING_EVERY_MS = 3000;
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Writing a comment or a reply. Sending is optimistic (the comment shows at
 * once as "Sending…", see PendingComment), so the text clears immediately;
 * while writing, others see "… is typing", cleared on send and on blur.
 */
export function Composer({
  discussion,
  parentId = null,
  replyToName,
  onDone,
  autoFocus = false,
}: {
  discussion: DiscussionDto;
  parentId?: string | null;
  /** For replies: whom the reply answers (labels the box). */
  replyToName?: string;
  /** Called after sending or cancelling (replies close). */
  onDone?: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [body, setBody] = useState('');
  const [focused, setFocused] = useState(false);
  const typingSentAt = useRef(0);
  const people = useMentionPeople(discussion, focused);
  const limits = useComposerLimits(discussion);
  // On a touch screen there is no Ctrl+Enter (nor Escape) to mention.
  const touch = useCoarsePointer();
  const discussionId = discussion.id;

  const stopTyping = () => {
    if (typingSentAt.current === 0) return;
    typingSentAt.current = 0;
    sendTyping(discussionId, false);
  };
  // Leaving the page while typing must not leave "is typing" behind.
  useEffect(
    () => () => {
      if (typingSentAt.current !== 0) sendTyping(discussionId, false);
    },
    [discussionId],
  );

  const change = (text: string) => {
    setBody(text);
    if (text.trim() === '') return stopTyping();
    const now = Date.now();
    if (now - typingSentAt.current >= TYPING_EVERY_MS) {
      typingSentAt.current = now;
      sendTyping(discussionId, true);
    }
  };

  const send = () => {
    const text = body.trim();
    if (text === '' || limits.restriction || limits.waitSeconds > 0) return;
    stopTyping();
    setBody('');
    limits.posted();
    void postComment({ discussionId, parentId, body: text });
    onDone?.();
  };

  if (limits.restriction) {
    const r = limits.restriction;
    return (
      <div className="composer composer-restricted" role="status" data-testid="composer-restricted">
        <p>
          <strong>
            {r.kind === 'suspension'
              ? 'Your account is suspended'
              : 'The moderators have muted you in this group'}{' '}
            {untilText(r.until)}.
          </strong>{' '}
          You can read, but not comment, react, vote or start anything.
        </p>
        <p className="small">Reason given: {r.reason}</p>
        {parentId && (
          <button type="button" className="secondary small" onClick={onDone}>
            Close
          </button>
        )}
      </div>
    );
  }

  const label = replyToName ? `Reply to ${replyToName}` : 'Add a comment';
  const shortcut = isMac ? '⌘ Enter' : 'Ctrl+Enter';
  return (
    <form
      className={parentId ? 'composer composer-reply' : 'composer'}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={id} className={parentId ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <MentionTextarea
        id={id}
        value={body}
        onChange={change}
        people={people}
        onSubmit={send}
        onEscape={parentId ? onDone : undefined}
        onFocus={() => setFocused(true)}
        onBlur={stopTyping}
        autoFocus={autoFocus}
        rows={parentId ? 2 : 3}
        maxLength={20000}
        placeholder={
          parentId ? 'Write a reply…' : 'Share your thoughts. Type @ to mention someone.'
        }
        aria-describedby={`${id}-hint`}
      />
      <div className="composer-foot">
        <span className="muted small" id={`${id}-hint`}>
          {limits.slowSeconds > 0 && (
            <span className="slow-mode" data-testid="slow-mode">
              Slow mode: one comment every {limits.slowSeconds} s
              {limits.waitSeconds > 0 && <>. You can post again in {limits.waitSeconds} s</>}.{' '}
            </span>
          )}
          {!touch && (
            <span className="composer-keys">
              {shortcut} to send{parentId ? ', Escape to cancel' : ''}
            </span>
          )}
        </span>
        <span className="row">
          {parentId && (
            <button type="button" className="secondary small" onClick={onDone}>
              Cancel
            </button>
          )}
          <button
            type="submit"
            className={parentId ? 'small' : undefined}
            disabled={body.trim() === '' || limits.waitSeconds > 0}
          >
            {parentId ? 'Reply' : 'Post comment'}
          </button>
        </span>
      </div>
    </form>
  );
}
