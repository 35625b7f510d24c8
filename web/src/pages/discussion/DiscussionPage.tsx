import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { DiscussionHeader } from '../../components/discussion/DiscussionHeader.js';
import { Composer } from '../../components/discussion/Composer.js';
import { TypingIndicator } from '../../components/discussion/Presence.js';
import { Timeline } from '../../components/discussion/Timeline.js';
import { useAnchorTarget } from '../../components/discussion/use-anchor-target.js';
import { useReading } from '../../components/discussion/use-reading.js';
import { useGroupModeration } from '../../components/discussion/use-group-moderation.js';
import { LoadGate } from '../../components/Loading.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import { DiscussionPolls } from '../../components/polls/DiscussionPolls.js';
import { loadDiscussion, reloadComments } from '../../data/discussions.js';
import { useLoad } from '../../lib/use-load.js';
import { watchDiscussion } from '../../realtime/socket.js';
import { useStore } from '../../store/index.js';
import '../../components/discussion/discussion.css';
import { groupPath } from '../../lib/paths.js';

/** Shown in place of everything once the server says this viewer may no longer read it. */
function Revoked() {
  return (
    <div className="page-narrow card revoked" role="alert">
      <h1>You no longer have access to this discussion</h1>
      <p className="muted">
        You were removed from its group, or it is now private. What it contained is no longer shown
        here.
      </p>
      <Link to="/">Back to your inbox</Link>
    </div>
  );
}

/** Where the composer goes: the composer itself, or why there is none. */
function TakePart({ id }: { id: string }) {
  const discussion = useStore((s) => s.discussions[id]);
  const me = useStore((s) => s.me);
  const location = useLocation();
  if (!discussion) return null;
  if (!me)
    return (
      <div className="take-part">
        <p>
          <Link to={`/signin?next=${encodeURIComponent(location.pathname)}`}>Sign in</Link> to take
          part in this discussion.
        </p>
        <p className="muted small">
          No account yet? <Link to="/signup">Create one</Link>.
        </p>
      </div>
    );
  if (discussion.abilities.canComment) return <Composer discussion={discussion} />;
  if (discussion.closed)
    return <p className="take-part muted">This discussion is closed to new comments.</p>;
  return (
    <p className="take-part muted">
      {discussion.group ? (
        <>
          Only members of <Link to={groupPath(discussion.group)}>{discussion.group.name}</Link> can
          comment here.
        </>
      ) : (
        'Only the people invited to this discussion can comment.'
      )}
    </p>
  );
}

function DiscussionView({ id }: { id: string }) {
  const state = useLoad(id, async () => {
    await loadDiscussion(id);
    useStore.getState().clearRevoked(id);
  });
  const ready = state.status === 'ready';
  const discussion = useStore((s) => s.discussions[id]);
  const revoked = useStore((s) => s.revoked[id] === true);
  const timelineRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  // The read mark as the page opened: what came after it is "new" for this visit.
  const [unreadAfter, setUnreadAfter] = useState<number | null | undefined>(undefined);

  useEffect(() => {
    if (!ready) return;
    return watchDiscussion(id);
  }, [ready, id]);

  // Closing or reopening changes what one may do with every comment: fetch their abilities again.
  const closed = discussion?.closed;
  const seenClosed = useRef(closed);
  useEffect(() => {
    if (!ready || closed === undefined) return;
    if (seenClosed.current === undefined) seenClosed.current = closed;
    if (seenClosed.current === closed) return;
    seenClosed.current = closed;
    void reloadComments(id).catch(() => undefined);
  }, [ready, closed, id]);

  useEffect(() => {
    if (!ready || unreadAfter !== undefined) return;
    setUnreadAfter(useStore.getState().readStates[id]?.lastReadSequence ?? null);
  }, [ready, unreadAfter, id]);

  const reading = useReading({ discussion, container: timelineRef, end: endRef, ready });
  useAnchorTarget(ready && discussion !== undefined && !revoked);
  // The group's abilities (and, for its coordinators, its members) for "Remove from group".
  useGroupModeration(ready ? discussion : undefined);
  const firstUnread = useStore((s) => {
    if (unreadAfter === undefined || unreadAfter === null) return null;
    const meId = s.me?.id;
    let first: { id: string; sequence: number } | null = null;
    for (const c of Object.values(s.comments)) {
      if (c.discussionId !== id || c.sequence <= unreadAfter || c.author.id === meId) continue;
      if (!first || c.sequence < first.sequence) first = { id: c.id, sequence: c.sequence };
    }
    return first?.id ?? null;
  });
  const firstUnreadSequence = useStore((s) =>
    firstUnread ? (s.comments[firstUnread]?.sequence ?? 0) : 0,
  );

  if (revoked) return <Revoked />;
  if (!ready || !discussion) return <LoadGate state={state} what="the discussion" />;

  const jumpToUnread = () => {
    const el = firstUnread ? document.getElementById(`comment-${firstUnread}`) : null;
    el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    el?.focus({ preventScroll: true });
  };

  return (
    <div className="discussion-page">
      <PartBoundary what="discussion header" resetKey={discussion.updatedAt}>
        <DiscussionHeader discussion={discussion} />
      </PartBoundary>
      <PartBoundary what="polls">
        <DiscussionPolls discussionId={id} />
      </PartBoundary>
      <section className="card timeline-card" aria-labelledby="timeline-title">
        <div className="timeline-head">
          <h2 id="timeline-title">Discussion</h2>
          {firstUnread && reading.seenUpTo < firstUnreadSequence && (
            <button type="button" className="secondary small" onClick={jumpToUnread}>
              Jump to first unread
            </button>
          )}
        </div>
        <div ref={timelineRef}>
          <PartBoundary what="timeline">
            <Timeline discussion={discussion} unreadAfter={unreadAfter ?? null} />
          </PartBoundary>
        </div>
        <div ref={endRef} className="timeline-end" aria-hidden="true" />
        <PartBoundary what="typing indicator">
          <TypingIndicator discussionId={id} />
        </PartBoundary>
        <PartBoundary what="composer">
          <TakePart id={id} />
        </PartBoundary>
      </section>
      {reading.freshCount > 0 && !reading.atBottom && (
        <button type="button" className="fresh-pill" onClick={reading.showFresh}>
          <span aria-hidden="true">↓</span> {reading.freshCount}{' '}
          {reading.freshCount === 1 ? 'new comment' : 'new comments'}
        </button>
      )}
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
        {reading.announcement}
      </div>
    </div>
  );
}

/** A discussion (`/d/:id`): its head, polls, threaded live timeline and composer. */
export function DiscussionPage() {
  const { id = '' } = useParams();
  return <DiscussionView key={id} id={id} />;
}
