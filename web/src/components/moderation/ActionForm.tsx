import { useId, useState } from 'react';
import type { ModerationAction, QueueItemDto } from '../../../../shared/moderation.js';
import { Field, fieldError, formError, FormError } from '../Form.js';
import { loadGroupRestrictions, loadQueue, takeAction } from '../../data/moderation.js';
import { useAction } from '../../lib/use-action.js';
import { ACTION_LABELS, MUTE_DURATIONS } from './words.js';
import { ApiError } from '../../api/client.js';

/** The actions that apply to an item as it stands (the server checks again). */
export function actionsFor(item: QueueItemDto): ModerationAction[] {
  const { target } = item;
  const onAuthor: ModerationAction[] = target.author ? ['warn', 'mute', 'remove', 'ban'] : [];
  if (target.kind === 'person') return ['dismiss', ...onAuthor, 'escalate'];
  if (target.kind !== 'comment') return ['dismiss', ...onAuthor, 'lock', 'escalate'];
  const own: ModerationAction[] = target.deleted
    ? []
    : item.held || target.held
      ? ['approve', 'delete']
      : target.hidden
        ? ['restore', 'delete']
        : ['hide', 'delete'];
  return ['dismiss', ...own, ...onAuthor, 'lock', 'escalate'];
}

const BAN_DURATIONS = [{ minutes: 0, label: 'Until lifted' }, ...MUTE_DURATIONS];

/**
 * One moderation action on a queue item: which action, why (required: it goes
 * to the audit log and, for most actions, to the author), and for a mute or a
 * ban how long. Errors show at the field they concern.
 */
export function ActionForm({ item, name }: { item: QueueItemDto; name: string }) {
  const id = useId();
  const actions = actionsFor(item);
  const [action, setAction] = useState<ModerationAction>(actions[1] ?? actions[0]);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(MUTE_DURATIONS[0].minutes);
  const [banMinutes, setBanMinutes] = useState(0);
  const { busy, error, setError, run } = useAction();

  const submit = () => {
    if (reason.trim() === '')
      return setError(new ApiError('validation_error', 'Give a reason', 400, 'reason'));
    const duration =
      action === 'mute' ? minutes : action === 'ban' && banMinutes > 0 ? banMinutes : undefined;
    void run(async () => {
      await takeAction(item.groupId, {
        target: { kind: item.target.kind, id: item.target.id },
        action,
        reason: reason.trim(),
        minutes: duration,
      });
      setReason('');
      // Not every action changes the reports (hiding keeps the item open): show its effect now.
      await loadQueue(item.groupId);
      if (action === 'mute' || action === 'ban') await loadGroupRestrictions(item.groupId);
    });
  };
  const reasonError = fieldError(error, 'reason');
  const durationError = fieldError(error, 'minutes');
  const actionError = fieldError(error, 'action') ?? fieldError(error, 'target');
  return (
    <form
      className="action-form"
      aria-label={`Act on ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <select
          id={`${id}-action`}
          value={action}
          aria-invalid={actionError ? true : undefined}
          aria-describedby={actionError ? `${id}-action-error` : undefined}
          onChange={(e) => setAction(e.target.value as ModerationAction)}
        >
          {actions.map((a) => (
            <option key={a} value={a}>
              {ACTION_LABELS[a]}
            </option>
          ))}
        </select>
        {actionError && (
          <div className="error" id={`${id}-action-error`}>
            {actionError}
          </div>
        )}
      </div>
      {(action === 'mute' || action === 'ban') && (
        <div className="field">
          <label htmlFor={`${id}-minutes`}>{action === 'mute' ? 'Mute for' : 'Ban for'}</label>
          <select
            id={`${id}-minutes`}
            value={action === 'mute' ? minutes : banMinutes}
            aria-invalid={durationError ? true : undefined}
            aria-describedby={durationError ? `${id}-minutes-error` : undefined}
            onChange={(e) =>
              (action === 'mute' ? setMinutes : setBanMinutes)(Number(e.target.value))
            }
          >
            {(action === 'mute' ? MUTE_DURATIONS : BAN_DURATIONS).map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
          {durationError && (
            <div className="error" id={`${id}-minutes-error`}>
              {durationError}
            </div>
          )}
        </div>
      )}
      <Field
        label="Reason"
        type="text"
        frameClassName="action-reason"
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
        hint={`Recorded in the audit log${action === 'dismiss' || action === 'escalate' ? '' : ' and told to the author'}.`}
        error={reasonError}
      />
      <button type="submit" disabled={busy}>
        Apply
      </button>
      <FormError message={formError(error, ['reason', 'minutes', 'action', 'target'])} />
    </form>
  );
}
