import { useId, useState } from 'react';
import type { SiteQueueItemDto } from '../../../../shared/moderation.js';
import { Field, fieldError, FormError, formError } from '../../components/Form.js';
import { LoadGate } from '../../components/Loading.js';
import { displayName } from '../../components/Avatar.js';
import { itemName, QueueContent, QueueReports } from '../../components/moderation/QueueItem.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { MUTE_DURATIONS, REASON_LABELS } from '../../components/moderation/words.js';
import { loadSiteQueue, suspendAccount, takeSiteAction } from '../../data/moderation.js';
import { useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import { ApiError } from '../../api/client.js';
import { PartBoundary } from '../../components/PartBoundary.js';
import { Suspensions } from './Suspensions.js';
import '../../components/moderation/moderation.css';

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type SiteAction = 'remove_content' | 'dismiss' | 'suspend';
const SUSPEND_FOR = [{ minutes: 0, label: 'Until lifted' }, ...MUTE_DURATIONS];

/** What the administrators may do with one item: remove it, dismiss, or suspend its author. */
function SiteActionForm({
  item,
  onDone,
}: {
  item: SiteQueueItemDto;
  onDone: (action: SiteAction) => void;
}) {
  const id = useId();
  const actions: SiteAction[] = [
    ...(item.target.kind === 'comment' && !item.target.deleted ? ['remove_content' as const] : []),
    'dismiss',
    ...(item.target.author ? ['suspend' as const] : []),
  ];
  const [action, setAction] = useState<SiteAction>(actions[0]);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(0);
  const { busy, error, setError, run } = useAction();
  const submit = () => {
    if (reason.trim() === '')
      return setError(new ApiError('validation_error', 'Give a reason', 400, 'reason'));
    void run(async () => {
      const target = { kind: item.target.kind, id: item.target.id };
      if (action === 'suspend')
        await suspendAccount(item.target.author!.id, reason.trim(), minutes || undefined);
      else await takeSiteAction({ target, action, reason: reason.trim() });
      setReason('');
      onDone(action);
    });
  };
  const reasonError = fieldError(error, 'reason');
  const labels: Record<SiteAction, string> = {
    remove_content: 'Remove the content',
    dismiss: 'Dismiss the reports',
    suspend: `Suspend ${item.target.author ? displayName(item.target.author) : 'the author'}`,
  };
  return (
    <form
      className="action-form"
      aria-label={`Act on ${itemName(item)}`}
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
          onChange={(e) => setAction(e.target.value as SiteAction)}
        >
          {actions.map((a) => (
            <option key={a} value={a}>
              {labels[a]}
            </option>
          ))}
        </select>
      </div>
      {action === 'suspend' && (
        <div className="field">
          <label htmlFor={`${id}-minutes`}>Suspend for</label>
          <select
            id={`${id}-minutes`}
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
          >
            {SUSPEND_FOR.map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <Field
        label="Reason (told to the person)"
        type="text"
        frameClassName="action-reason"
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
        error={reasonError}
      />
      <button type="submit" disabled={busy}>
        Apply
      </button>
      <FormError message={formError(error, ['reason'])} />
    </form>
  );
}

/**
 * The site administrators' queue: reports of illegal content and reports a
 * group's moderators escalated. It shows only what was reported, never the
 * rest of its group. Below it, the suspensions in force, to lift early.
 */
export function SiteModerationPage() {
  const isAdmin = useStore((s) => s.me?.isAdmin === true);
  const [items, setItems] = useState<SiteQueueItemDto[]>([]);
  const [suspensions, setSuspensions] = useState(0);
  const state = useLoad(isAdmin ? 'site-queue' : null, async () => setItems(await loadSiteQueue()));
  const done = (action: SiteAction) => {
    // A suspension leaves the reports open (the content may still need removing).
    if (action === 'suspend') setSuspensions((v) => v + 1);
    else state.reload();
  };
  if (!isAdmin)
    return (
      <section className="card">
        <h1>Site moderation</h1>
        <p className="empty">Only the site&apos;s administrators can see this page.</p>
      </section>
    );
  return (
    <div className="review-queue site-moderation">
      <h1>Site moderation</h1>
      <p className="muted">
        Reports of illegal content and reports escalated by a group&apos;s moderators (only what was
        reported is shown), and the <a href="#suspensions">suspensions in force</a>.
      </p>
      <h2 id="site-reports-title">
        Reports {state.status === 'ready' && <span className="muted count">{items.length}</span>}
      </h2>
      <LoadGate state={state} what="the site queue" />
      {state.status === 'ready' &&
        (items.length === 0 ? (
          <p className="card empty">Nothing to review.</p>
        ) : (
          items.map((item) => (
            <article
              key={item.key}
              className="card queue-item"
              aria-label={`Review ${itemName(item)}`}
              data-testid="site-queue-item"
            >
              <header className="queue-head">
                <h3>{capitalized(itemName(item))}</h3>
                {item.escalated && <span className="pill">Escalated</span>}
                <span className="small muted">
                  <RelativeTime iso={item.firstAt} />
                </span>
              </header>
              <QueueContent item={item} />
              <ul className="queue-reasons" aria-label="Report reasons">
                {Object.entries(item.reasons).map(([reason, count]) => (
                  <li key={reason} className="pill">
                    {REASON_LABELS[reason as keyof typeof REASON_LABELS]}
                    {count > 1 && <> × {count}</>}
                  </li>
                ))}
              </ul>
              <QueueReports item={item} />
              <SiteActionForm item={item} onDone={done} />
            </article>
          ))
        ))}
      <PartBoundary what="suspensions">
        <Suspensions version={suspensions} />
      </PartBoundary>
    </div>
  );
}
