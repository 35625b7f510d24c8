/**
 * A poll's results as the tally gives them: bars for choice, proposal, score
 * and dot polls, progress towards the threshold for count polls, an ordered
 * list for ranked choice and a time grid for meeting polls. It renders from the
 * store's copy of the poll, so it moves as live updates arrive.
 */
import type { PollDto } from '../../../../shared/dto.js';
import type { OptionResult, PollResults as Results } from '../../../../shared/polls.js';
import { optionLabel, plural } from './poll-text.js';
import { isTie } from './poll-verdict.js';

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function labelOf(poll: PollDto, result: OptionResult): string {
  const option = poll.options.find((o) => o.id === result.optionId);
  return option ? optionLabel(option) : result.label;
}

function valueText(poll: PollDto, r: OptionResult): string {
  switch (poll.kind) {
    case 'score':
      return r.average === undefined
        ? 'not scored yet'
        : `${r.score} total · ${r.average.toFixed(1)} average`;
    case 'dot_vote':
      return `${plural(r.score, 'dot')} · ${percent(r.share)}`;
    default:
      return `${plural(r.score, 'vote')} · ${percent(r.share)}`;
  }
}

function Bars({ poll, results }: { poll: PollDto; results: Results }) {
  const leaders = new Set(results.leaders);
  // Several options ahead together are "Tied", never several "Leading"; a block stops a
  // proposal whatever leads (the summary says "Blocked").
  const tied = isTie(results);
  const proposal = poll.kind === 'proposal';
  const ranked = !(proposal && results.blocked);
  return (
    <ul className={proposal ? 'poll-bars poll-positions' : 'poll-bars'}>
      {results.options.map((r) => (
        <li
          key={r.optionId}
          className="poll-bar"
          data-leader={leaders.has(r.optionId) || undefined}
          data-option={proposal ? r.optionId : undefined}
        >
          <div className="poll-bar-head">
            <span className="poll-bar-label">
              {proposal && (
                <span className="poll-swatch" data-option={r.optionId} aria-hidden="true" />
              )}
              <span className="poll-bar-name">{labelOf(poll, r)}</span>
              {ranked &&
                leaders.has(r.optionId) &&
                results.voterCount > 0 &&
                (tied ? (
                  <span className="pill poll-leader poll-tied">Tied</span>
                ) : (
                  <span className="pill brand poll-leader">Leading</span>
                ))}
            </span>
            <span className="poll-bar-value" data-testid="poll-bar-value">
              {valueText(poll, r)}
            </span>
          </div>
          <div className="poll-bar-track" aria-hidden="true">
            <div
              className="poll-bar-fill"
              data-option={proposal ? r.optionId : undefined}
              style={{ width: percent(r.share) }}
            />
          </div>
        </li>
      ))}
    </ul>
  );
}

function CountProgress({ poll, results }: { poll: PollDto; results: Results }) {
  const committed = results.committed ?? results.options[0]?.score ?? 0;
  const threshold = poll.settings.threshold ?? 1;
  const share = Math.min(1, committed / threshold);
  return (
    <div className="poll-count">
      <div className="poll-bar-head">
        <span className="poll-bar-label">
          {committed} of {threshold} people in
        </span>
        {results.thresholdReached ? (
          <span className="pill brand">Going ahead</span>
        ) : (
          <span className="poll-bar-value">{threshold - committed} more needed</span>
        )}
      </div>
      <div
        className="poll-bar-track"
        role="progressbar"
        aria-label="People in"
        aria-valuemin={0}
        aria-valuemax={threshold}
        aria-valuenow={committed}
      >
        <div
          className="poll-bar-fill"
          data-reached={results.thresholdReached || undefined}
          style={{ width: percent(share) }}
        />
      </div>
    </div>
  );
}

function Ranked({ poll, results }: { poll: PollDto; results: Results }) {
  const order = [...results.options].sort((a, b) => a.rank - b.rank);
  return (
    <ol className="poll-ranked">
      {order.map((r) => (
        <li key={r.optionId} data-leader={(r.rank === 1 && results.voterCount > 0) || undefined}>
          <span className="poll-rank" aria-label={`Rank ${r.rank}`}>
            {r.rank}
          </span>
          <div className="poll-ranked-body">
            <div className="poll-bar-head">
              <span className="poll-bar-label">{labelOf(poll, r)}</span>
              <span className="poll-bar-value" data-testid="poll-bar-value">
                {plural(r.score, 'point')} · ranked by {r.voters}
              </span>
            </div>
            <div className="poll-bar-track" aria-hidden="true">
              <div className="poll-bar-fill" style={{ width: percent(r.share) }} />
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}

function MeetingGrid({ poll, results }: { poll: PollDto; results: Results }) {
  const leaders = new Set(results.leaders);
  const most = Math.max(1, results.voterCount);
  const cell = (n: number | undefined, kind: string) => (
    <td data-answer={kind} style={{ ['--heat' as string]: String((n ?? 0) / most) }}>
      {n ?? 0}
    </td>
  );
  return (
    <div className="poll-grid-wrap">
      <table className="poll-grid">
        <caption className="visually-hidden">Answers per proposed time</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Yes</th>
            <th scope="col">If need be</th>
            <th scope="col">No</th>
          </tr>
        </thead>
        <tbody>
          {results.options.map((r) => (
            <tr key={r.optionId} data-leader={leaders.has(r.optionId) || undefined}>
              <th scope="row">
                {labelOf(poll, r)}
                {leaders.has(r.optionId) && <span className="pill brand poll-leader">Best</span>}
              </th>
              {cell(r.yes, 'yes')}
              {cell(r.ifNeedBe, 'maybe')}
              {cell(r.no, 'no')}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why the viewer does not see the results yet. */
export function hiddenReason(poll: PollDto): string {
  if (poll.settings.hideResults === 'until_closed')
    return 'Results are hidden until the poll closes.';
  if (poll.settings.hideResults === 'until_revealed')
    return 'Results are hidden until the facilitator reveals them.';
  return poll.abilities.canVote
    ? 'Results are hidden until you vote.'
    : 'Results are shown to those who have voted, and to everyone once the poll closes.';
}

/** The results, or why they are hidden. */
export function PollResults({ poll }: { poll: PollDto }) {
  const results = poll.results;
  if (!poll.abilities.canSeeResults || !results) {
    return (
      <p className="poll-hidden" data-testid="poll-hidden">
        {hiddenReason(poll)}
      </p>
    );
  }
  return (
    <section className="poll-results" aria-label="Results">
      <p className="poll-results-summary muted small" role="status" aria-live="polite">
        {results.voterCount === 0 ? 'No votes yet' : plural(results.voterCount, 'vote')}
        {results.blocked && <span className="pill danger poll-leader">Blocked</span>}
      </p>
      {poll.kind === 'count' ? (
        <CountProgress poll={poll} results={results} />
      ) : poll.kind === 'ranked_choice' ? (
        <Ranked poll={poll} results={results} />
      ) : poll.kind === 'meeting_time' ? (
        <MeetingGrid poll={poll} results={results} />
      ) : (
        <Bars poll={poll} results={results} />
      )}
    </section>
  );
}
