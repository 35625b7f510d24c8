import { useId, useRef, useState } from 'react';
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

type Target = { kind: ReportTargetKind; id: string };

/** The status of one's latest report of a target: received, then handled (live, `report:updated`). */
export function useReportStatus(
  target: Target,
  groupId?: string,
): OwnReportDto['status'] | undefined {
  return useStore((s) => {
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
}

/** What became of one's report, in a few words. */
export function ReportStatus({ status }: { status: OwnReportDto['status'] }) {
  return (
    <span className="small muted report-status" role="status">
      <Link to={ROUTES.myModeration} className="muted">
        {status === 'handled' ? 'Report handled by the moderators' : 'Report received'}
      </Link>
    </span>
  );
}

/**
 * The report itself: a reason and an optional note, sent to the group's
 * moderators. The reason takes focus when it opens; `onClose` runs on Cancel
 * and Escape (the opener puts focus back where it was).
 */
export function ReportForm({
  target,
  label,
  groupId,
  onClose,
}: {
  target: Target;
  label: string;
  groupId?: string;
  onClose: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'sending'>('idle');
  const [error, setError] = useState<string | null>(null);
  const send = () => {
    setState('sending');
    setError(null);
    fileReport({ target, reason, note, groupId }).then(
      () => {
        setState('idle');
        onClose();
      },
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
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <label htmlFor={`${id}-reason`} className="small">
        Reason
      </label>
      <select
        id={`${id}-reason`}
        value={reason}
        autoFocus
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
      <button type="button" className="secondary small" onClick={onClose}>
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

/**
 * "Report" on a discussion, poll or person: opens the report form (see
 * ReportForm). The reporter sees that it was received; the reported person
 * never learns who reported. Comments offer it from their menu instead.
 */
export function ReportButton({
  target,
  label,
  groupId,
  statusOnly = false,
}: {
  target: Target;
  label: string;
  groupId?: string;
  /** Only the status of one's report, never the button (content already under moderation). */
  statusOnly?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const status = useReportStatus(target, groupId);

  if (status) return <ReportStatus status={status} />;
  if (statusOnly) return null;
  if (!open)
    return (
      <button
        ref={button}
        type="button"
        className="link small"
        aria-label={`Report ${label}`}
        onClick={() => setOpen(true)}
      >
        Report
      </button>
    );
  return (
    <ReportForm
      target={target}
      label={label}
      groupId={groupId}
      onClose={() => {
        setOpen(false);
        // The button comes back on the next render: focus it then.
        requestAnimationFrame(() => button.current?.focus());
      }}
    />
  );
}
