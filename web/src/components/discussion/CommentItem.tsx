import { useId, useState } from 'react';
import type { CommentDto, DiscussionDto, UserSummaryDto } from '../../../../shared/dto.js';
import { commentAnchor } from '../../../../shared/routes.js';
import { messageOf } from '../../api/client.js';
import { editComment } from '../../data/comments.js';
import { Avatar, displayName } from '../Avatar.js';
import { RelativeTime } from '../RelativeTime.js';
import { CommentHistory } from './CommentHistory.js';
import { RichText } from './CommentBody.js';
import { Composer } from './Composer.js';
import { MentionTextarea } from './MentionTextarea.js';
import { ReactionChips } from './Reactions.js';
import { CommentActions } from './CommentActions.js';
import { useMentionPeople } from './use-mention-people.js';

function EditForm({
  comment,
  discussion,
  onDone,
}: {
  comment: CommentDto;
  discussion: DiscussionDto;
  onDone: () => void;
}) {
  const id = useId();
  const [body, setBody] = useState(comment.body);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const people = useMentionPeople(discussion, true);
  const save = () => {
    if (body.trim() === '' || saving) return;
    if (body === comment.body) return onDone();
    setSaving(true);
    setError(null);
    editComment(comment.id, body).then(onDone, (e: unknown) => {
      setSaving(false);
      setError(messageOf(e));
    });
  };
  return (
    <form
      className="composer composer-edit"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Edit comment
      </label>
      <MentionTextarea
        id={id}
        value={body}
        onChange={setBody}
        people={people}
        onSubmit={save}
        onEscape={onDone}
        autoFocus
        rows={3}
        maxLength={20000}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <div className="inline-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
      <div className="composer-foot">
        <span />
        <span className="row">
          <button type="button" className="secondary small" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" className="small" disabled={saving || body.trim() === ''}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </span>
      </div>
    </form>
  );
}

/**
 * One comment: who and when, its text (or "Comment deleted"), an "edited"
 * marker opening its history, reactions, and the actions its abilities allow
 * (reply and react, the rest in its menu: see CommentActions).
 */
export function CommentItem({
  comment,
  discussion,
  replyTo,
  unread,
}: {
  comment: CommentDto;
  discussion: DiscussionDto;
  /** For flat deep replies: whom this one answers. */
  replyTo: UserSummaryDto | null;
  unread: boolean;
}) {
  const [mode, setMode] = useState<'read' | 'edit' | 'reply'>('read');
  const [historyOpen, setHistoryOpen] = useState(false);
  const headId = useId();
  const historyId = useId();
  const name = displayName(comment.author);

  return (
    <article
      className={`comment${unread ? ' unread' : ''}${comment.deleted ? ' deleted' : ''}`}
      id={commentAnchor(comment.id)}
      data-sequence={comment.sequence}
      data-testid="comment"
      aria-labelledby={headId}
      tabIndex={-1}
    >
      <Avatar user={comment.author} size={comment.parentId ? 28 : 36} />
      <div className="comment-main">
        <header className="comment-meta" id={headId}>
          <strong className="comment-author">{name}</strong>
          {replyTo && (
            <span className="muted small">
              <span aria-hidden="true">↪</span> replying to {displayName(replyTo)}
            </span>
          )}
          <span className="muted small">
            <RelativeTime iso={comment.createdAt} />
          </span>
          {comment.edited && !comment.deleted && (
            <button
              type="button"
              className="link small edited-marker"
              aria-expanded={historyOpen}
              aria-controls={historyOpen ? historyId : undefined}
              aria-label="Edited: show history"
              title={
                comment.editedAt
                  ? `Edited ${new Date(comment.editedAt).toLocaleString()}`
                  : undefined
              }
              onClick={() => setHistoryOpen((o) => !o)}
            >
              edited
            </button>
          )}
          {unread && <span className="pill brand unread-pill">New</span>}
        </header>

        {comment.moderation === 'hidden' && comment.body !== '' && (
          <p className="pill moderation-pill">Hidden pending review</p>
        )}
        {comment.moderation === 'held' && (
          <p className="pill moderation-pill">Waiting for a moderator's approval</p>
        )}
        {comment.moderation === 'hidden' && comment.body === '' && !comment.deleted ? (
          <p className="comment-deleted" data-testid="comment-hidden">
            Hidden by the moderators pending review
          </p>
        ) : comment.deleted ? (
          <p className="comment-deleted">Comment deleted</p>
        ) : mode === 'edit' ? (
          <EditForm comment={comment} discussion={discussion} onDone={() => setMode('read')} />
        ) : (
          <RichText text={comment.body} className="rich-text comment-body" />
        )}

        {historyOpen && !comment.deleted && (
          <CommentHistory commentId={comment.id} version={comment.updatedAt} id={historyId} />
        )}

        {!comment.deleted && <ReactionChips comment={comment} />}

        {mode !== 'edit' && (
          <CommentActions
            comment={comment}
            discussion={discussion}
            replying={mode === 'reply'}
            onReply={() => setMode('reply')}
            onEdit={() => setMode('edit')}
          />
        )}
        {mode === 'reply' && (
          <Composer
            discussion={discussion}
            parentId={comment.id}
            replyToName={name}
            onDone={() => setMode('read')}
            autoFocus
          />
        )}
      </div>
    </article>
  );
}
