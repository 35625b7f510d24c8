import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  QUICK_VOTE_KINDS,
  type MeetingDto,
  type QuickVoteKind,
} from '../../../../shared/meetings.js';
import { messageOf } from '../../api/client.js';
import { castVote, loadPoll } from '../../data/polls.js';
import { useAction } from '../../lib/use-action.js';
import { act, newClientId } from '../../realtime/meeting.js';
import { useStore } from '../../store/index.js';
import { fieldError, formError, TextAreaField } from '../Form.js';
import { KIND_HINTS, KIND_LABELS } from '../polls/poll-text.js';
import { PollResults } from '../polls/PollResults.js';
import { VoteForm } from '../polls/VoteForm.js';
import { QuickVoteReason } from './QuickVoteReason.js';

/** Kinds voted in one tap (one option, value 1); the others take the discussion's ballot. */
const ONE_TAP = new Set<string>(['proposal', 'single_choice'] satisfies QuickVoteKind[]);

/**
 * Opening a quick vote: a proposal prefilled from the current item, in two
 * clicks; or any kind a meeting can open, with its options one per line.
 */
function OpenVote({ meeting }: { meeting: MeetingDto }) {
  const id = useId();
  const item = meeting.agenda.find((i) => i.id === meeting.currentItemId);
  const [kind, setKind] = useState<QuickVoteKind>('proposal');
  const proposal = item ? `${item.title}: agreed?` : '';
  const [title, setTitle] = useState(proposal);
  const [options, setOptions] = useState('');
  const [seconds, setSeconds] = useState('60');
  const [hidden, setHidden] = useState(true);
  const { busy, error, run } = useAction();
  const formMessage = formError(error, ['action.options']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const labels = options
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    void run(() =>
      act(meeting.id, {
        type: 'vote.open',
        clientId: newClientId(),
        kind,
        title,
        ...(kind === 'proposal' ? {} : { options: labels }),
        durationSeconds: seconds === '' ? null : Number(seconds),
        hidden,
      }),
    );
  };
  return (
    <form onSubmit={submit} aria-label="Open a quick vote" className="stack">
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => {
            const next = e.target.value as QuickVoteKind;
            // The proposal's prefilled question, untouched, becomes the item's title.
            if (item && title === proposal && next !== 'proposal') setTitle(item.title);
            setKind(next);
          }}
          aria-describedby={`${id}-kind-hint`}
        >
          {QUICK_VOTE_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <div className="hint" id={`${id}-kind-hint`}>
          {KIND_HINTS[kind]}
        </div>
      </div>
      <label className="field">
        <span>{kind === 'proposal' ? 'Proposal' : 'Question'}</span>
        <input
          type="text"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
        />
      </label>
      {kind !== 'proposal' && (
        <TextAreaField
          label="Options"
          hint="One per line, at least two."
          error={fieldError(error, 'action.options')}
          value={options}
          onChange={(e) => setOptions(e.target.value)}
          rows={3}
          required
        />
      )}
      <div className="row">
        <label className="field">
          <span>{kind === 'proposal' ? 'Seconds (empty: until I close it)' : 'Seconds'}</span>
          <input
            type="number"
            min={1}
            required={kind !== 'proposal'}
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={hidden} onChange={(e) => setHidden(e.target.checked)} />
          Hide results until I reveal them
        </label>
      </div>
      <button className="button small" disabled={busy}>
        Open the vote
      </button>
      {formMessage !== undefined && (
        <p className="form-error" role="alert">
          {formMessage}
        </p>
      )}
    </form>
  );
}

