import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ROUTES } from '../../../../shared/routes.js';
import { messageOf } from '../../api/client.js';
import { fileReport } from '../../data/moderation.js';
import {
  REPORT_REASONS,
  type OwnReportDto,
  type ReportReason,
  type ReportTargetKind,
} from '../../../../shared/moderation.js';
import { useStore } from '../../store/index.js';
import { REASON_LABELS as LABELS } from '../moderation/words.js';

/**
 * "Report" on a comment, discussion, poll or person: a small form with a
 * reason and an optional note, sent to the group's moderators. The reporter
 * sees that it was received; the reported person never learns who reported.
 */
export function ReportButton({
  target,
  label,
  groupId,
  statusOnly = false,
}: {
  target: { kind: ReportTargetKind; id: string };
  label: string;
  groupId?: string;
  /** Only the status of one's report, never the button (content already under moderation). */
  statusOnly?: boolean;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason>('spam');
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'sending'>('idle');
  const [error, setError] = useState<string | null>(null);
  // One's latest report of this target: received, then handled (live, `report:updated`).
  const status = useStore((s) => {
    let latest: OwnReportDto | undefined;
    for (const r of Object.values(s.myReports))
      if (
        r.targetId === target.id &&
        (target.kind !== 'person' || r.groupId === groupId) &&
        (!latest || r.createdAt > latest.createdAt)
      )
        latest = r;
    return latest?.status;
  });

  if (status)
    return (
      <span className="small muted report-status" role="status">
        <Link to={ROUTES.myModeration} className="muted">
          {status === 'handled' ? 'Report handled by the moderators' : 'Report received'}
        </Link>
      </span>
    );
  if (statusOnly) return null;
  if (!open)
    return (
      <button
        type="button"
        className="link small"
        aria-label={`Report ${label}`}
        onClick={() => setOpen(true)}
      >
        Report
      </button>
    );
  const send = () => {
    setState('sending');
    setError(null);
    fileReport({ target, reason, note, groupId }).then(
      () => setState('idle'),
      (e: unknown) => {
        setState('idle');
        setError(messageOf(e));
      },
    );
  };
  return (
    <form
      className="report-form"
      aria-label={`Report ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label htmlFor={`${id}-reason`} className="small">
        Reason
      </label>
      <select
        id={`${id}-reason`}
        value={reason}
        onChange={(e) => setReason(e.target.value as ReportReason)}
      >
        {REPORT_REASONS.map((r) => (
          <option key={r} value={r}>
            {LABELS[r]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-note`} className="small">
        Note for the moderators (optional)
      </label>
      <input
        type="text"
        id={`${id}-note`}
        value={note}
        maxLength={1000}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className="small" disabled={state === 'sending'}>
        Send report
      </button>
      <button type="button" className="secondary small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
