/**
 * The votes of a poll with their reasons, for a viewer who may see results.
 * Read again whenever the store's copy of the poll changes (a vote arrived
 * live), never edited in place. In an anonymous poll the server sends no
 * voter, id or time, and nothing here names or pictures anyone.
 */
import { useEffect, useState } from 'react';
import type { PollDto } from '../../../../shared/dto.js';
import { messageOf } from '../../api/client.js';
import { isNamedVote, loadVotes, type ListedVote } from '../../data/polls.js';
import { Avatar, displayName } from '../Avatar.js';
import { TypedText } from '../Markdown.js';
import { RelativeTime } from '../RelativeTime.js';
import { describeChoices } from './poll-text.js';

interface Loaded {
  items: ListedVote[];
  nextCursor: string | null;
}

export function PollVotes({ poll }: { poll: PollDto }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const version = `${poll.id}:${poll.updatedAt}:${poll.voterCount ?? 0}`;

  useEffect(() => {
    const abort = new AbortController();
    loadVotes(poll.id, undefined, abort.signal).then(
      (page) => {
        setLoaded(page);
        setError(null);
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(messageOf(e));
      },
    );
    return () => abort.abort();
  }, [version]);

  async function showMore() {
    if (!loaded?.nextCursor) return;
    setMore(true);
    try {
      const page = await loadVotes(poll.id, loaded.nextCursor);
      setLoaded({ items: [...loaded.items, ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setMore(false);
    }
  }

  if (error) return <p className="form-error small">{error}</p>;
  if (!loaded || loaded.items.length === 0) return null;
  const anonymous = poll.settings.anonymous;
  return (
    <section className="poll-votes" aria-label="Votes and reasons" data-testid="poll-votes">
      <h4>{anonymous ? 'Votes and reasons (anonymous)' : 'Votes and reasons'}</h4>
      <ul className="list">
        {loaded.items.map((vote, i) => (
          <li key={isNamedVote(vote) ? vote.id : `anonymous-${i}`} className="poll-vote-row">
            {isNamedVote(vote) ? (
              <Avatar user={vote.voter} size={28} />
            ) : (
              <span className="poll-anon-mark" aria-hidden="true" />
            )}
            <div className="poll-vote-body">
              <div className="small">
                <strong>
                  {isNamedVote(vote)
                    ? displayName(vote.voter)
                    : vote.mine
                      ? 'Your vote'
                      : 'Anonymous'}
                </strong>
                {isNamedVote(vote) && (
                  <span className="muted">
                    {' · '}
                    <RelativeTime iso={vote.updatedAt} />
                  </span>
                )}
              </div>
              <div className="poll-vote-choices">{describeChoices(poll, vote.choices)}</div>
              {vote.reason && <TypedText text={vote.reason} className="poll-reason" />}
            </div>
          </li>
        ))}
      </ul>
      {loaded.nextCursor && (
        <button type="button" className="link" disabled={more} onClick={() => void showMore()}>
          {more ? 'Loading…' : 'Show more votes'}
        </button>
      )}
    </section>
  );
}