/** The latest quick vote: voting, closing, revealing, and its results once visible. */
export function QuickVote({
  meeting,
  projector = false,
}: {
  meeting: MeetingDto;
  projector?: boolean;
}) {
  const vote = meeting.quickVote;
  const poll = vote?.poll ?? null;
  const mine = useStore((s) => (poll ? (s.myVotes[poll.id] ?? null) : null));
  // The meeting presents its vote for a stand-in of each view: whether this person may vote,
  // and their own ballot (after a reload too), come from the poll as the API shows it to them.
  const pollId = poll?.id ?? null;
  const participate = !projector && meeting.abilities.canParticipate;
  useEffect(() => {
    if (pollId && participate) void loadPoll(pollId).catch(() => undefined);
  }, [pollId, participate]);
  const ownPoll = useStore((s) => (pollId ? s.polls[pollId] : undefined));
  const canVote = ownPoll?.abilities.canVote ?? true; // until known, the server decides
  const { busy, error, run } = useAction();
  // A reason on its way holds the positions, as a position on its way holds the reason.
  const [reasonBusy, setReasonBusy] = useState(false);
  const facilitate = !projector && meeting.abilities.canFacilitate && meeting.state === 'live';
  // Once the meeting has ended, its facilitators may still close its last vote and reveal it.
  const settle =
    facilitate || (!projector && meeting.view === 'facilitator' && meeting.state === 'ended');
  const open = poll !== null && poll.closedAt === null;
  const ballot = participate && open && poll !== null;
  const revealable = vote?.hidden === true && !vote.revealed;
  // The room's screen shows results, and only while the item they were voted on is current.
  if (projector && (!poll || !poll.results || vote?.itemId !== meeting.currentItemId)) return null;
  return (
    <section className="card meeting-vote" aria-labelledby="vote-title">
      <h2 id="vote-title">Quick vote</h2>
      {poll ? (
        <>
          <p className="vote-question">
            <strong>{poll.title}</strong>{' '}
            <span className={`pill${open ? ' brand' : ''}`}>{open ? 'Open' : 'Closed'}</span>
          </p>
          {vote?.ballots !== null && vote?.ballots !== undefined && (
            <p className="small">{vote.ballots} ballot(s) cast</p>
          )}
          {ballot && !canVote && <p className="small muted">You may not vote in this poll.</p>}
          {ballot && canVote && !ONE_TAP.has(poll.kind) && (
            <VoteForm
              key={poll.id}
              poll={{ ...poll, abilities: { ...poll.abilities, canVote: true } }}
            />
          )}
          {ballot && canVote && ONE_TAP.has(poll.kind) && (
            <div className="row" role="group" aria-label="Your position">
              {poll.options.map((o) => {
                const chosen = mine?.choices.some((c) => c.optionId === o.id) ?? false;
                return (
                  <button
                    key={o.id}
                    className={`button small${chosen ? '' : ' secondary'}`}
                    aria-pressed={chosen}
                    disabled={busy || reasonBusy}
                    onClick={() =>
                      void run(() =>
                        castVote(poll.id, {
                          choices: [{ optionId: o.id, value: 1 }],
                          reason: mine?.reason ?? '',
                        }),
                      )
                    }
                  >
                    {o.label}
                  </button>
                );
              })}
            </div>
          )}
          {participate && canVote && ONE_TAP.has(poll.kind) && mine && (
            <QuickVoteReason
              key={poll.id}
              pollId={poll.id}
              mine={mine}
              open={open}
              held={busy}
              onBusy={setReasonBusy}
            />
          )}
          {poll.results && !ONE_TAP.has(poll.kind) ? (
            <PollResults poll={poll} />
          ) : poll.results ? (
            <ul className="vote-results" aria-label="Results">
              {poll.results.options.map((o) => (
                <li key={o.optionId}>
                  <span className="count">{o.score}</span> {o.label}
                </li>
              ))}
            </ul>
          ) : (
            <p className="small muted">Results are hidden until the facilitator reveals them.</p>
          )}
          {settle && (open || revealable) && (
            <div className="row">
              {open && (
                <button
                  className="button small secondary"
                  disabled={busy}
                  onClick={() => void run(() => act(meeting.id, { type: 'vote.close' }))}
                >
                  Close the vote
                </button>
              )}
              {revealable && (
                <button
                  className="button small"
                  disabled={busy}
                  onClick={() => void run(() => act(meeting.id, { type: 'vote.reveal' }))}
                >
                  Reveal results
                </button>
              )}
            </div>
          )}
        </>
      ) : (
        !facilitate && <p className="small muted">No vote yet.</p>
      )}
      {facilitate && !open && meeting.discussionIds.length > 0 && (
        <OpenVote key={meeting.currentItemId} meeting={meeting} />
      )}
      {facilitate && !open && meeting.discussionIds.length === 0 && (
        <p className="small muted">
          A quick vote is a poll in a discussion linked to the meeting: link one under “Edit
          details” to open votes here.
        </p>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </section>
  );
}
