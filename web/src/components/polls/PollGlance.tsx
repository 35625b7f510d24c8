/**
 * A poll at a glance, for its compact card: a small live result where the
 * viewer may see results (or a word on when they will), and the viewer's own
 * vote or a "Vote" button; a closed poll shows its outcome, or how it ended.
 * Reads only what the poll record already carries for this viewer.
 */
import type { PollDto } from '../../../../shared/dto.js';
import { PROPOSAL_POSITIONS } from '../../../../shared/domain.js';
import { useStore } from '../../store/index.js';
import { describeChoices, plural } from './poll-text.js';
import { verdictOf, verdictText } from './poll-verdict.js';

/** The position words as counts read: "2 agree · 1 block". */
const POSITION_WORDS: Record<string, string> = {
  agree: 'agree',
  abstain: 'abstain',
  disagree: 'disagree',
  block: 'block',
};

function hiddenShort(poll: PollDto): string {
  if (poll.settings.hideResults === 'until_closed') return 'Results when it closes';
  if (poll.settings.hideResults === 'until_revealed') return 'Results when revealed';
  return poll.abilities.canVote ? 'Results after you vote' : 'Results hidden for now';
}

/** A proposal's positions as one stacked bar (colour and pattern per position) and in words. */
function ProposalMini({ poll }: { poll: PollDto }) {
  const results = poll.results!;
  const byId = new Map(results.options.map((o) => [o.optionId, o]));
  const counted = PROPOSAL_POSITIONS.map((id) => ({ id, score: byId.get(id)?.score ?? 0 }));
  const total = counted.reduce((sum, c) => sum + c.score, 0);
  const words = counted.filter((c) => c.score > 0).map((c) => `${c.score} ${POSITION_WORDS[c.id]}`);
  const verdict = verdictOf(poll, results);
  return (
    <span className="poll-mini">
      <span className="poll-mini-stack" aria-hidden="true">
        {total > 0 &&
          counted
            .filter((c) => c.score > 0)
            .map((c) => (
              <span
                key={c.id}
                className="poll-mini-part"
                data-option={c.id}
                style={{ width: `${(c.score / total) * 100}%` }}
              />
            ))}
      </span>
      <span className="poll-mini-text" data-testid="poll-mini-result">
        {words.length === 0 ? 'No votes yet' : words.join(' · ')}
        {verdict.kind === 'tied' && <span className="pill poll-mini-pill">Tied</span>}
        {verdict.kind === 'blocked' && <span className="pill danger poll-mini-pill">Blocked</span>}
      </span>
    </span>
  );
}

/** Every other kind: who leads (or the tie), and how many voted; a count poll's progress. */
function OtherMini({ poll }: { poll: PollDto }) {
  const results = poll.results!;
  if (poll.kind === 'count') {
    const committed = results.committed ?? 0;
    const threshold = poll.settings.threshold ?? 1;
    return (
      <span className="poll-mini">
        <span className="poll-mini-stack" aria-hidden="true">
          <span
            className="poll-mini-part"
            data-reached={results.thresholdReached || undefined}
            style={{ width: `${Math.min(100, (committed / threshold) * 100)}%` }}
          />
        </span>
        <span className="poll-mini-text" data-testid="poll-mini-result">
          {committed} of {threshold} in
          {results.thresholdReached && (
            <span className="pill brand poll-mini-pill">Going ahead</span>
          )}
        </span>
      </span>
    );
  }
  const verdict = verdictOf(poll, results);
  return (
    <span className="poll-mini">
      <span className="poll-mini-text" data-testid="poll-mini-result">
        {verdictText(verdict, poll.closedAt !== null)}
        {results.voterCount > 0 && (
          <span className="muted"> · {plural(results.voterCount, 'vote')}</span>
        )}
      </span>
    </span>
  );
}

/** The small live result, or when results will show. */
export function MiniResult({ poll }: { poll: PollDto }) {
  if (!poll.abilities.canSeeResults || !poll.results)
    return (
      <span className="poll-mini poll-mini-hidden muted" data-testid="poll-mini-result">
        {hiddenShort(poll)}
      </span>
    );
  return poll.kind === 'proposal' ? <ProposalMini poll={poll} /> : <OtherMini poll={poll} />;
}

/** The kinds whose ballot reads well in a few words on the compact card. */
const SHORT_BALLOT = new Set(['proposal', 'single_choice', 'multiple_choice', 'count']);

export function PollGlance({ poll, onVote }: { poll: PollDto; onVote: () => void }) {
  const myVote = useStore((s) => s.myVotes[poll.id] ?? null);
  const closed = poll.closedAt !== null;
  if (closed) {
    return (
      <div className="poll-glance poll-glance-closed" data-testid="poll-glance">
        {poll.outcome ? (
          <p className="poll-glance-outcome">
            <span className="poll-glance-label">Outcome</span> {poll.outcome.statement}
          </p>
        ) : (
          <MiniResult poll={poll} />
        )}
      </div>
    );
  }
  return (
    <div className="poll-glance" data-testid="poll-glance">
      <MiniResult poll={poll} />
      {myVote ? (
        <span className="poll-glance-mine small" data-testid="my-vote-glance">
          <span className="muted">Your vote</span>
          {SHORT_BALLOT.has(poll.kind) && (
            <>
              : <strong>{describeChoices(poll, myVote.choices)}</strong>
            </>
          )}
          {!SHORT_BALLOT.has(poll.kind) && <span className="muted"> is in</span>}
        </span>
      ) : (
        poll.abilities.canVote && (
          <button type="button" className="small poll-glance-vote" onClick={onVote}>
            Vote<span className="visually-hidden"> on {poll.title}</span>
          </button>
        )
      )}
    </div>
  );
}
