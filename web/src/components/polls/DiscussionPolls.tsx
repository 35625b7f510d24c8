/**
 * The polls of a discussion as the store holds them (loaded with the
 * discussion and kept live by the socket), as compact cards that open in
 * place: open polls first (newest first), then closed ones (latest closed
 * first). A link to one poll (`#poll-…`, from an email or a notification)
 * opens it, and so does starting one. The form to start a poll shows when the
 * discussion's abilities allow it.
 */
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import type { PollDto } from '../../../../shared/dto.js';
import { pollAnchor } from '../../../../shared/routes.js';
import { useStore } from '../../store/index.js';
import { PartBoundary } from '../PartBoundary.js';
import { NewPollForm } from './NewPollForm.js';
import { PollCard } from './PollCard.js';
import './polls.css';

/** Open polls before closed ones; newest first among open, latest closed first among closed. */
export function pollOrder(a: PollDto, b: PollDto): number {
  const closedA = a.closedAt !== null;
  const closedB = b.closedAt !== null;
  if (closedA !== closedB) return closedA ? 1 : -1;
  const at = (p: PollDto) => Date.parse(p.closedAt ?? p.createdAt);
  return at(b) - at(a) || (a.id < b.id ? 1 : -1);
}

/** The poll a `#poll-…` fragment names, if any. */
function pollInHash(hash: string, ids: readonly string[]): string | null {
  return ids.find((id) => hash === `#${pollAnchor(id)}`) ?? null;
}

export function DiscussionPolls({ discussionId }: { discussionId: string }) {
  const canStartPoll = useStore(
    (s) => s.discussions[discussionId]?.abilities.canStartPoll ?? false,
  );
  const polls = useStore((s) => s.polls);
  const { hash } = useLocation();
  const [creating, setCreating] = useState(false);
  const [announce, setAnnounce] = useState('');
  const ids = useMemo(
    () =>
      Object.values(polls)
        .filter((p): p is PollDto => p.discussionId === discussionId)
        .sort(pollOrder)
        .map((p) => p.id),
    [polls, discussionId],
  );
  // Which cards are open, and the one opened to vote (its ballot takes focus).
  const [open, setOpen] = useState<ReadonlySet<string>>(() => {
    const linked = pollInHash(hash, ids);
    return new Set(linked ? [linked] : []);
  });
  const [toVote, setToVote] = useState<string | null>(null);

  useEffect(() => {
    const linked = pollInHash(hash, ids);
    if (linked) setOpen((held) => (held.has(linked) ? held : new Set([...held, linked])));
  }, [hash, ids]);

  const toggle = (id: string, expand: boolean, vote = false) => {
    setOpen((held) => {
      const next = new Set(held);
      if (expand) next.add(id);
      else next.delete(id);
      return next;
    });
    setToVote(expand && vote ? id : null);
  };

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
            toggle(poll.id, true);
          }}
        />
      )}
      {ids.length === 0 && !creating ? (
        <p className="muted small discussion-polls-empty">No polls yet.</p>
      ) : (
        <div className="poll-list">
          {ids.map((id) => (
            <PartBoundary key={id} what="poll" resetKey={polls[id]?.updatedAt}>
              <PollCard
                pollId={id}
                expanded={open.has(id)}
                focusBallot={toVote === id}
                onToggle={(expand, vote) => toggle(id, expand, vote)}
              />
            </PartBoundary>
          ))}
        </div>
      )}
    </section>
  );
}
