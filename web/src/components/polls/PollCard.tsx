/**
 * One poll as the discussion shows it: what it asks, its state and who may
 * vote, its outcome, the results (or why they are hidden), the viewer's vote,
 * the votes with reasons and the actions its abilities allow. Reads the poll
 * from the store, so every live update re-renders it.
 */
import { Suspense, useId } from 'react';
import { CollabEditor } from '../../collab/LazyCollabEditor.js';
import { useStore } from '../../store/index.js';
import { Avatar, displayName } from '../Avatar.js';
import { Markdown } from '../Markdown.js';
import { ClosingTime } from '../ClosingTime.js';
import { RelativeTime } from '../RelativeTime.js';
import { PollActions } from './PollActions.js';
import { PollReport } from '../moderation/DiscussionModeration.js';
import { PollResults } from './PollResults.js';
import { PollVotes } from './PollVotes.js';
import { VoteForm } from './VoteForm.js';
import { KIND_LABELS, plural } from './poll-text.js';
import type { PollDto } from '../../../../shared/dto.js';
import { pollAnchor } from '../../../../shared/routes.js';

function whoVotes(poll: PollDto): string {
  const listed = poll.settings.voterIds;
  if (listed) return `${plural(listed.length, 'chosen person', 'chosen people')} can vote`;
  return poll.groupId ? 'The group votes' : 'Participants vote';
}

function Status({ poll }: { poll: PollDto }) {
  if (poll.closedAt) {
    return (
      <span className="poll-status">
        <span className="pill">Closed</span>{' '}
        <span className="muted small">
          <RelativeTime iso={poll.closedAt} />
        </span>
      </span>
    );
  }
  return (
    <span className="poll-status">
      <span className="pill brand">Open</span>{' '}
      <span className="muted small">
        {poll.closesAt ? (
          <>
            closes <ClosingTime iso={poll.closesAt} />
          </>
        ) : (
          'until closed'
        )}
      </span>
    </span>
  );
}

export function PollCard({ pollId }: { pollId: string }) {
  const poll = useStore((s) => s.polls[pollId]);
  const titleId = useId();
  if (!poll) return null;
  const showVotes = poll.abilities.canSeeResults && poll.results !== undefined;
  return (
    <article
      className="card poll-card"
      id={pollAnchor(poll.id)}
      tabIndex={-1}
      aria-labelledby={titleId}
      data-testid="poll-card"
      data-kind={poll.kind}
      data-closed={poll.closedAt !== null || undefined}
    >
      <header className="poll-head">
        <div className="row poll-meta">
          <span className="pill poll-kind">{KIND_LABELS[poll.kind]}</span>
          <Status poll={poll} />
          {poll.settings.anonymous && <span className="pill">Anonymous</span>}
        </div>
        <h3 id={titleId} className="poll-title">
          {poll.title}
        </h3>
        <div className="muted small poll-byline">
          <span className="poll-byline-item">
            <Avatar user={poll.author} size={20} /> {displayName(poll.author)}
          </span>
          <span className="poll-byline-item">
            <RelativeTime iso={poll.createdAt} />
          </span>
          <span className="poll-byline-item">{whoVotes(poll)}</span>
        </div>
      </header>
      {(poll.details.trim() !== '' || poll.abilities.canEdit) && (
        <div className="poll-details">
          <Suspense fallback={<Markdown source={poll.details} topLevel={4} />}>
            <CollabEditor
              docKey={`poll:${poll.id}:details`}
              discussionId={poll.discussionId}
              label="Details"
              fallback={poll.details}
            />
          </Suspense>
        </div>
      )}
      {poll.outcome && (
        <section className="poll-outcome" aria-label="Outcome" data-testid="poll-outcome">
          <h4>Outcome</h4>
          <div className="poll-outcome-text md">
            <Markdown source={poll.outcome.statement} topLevel={5} />
          </div>
          <div className="muted small">
            {displayName(poll.outcome.author)} · <RelativeTime iso={poll.outcome.createdAt} />
          </div>
        </section>
      )}
      <PollResults poll={poll} />
      <VoteForm poll={poll} />
      {showVotes && <PollVotes poll={poll} />}
      <PollActions poll={poll} />
      <PollReport poll={poll} />
    </article>
  );
}
