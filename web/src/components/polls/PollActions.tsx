/**
 * Running a poll: close it now, reopen it (with a new closing time when the
 * old one has passed) and publish its outcome, each offered only when the
 * poll's abilities allow it.
 */
import { Suspense, useState, type FormEvent } from 'react';
import { CollabEditor } from '../../collab/LazyCollabEditor.js';
import type { PollDto } from '../../../../shared/dto.js';
import { closePoll, publishOutcome, reopenPoll } from '../../data/polls.js';
import { Field, FormError, fieldError, formError } from '../Form.js';
import { isoToLocal, localToIso } from './poll-text.js';
import { outcomePrompt } from './poll-verdict.js';

type Open = 'none' | 'reopen' | 'outcome';

export function PollActions({ poll }: { poll: PollDto }) {
  const { canClose, canReopen, canPublishOutcome } = poll.abilities;
  const [open, setOpen] = useState<Open>('none');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [statement, setStatement] = useState(poll.outcome?.statement ?? '');
  const closed = poll.closedAt !== null;
  const oldCloseAhead = poll.closesAt !== null && Date.parse(poll.closesAt) > Date.now();
  const needsNewTime = poll.kind !== 'proposal' && !oldCloseAhead;
  const [closesAt, setClosesAt] = useState(() =>
    needsNewTime ? isoToLocal(new Date(Date.now() + 3 * 24 * 3600 * 1000)) : '',
  );

  if (!canClose && !canReopen && !canPublishOutcome) return null;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setOpen('none');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function submitReopen(event: FormEvent) {
    event.preventDefault();
    void run(() => reopenPoll(poll.id, closesAt === '' ? undefined : localToIso(closesAt)));
  }

  function submitOutcome(event: FormEvent) {
    event.preventDefault();
    void run(() => publishOutcome(poll.id, statement.trim()));
  }

  return (
    <div className="poll-actions">
      {open === 'none' && (
        <div className="row">
          {canClose && !closed && (
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              onClick={() => void run(() => closePoll(poll.id))}
            >
              Close poll<span className="visually-hidden"> {poll.title}</span>
            </button>
          )}
          {canPublishOutcome && closed && (
            <button type="button" className="small" onClick={() => setOpen('outcome')}>
              {poll.outcome ? 'Edit outcome' : 'Publish outcome'}
              <span className="visually-hidden"> of {poll.title}</span>
            </button>
          )}
          {canReopen && closed && (
            <button type="button" className="secondary small" onClick={() => setOpen('reopen')}>
              Reopen<span className="visually-hidden"> {poll.title}</span>
            </button>
          )}
        </div>
      )}
      {open === 'outcome' && (
        <form className="poll-inline-form" onSubmit={submitOutcome}>
          {/* Drafted together by those who manage the poll; published as Markdown. */}
          <p className="poll-outcome-prompt" data-testid="outcome-prompt">
            {outcomePrompt(poll)}
          </p>
          <p className="muted small">
            Everyone who may publish can write this draft together; voters are notified when it is
            published.
          </p>
          <Suspense fallback={<p>{statement}</p>}>
            <CollabEditor
              docKey={`poll:${poll.id}:outcome`}
              discussionId={poll.discussionId}
              label="Outcome"
              fallback={poll.outcome?.statement ?? ''}
              onText={setStatement}
            />
          </Suspense>
          <FormError message={formError(error, ['statement'])} />
          <div className="row">
            <button type="submit" disabled={busy || statement.trim() === ''}>
              Publish outcome
            </button>
            <button type="button" className="link" onClick={() => setOpen('none')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {open === 'reopen' && (
        <form className="poll-inline-form" onSubmit={submitReopen}>
          <Field
            label={needsNewTime ? 'New closing time' : 'New closing time (optional)'}
            type="datetime-local"
            value={closesAt}
            required={needsNewTime}
            onChange={(e) => setClosesAt(e.target.value)}
            error={fieldError(error, 'closesAt')}
          />
          <FormError message={formError(error, ['closesAt'])} />
          <div className="row">
            <button type="submit" disabled={busy}>
              Reopen poll
            </button>
            <button type="button" className="link" onClick={() => setOpen('none')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {open === 'none' && <FormError message={formError(error, [])} />}
    </div>
  );
}
