/**
 * The polls of a discussion, newest first, as the store holds them (loaded
 * with the discussion and kept live by the socket), and the form to start one
 * when the discussion's abilities allow it.
 */
import { useMemo, useState } from 'react';
import type { PollDto } from '../../../../shared/dto.js';
import { useStore } from '../../store/index.js';
import { PartBoundary } from '../PartBoundary.js';
import { NewPollForm } from './NewPollForm.js';
import { PollCard } from './PollCard.js';
import './polls.css';

export function DiscussionPolls({ discussionId }: { discussionId: string }) {
  const canStartPoll = useStore(
    (s) => s.discussions[discussionId]?.abilities.canStartPoll ?? false,
  );
  const polls = useStore((s) => s.polls);
  const [creating, setCreating] = useState(false);
  const [announce, setAnnounce] = useState('');
  const ids = useMemo(
    () =>
      Object.values(polls)
        .filter((p): p is PollDto => p.discussionId === discussionId)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1))
        .map((p) => p.id),
    [polls, discussionId],
  );

  if (ids.length === 0 && !canStartPoll) return null;
  return (
    <section className="discussion-polls" aria-labelledby="discussion-polls-title">
      <div className="discussion-polls-head">
        <h2 id="discussion-polls-title">Polls and proposals</h2>
        {canStartPoll && !creating && (
          <button type="button" className="secondary small" onClick={() => setCreating(true)}>
            New poll
          </button>
        )}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
      {creating && (
        <NewPollForm
          discussionId={discussionId}
          onCancel={() => setCreating(false)}
          onDone={(poll) => {
            setCreating(false);
            setAnnounce(`Poll started: ${poll.title}`);
          }}
        />
      )}
      {ids.length === 0 && !creating ? (
        <p className="muted small discussion-polls-empty">No polls yet.</p>
      ) : (
        <div className="poll-list">
          {ids.map((id) => (
            <PartBoundary key={id} what="poll" resetKey={polls[id]?.updatedAt}>
              <PollCard pollId={id} />
            </PartBoundary>
          ))}
        </div>
      )}
    </section>
  );
}
