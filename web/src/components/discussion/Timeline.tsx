import { useMemo } from 'react';
import type { DiscussionDto } from '../../../../shared/dto.js';
import { useStore } from '../../store/index.js';
import { PartBoundary } from '../PartBoundary.js';
import { CommentItem } from './CommentItem.js';
import { ActivityLine, Line } from './ActivityLine.js';
import { PendingComment } from './PendingComment.js';
import { buildTimeline, type ThreadNode } from './timeline-items.js';

function Thread({
  node,
  discussion,
  isUnread,
}: {
  node: ThreadNode;
  discussion: DiscussionDto;
  isUnread: (sequence: number, authorId: string) => boolean;
}) {
  const { comment } = node;
  return (
    <>
      <PartBoundary what="comment" resetKey={comment.updatedAt}>
        <CommentItem
          comment={comment}
          discussion={discussion}
          replyTo={node.replyTo}
          unread={isUnread(comment.sequence, comment.author.id)}
        />
      </PartBoundary>
      {(node.replies.length > 0 || node.pending.length > 0) && (
        <ol className={`replies depth-${node.depth + 1}`} aria-label={`Replies`}>
          {node.replies.map((reply) => (
            <li key={reply.comment.id}>
              <Thread node={reply} discussion={discussion} isUnread={isUnread} />
            </li>
          ))}
          {node.pending.map((p) => (
            <li key={p.clientId}>
              <PartBoundary what="comment">
                <PendingComment pending={p} />
              </PartBoundary>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/**
 * The discussion's threaded timeline, live from the store: comments with their
 * replies, the events worth a line, and the viewer's comments still sending.
 * Everything that counts as read carries `data-sequence` (see useReading).
 */
export function Timeline({
  discussion,
  unreadAfter,
}: {
  discussion: DiscussionDto;
  /** The read mark when the page opened: later comments by others show as new. Null: no read state. */
  unreadAfter: number | null;
}) {
  const id = discussion.id;
  const meId = useStore((s) => s.me?.id ?? null);
  const allComments = useStore((s) => s.comments);
  const allPending = useStore((s) => s.pendingComments);
  const events = useStore((s) => s.timelines[id]);
  const { items, pendingTopLevel } = useMemo(
    () =>
      buildTimeline(
        Object.values(allComments).filter((c) => c.discussionId === id),
        Object.values(events ?? {}),
        meId ? Object.values(allPending).filter((p) => p.discussionId === id) : [],
      ),
    [allComments, allPending, events, id, meId],
  );
  const isUnread = (sequence: number, authorId: string) =>
    unreadAfter !== null && sequence > unreadAfter && authorId !== meId;

  if (items.length === 0 && pendingTopLevel.length === 0)
    return <p className="empty timeline-empty">No comments yet. Start the conversation.</p>;
  return (
    <ol className="timeline" aria-label="Comments and activity">
      {items.map((item) => (
        <li key={item.key} className={item.type === 'thread' ? 'thread' : 'timeline-line'}>
          {item.type === 'thread' ? (
            <Thread node={item.node} discussion={discussion} isUnread={isUnread} />
          ) : (
            <PartBoundary what="timeline event">
              {item.type === 'activity' ? (
                <ActivityLine lines={item.lines} sequence={item.sequence} />
              ) : (
                <Line line={item} />
              )}
            </PartBoundary>
          )}
        </li>
      ))}
      {pendingTopLevel.map((p) => (
        <li key={p.clientId} className="thread">
          <PartBoundary what="comment">
            <PendingComment pending={p} />
          </PartBoundary>
        </li>
      ))}
    </ol>
  );
}
