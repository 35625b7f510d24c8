import { postComment } from '../../data/discussions.js';
import type { PendingComment as Pending } from '../../store/comments.js';
import { useStore } from '../../store/index.js';
import { Avatar, displayName } from '../Avatar.js';
import { RichText } from './CommentBody.js';

/**
 * The viewer's own comment before the server confirmed it: "Sending…"; when
 * Quorum could not be reached, "Waiting for the connection" (it goes again by
 * itself, see realtime/resend.ts); when the server refused it, the reason with
 * Retry (same client id, so it can never post twice). Discard either way.
 */
export function PendingComment({ pending }: { pending: Pending }) {
  const me = useStore((s) => s.me);
  const drop = useStore((s) => s.dropPendingComment);
  if (!me) return null;
  const failed = pending.status === 'failed';
  const waiting = failed && pending.unreachable === true;
  return (
    <article
      className={`comment pending${failed ? ' failed' : ''}`}
      data-testid="pending-comment"
      aria-busy={!failed}
    >
      <Avatar user={me} size={pending.parentId ? 28 : 36} />
      <div className="comment-main">
        <header className="comment-meta">
          <strong className="comment-author">{displayName(me)}</strong>
          <span className="muted small">
            {waiting ? 'Waiting for the connection' : failed ? 'Not sent' : 'Sending…'}
          </span>
        </header>
        <RichText text={pending.body} className="rich-text comment-body" />
        {waiting && (
          <div className="pending-failed pending-waiting" role="status">
            <span>
              Quorum cannot be reached: your comment will be sent when you are back online.
            </span>
            <span className="row">
              <button
                type="button"
                className="secondary small"
                onClick={() => drop(pending.clientId)}
              >
                Discard
              </button>
            </span>
          </div>
        )}
        {failed && !waiting && (
          <div className="pending-failed" role="alert">
            <span>{pending.error ?? 'Your comment could not be sent.'}</span>
            <span className="row">
              <button
                type="button"
                className="small"
                onClick={() =>
                  void postComment({
                    discussionId: pending.discussionId,
                    parentId: pending.parentId,
                    body: pending.body,
                    clientId: pending.clientId,
                  })
                }
              >
                Retry
              </button>
              <button
                type="button"
                className="secondary small"
                onClick={() => drop(pending.clientId)}
              >
                Discard
              </button>
            </span>
          </div>
        )}
      </div>
    </article>
  );
}
