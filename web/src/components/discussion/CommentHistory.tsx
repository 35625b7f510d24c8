import { useEffect, useState } from 'react';
import type { CommentRevisionDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { loadHistory } from '../../data/comments.js';
import { RelativeTime } from '../RelativeTime.js';
import { RichText } from './CommentBody.js';

/** A comment's earlier texts, newest first, fetched when opened (and again after each edit). */
export function CommentHistory({
  commentId,
  version,
  id,
}: {
  commentId: string;
  /** Changes when the comment does, so a new edit refreshes the list. */
  version: string;
  id: string;
}) {
  const [items, setItems] = useState<CommentRevisionDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    loadHistory(commentId).then(
      (list) => current && setItems(list),
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [commentId, version]);
  return (
    <div className="comment-history" id={id}>
      <h4 className="small">Earlier versions</h4>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
      {!error && items === null && <p className="muted small">Loading history…</p>}
      {items?.length === 0 && <p className="muted small">No earlier versions.</p>}
      {items && items.length > 0 && (
        <ol className="history-list">
          {items.map((item, i) => (
            <li key={i}>
              <div className="muted small">
                Replaced <RelativeTime iso={item.editedAt} />
              </div>
              <RichText text={item.body} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
