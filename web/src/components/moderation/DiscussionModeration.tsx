import { useId, useState } from 'react';
import type { DiscussionDto } from '../../../../shared/dto.js';
import { setSlowMode } from '../../data/moderation.js';
import { useAction } from '../../lib/use-action.js';
import { useStore } from '../../store/index.js';
import { ReportButton } from '../discussion/ReportButton.js';
import { Field, fieldError, FormError, formError } from '../Form.js';
import './moderation.css';

const SLOW_CHOICES: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 0, label: 'Off' },
  { seconds: 10, label: '10 seconds' },
  { seconds: 30, label: '30 seconds' },
  { seconds: 60, label: '1 minute' },
  { seconds: 120, label: '2 minutes' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
];

/** Slow mode on a discussion, for its group's moderators: how often each person may comment, and why. */
function SlowModeControl({ discussion }: { discussion: DiscussionDto }) {
  const id = useId();
  const current = discussion.slowModeSeconds ?? 0;
  const [seconds, setSeconds] = useState(current === 0 ? 30 : current);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const submit = () =>
    void run(async () => {
      await setSlowMode(discussion.id, seconds, reason.trim());
      setReason('');
    });
  const reasonError = fieldError(error, 'reason');
  return (
    <details className="slow-mode-control">
      <summary>Slow mode: {current > 0 ? `one comment per ${current} s` : 'off'}</summary>
      <form
        aria-label="Slow mode"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-seconds`}>At most one comment per person every</label>
          <select
            id={`${id}-seconds`}
            value={seconds}
            onChange={(e) => setSeconds(Number(e.target.value))}
          >
            {SLOW_CHOICES.map((c) => (
              <option key={c.seconds} value={c.seconds}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <Field
          label="Reason"
          type="text"
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          error={reasonError}
        />
        <button type="submit" className="small" disabled={busy}>
          {seconds === 0 ? 'Turn slow mode off' : 'Set slow mode'}
        </button>
        <FormError message={formError(error, ['reason'])} />
      </form>
    </details>
  );
}

/**
 * Moderation at the head of a discussion: reporting it (participants, not its
 * author) and slow mode (the group's moderators, from the group's abilities).
 */
export function DiscussionModeration({ discussion }: { discussion: DiscussionDto }) {
  const groupId = discussion.group?.id ?? null;
  const canModerate = useStore((s) =>
    groupId ? s.groups[groupId]?.abilities.canModerate === true : false,
  );
  const meId = useStore((s) => s.me?.id ?? null);
  const canReport = discussion.abilities.canReport === true && discussion.author.id !== meId;
  if (!canModerate && !canReport) return null;
  return (
    <div className="discussion-moderation">
      {canReport && (
        <ReportButton target={{ kind: 'discussion', id: discussion.id }} label="this discussion" />
      )}
      {canModerate && <SlowModeControl discussion={discussion} />}
    </div>
  );
}

/** "Report" on a poll, for the discussion's participants other than the poll's author. */
export function PollReport({
  poll,
}: {
  poll: { id: string; discussionId: string; author: { id: string }; title: string };
}) {
  const canReport = useStore((s) => s.discussions[poll.discussionId]?.abilities.canReport === true);
  const meId = useStore((s) => s.me?.id ?? null);
  if (!canReport || poll.author.id === meId) return null;
  return (
    <div className="poll-report">
      <ReportButton target={{ kind: 'poll', id: poll.id }} label={`poll ${poll.title}`} />
    </div>
  );
}
