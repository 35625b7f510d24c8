import { useEffect, useRef, useState } from 'react';
import type { RestrictionListItemDto } from '../../../../shared/moderation.js';
import { ApiError } from '../../api/client.js';
import { useAction } from '../../lib/use-action.js';
import { Avatar, displayName } from '../Avatar.js';
import { Field, fieldError, FormError, formError } from '../Form.js';
import { RelativeTime } from '../RelativeTime.js';
import { RESTRICTION_WORDS, untilText } from './words.js';

/**
 * Lifting a restriction early, in place: the first press asks, naming the
 * person and what is lifted, with the reason they will be told; only the
 * confirmation acts. Escape or "Cancel" steps back to the button.
 */
function LiftRestriction({
  item,
  onLift,
}: {
  item: RestrictionListItemDto;
  onLift: (reason: string) => Promise<void>;
}) {
  const name = displayName(item.person);
  const { noun } = RESTRICTION_WORDS[item.kind];
  const what = `the ${noun} on ${name}`;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (!asking && wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button
        ref={openRef}
        type="button"
        className="secondary small"
        aria-label={`Lift ${what}`}
        onClick={() => setAsking(true)}
      >
        Lift {noun}
      </button>
    );
  const cancel = () => {
    setAsking(false);
    setError(null);
  };
  return (
    <form
      className="lift-form"
      aria-label={`Lift ${what}`}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim() === '')
          return setError(new ApiError('validation_error', 'Give a reason', 400, 'reason'));
        void run(() => onLift(reason.trim()));
      }}
    >
      <p className="lift-question">Lift {what} now?</p>
      <Field
        label={`Reason (told to ${name})`}
        type="text"
        value={reason}
        maxLength={1000}
        autoFocus
        onChange={(e) => setReason(e.target.value)}
        error={fieldError(error, 'reason')}
      />
      <div className="row">
        <button type="submit" className="small" disabled={busy}>
          {busy ? 'Lifting…' : `Yes, lift the ${noun}`}
        </button>
        <button type="button" className="secondary small" onClick={cancel}>
          Cancel
        </button>
      </div>
      <FormError message={formError(error, ['reason'])} />
    </form>
  );
}

/**
 * One restriction in force (a mute, a ban or a suspension): whom, until when,
 * since when and why, and the way to lift it early.
 */
export function RestrictionRow({
  item,
  onLift,
}: {
  item: RestrictionListItemDto;
  onLift: (reason: string) => Promise<void>;
}) {
  const words = RESTRICTION_WORDS[item.kind];
  return (
    <li className="restriction-row" data-testid="restriction">
      <Avatar user={item.person} size={36} />
      <div className="restriction-who">
        <div className="row">
          <span className="member-name">{displayName(item.person)}</span>
          <span className={`pill ${item.kind === 'mute' ? 'warn' : 'danger'}`}>{words.mark}</span>
        </div>
        <div className="small">
          {untilText(item.until).replace(/^until/, 'Until')} · since{' '}
          <RelativeTime iso={item.createdAt} />
        </div>
        <div className="small muted restriction-reason">Reason: {item.reason}</div>
      </div>
      <div className="restriction-lift">
        <LiftRestriction item={item} onLift={onLift} />
      </div>
    </li>
  );
}
