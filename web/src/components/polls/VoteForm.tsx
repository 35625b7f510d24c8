/**
 * The viewer's vote: what they voted (with "Sending…" while the server has not
 * confirmed it), and the form to cast or change it. Votes are optimistic; a
 * refused vote is rolled back by `castVote` and its error shown here, at the
 * ballot or the reason it concerns.
 */
import { useState, type FormEvent } from 'react';
import type { PollDto } from '../../../../shared/dto.js';
import { validateChoices } from '../../../../shared/polls.js';
import { ApiError, messageOf } from '../../api/client.js';
import { castVote } from '../../data/polls.js';
import { useStore } from '../../store/index.js';
import { FormError, TextAreaField } from '../Form.js';
import { TypedText } from '../Markdown.js';
import { RelativeTime } from '../RelativeTime.js';
import { Ballot, choicesOf, initialDraft, rulesOf, type Draft } from './Ballot.js';
import { describeChoices, fieldPath } from './poll-text.js';

type Problem = { field: 'choices' | 'reason' | 'form'; message: string };

function problemOf(error: unknown): Problem {
  if (error instanceof ApiError && error.field) {
    const field = fieldPath(error.field);
    if (field === 'reason') return { field: 'reason', message: `Reason ${error.message}.` };
    if (field.startsWith('choices')) return { field: 'choices', message: error.message };
  }
  return { field: 'form', message: messageOf(error) };
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function VoteForm({ poll }: { poll: PollDto }) {
  const myVote = useStore((s) => s.myVotes[poll.id] ?? null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => initialDraft(poll, myVote));
  const [reason, setReason] = useState(myVote?.reason ?? '');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState('');

  const canVote = poll.abilities.canVote;
  const showForm = canVote && (editing || !myVote);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const choices = choicesOf(poll, draft);
    const invalid = validateChoices(rulesOf(poll), choices);
    if (invalid) {
      const field = fieldPath(invalid.field);
      setProblem({
        field: 'choices',
        message:
          field === 'choices'
            ? sentence(`Your vote ${invalid.message}`)
            : sentence(invalid.message),
      });
      return;
    }
    if (poll.settings.reasonRequired && reason.trim() === '') {
      setProblem({ field: 'reason', message: 'Please give a reason: this poll asks for one.' });
      return;
    }
    setProblem(null);
    setSending(true);
    setEditing(false);
    setDone('');
    try {
      await castVote(poll.id, { choices, reason: reason.trim() });
      setDone('Your vote is in.');
    } catch (error) {
      setProblem(problemOf(error));
      setEditing(true);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="poll-vote">
      {myVote && !showForm && (
        <div className="poll-my-vote" data-testid="my-vote">
          <div>
            <span className="muted small">Your vote</span>
            {sending ? (
              <span className="pill warn">Sending…</span>
            ) : (
              <span className="muted small">
                {' · '}
                <RelativeTime iso={myVote.updatedAt} />
              </span>
            )}
          </div>
          <div className="poll-my-choices">{describeChoices(poll, myVote.choices)}</div>
          {myVote.reason && <TypedText text={myVote.reason} className="poll-reason" />}
          {canVote && (
            <button
              type="button"
              className="secondary small"
              disabled={sending}
              onClick={() => {
                setDraft(initialDraft(poll, myVote));
                setReason(myVote.reason);
                setProblem(null);
                setEditing(true);
              }}
            >
              Change your vote<span className="visually-hidden"> on {poll.title}</span>
            </button>
          )}
        </div>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {done}
      </p>
      {problem?.field === 'form' && !showForm && <FormError message={problem.message} />}
      {showForm && (
        <form className="poll-vote-form" onSubmit={(e) => void submit(e)} noValidate>
          <Ballot
            poll={poll}
            draft={draft}
            onChange={(d) => {
              setDraft(d);
              if (problem?.field === 'choices') setProblem(null);
            }}
            error={problem?.field === 'choices' ? problem.message : undefined}
          />
          <TextAreaField
            label={poll.settings.reasonRequired ? 'Reason' : 'Reason (optional)'}
            hint={poll.settings.reasonRequired ? 'This poll asks everyone to say why.' : undefined}
            formatting
            value={reason}
            maxLength={5000}
            rows={2}
            onChange={(e) => setReason(e.target.value)}
            error={problem?.field === 'reason' ? problem.message : undefined}
          />
          <FormError message={problem?.field === 'form' ? problem.message : undefined} />
          <div className="row">
            <button type="submit" disabled={sending}>
              {myVote ? 'Update vote' : 'Vote'}
              <span className="visually-hidden"> on {poll.title}</span>
            </button>
            {myVote && (
              <button
                type="button"
                className="link"
                onClick={() => {
                  setEditing(false);
                  setProblem(null);
                  setDraft(initialDraft(poll, myVote));
                  setReason(myVote.reason);
                }}
              >
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
