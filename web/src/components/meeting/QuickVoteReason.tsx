import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { OwnVoteDto } from '../../../../shared/dto.js';
import { castVote } from '../../data/polls.js';
import { useAction } from '../../lib/use-action.js';
import { fieldError, FormError, formError, TextAreaField } from '../Form.js';
import { TypedText } from '../Markdown.js';

/**
 * The reason for a one-tap ballot: optional, added or changed after the tap
 * (a meeting votes in seconds; the reason can follow), and kept when the
 * position changes. Saving casts the same position again, with the reason, as
 * the discussion's ballot would. One cast at a time: while a tap is on its way
 * the form waits (`held`), and while the reason is, the positions do
 * (`onBusy`), so the server never keeps another ballot than the screen shows.
 * Once the vote closes, the reason stays on the card, and a reason still
 * being written is said not to have been saved.
 */
export function QuickVoteReason({
  pollId,
  mine,
  open,
  held,
  onBusy,
}: {
  pollId: string;
  mine: OwnVoteDto;
  open: boolean;
  held: boolean;
  onBusy: (busy: boolean) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState(mine.reason);
  const { busy, error, setError, run } = useAction();
  useEffect(() => onBusy(busy), [busy, onBusy]);
  // Closing the form gives the focus back to the button that opened it, not to the page.
  const opener = useRef<HTMLButtonElement>(null);
  const [returning, setReturning] = useState(false);
  useEffect(() => {
    if (editing || !returning) return;
    opener.current?.focus();
    setReturning(false);
  }, [editing, returning]);
  const close = () => {
    setEditing(false);
    setReturning(true);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    // The same reason again would cast the same ballot again: nothing to send.
    if (reason.trim() === mine.reason) return close();
    const saved = await run(() =>
      castVote(pollId, { choices: mine.choices, reason: reason.trim() }),
    );
    if (saved) close();
  }

  if (!open)
    return (
      <div className="quick-vote-reason">
        {mine.reason && <TypedText text={mine.reason} className="poll-reason" />}
        {editing && reason.trim() !== mine.reason && (
          <p className="small muted" role="status">
            The vote closed before your reason was saved.
          </p>
        )}
        <FormError message={formError(error, [])} />
      </div>
    );
  if (!editing)
    return (
      <div className="quick-vote-reason">
        {mine.reason && <TypedText text={mine.reason} className="poll-reason" />}
        <button
          ref={opener}
          type="button"
          className="button small secondary"
          disabled={held}
          onClick={() => {
            setReason(mine.reason);
            setError(null);
            setEditing(true);
          }}
        >
          {mine.reason ? 'Change your reason' : 'Add a reason'}
        </button>
      </div>
    );
  return (
    <form
      className="quick-vote-reason"
      aria-label="Your reason"
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) close();
      }}
    >
      <TextAreaField
        label="Reason (optional)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={fieldError(error, 'reason')}
        maxLength={5000}
        rows={2}
        autoFocus
      />
      <FormError message={formError(error, ['reason'])} />
      <div className="row">
        <button type="submit" className="button small" disabled={busy || held}>
          Save reason
        </button>
        <button type="button" className="button small secondary" disabled={busy} onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
