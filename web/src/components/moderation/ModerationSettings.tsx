import { useId, useState, type FormEvent } from 'react';
import type { GroupDto } from '../../../../shared/dto.js';
import type { HoldPosts } from '../../../../shared/moderation.js';
import { refreshGroup } from '../../data/groups.js';
import { setHoldPosts } from '../../data/moderation.js';
import { useAction } from '../../lib/use-action.js';
import { Field, fieldError, FormError, formError } from '../Form.js';
import './moderation.css';

const HOLD_CHOICES: ReadonlyArray<{ value: HoldPosts; label: string; hint: string }> = [
  { value: 'off', label: 'Off', hint: 'Comments appear at once.' },
  {
    value: 'first',
    label: 'First posts',
    hint: "A new member's comments wait for approval until one is approved.",
  },
  {
    value: 'recent',
    label: 'Recent members',
    hint: 'All comments of members who joined recently wait for approval.',
  },
];

/**
 * Hold first posts: whether new members' comments wait for a moderator's
 * approval (in the review queue) before anyone else sees them. Naming
 * moderators is done from the member list.
 */
export function ModerationSettings({ group }: { group: GroupDto }) {
  const id = useId();
  const [hold, setHold] = useState<HoldPosts>(group.moderation?.holdPosts ?? 'off');
  const [days, setDays] = useState(String(group.moderation?.holdDays ?? 3));
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const ok = await run(async () => {
      await setHoldPosts(group.id, {
        holdPosts: hold,
        holdDays: Number(days),
        reason: reason.trim(),
      });
      await refreshGroup(group.id);
    });
    if (ok) {
      setReason('');
      setSaved(true);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Moderation</h2>
      <p className="small muted">
        Name moderators from the member list: they review reports and act on them, without the rest
        of a coordinator&apos;s rights.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, ['holdPosts', 'holdDays', 'reason'])} />
        <fieldset className="hold-choices">
          <legend>Hold new members&apos; posts for approval</legend>
          {HOLD_CHOICES.map((c) => (
            <label key={c.value} className="radio">
              <input
                type="radio"
                name={`${id}-hold`}
                value={c.value}
                checked={hold === c.value}
                onChange={() => setHold(c.value)}
              />{' '}
              {c.label} <span className="small muted">{c.hint}</span>
            </label>
          ))}
        </fieldset>
        {hold === 'recent' && (
          <Field
            label="Members who joined less than this many days ago"
            type="number"
            min={1}
            max={365}
            value={days}
            error={fieldError(error, 'holdDays')}
            onChange={(e) => setDays(e.target.value)}
          />
        )}
        <Field
          label="Reason (for the audit log)"
          type="text"
          value={reason}
          maxLength={1000}
          error={fieldError(error, 'reason')}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          Save moderation settings
        </button>{' '}
        {saved && (
          <span className="small muted" role="status">
            Saved.
          </span>
        )}
      </form>
    </section>
  );
}
