/** How moderation's vocabulary reads on screen. */
import type {
  ModerationAction,
  ReportReason,
  ReportTargetKind,
} from '../../../../shared/moderation.js';

export const REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam',
  harassment: 'Harassment',
  off_topic: 'Off topic',
  illegal: 'Illegal content',
  other: 'Something else',
};

export const ACTION_LABELS: Record<ModerationAction, string> = {
  dismiss: 'Dismiss the reports',
  hide: 'Hide pending review',
  restore: 'Restore',
  approve: 'Approve',
  delete: 'Delete',
  warn: 'Warn the author privately',
  mute: 'Mute the author',
  lock: 'Lock the discussion',
  remove: 'Remove the author from the group',
  ban: 'Ban the author',
  escalate: 'Escalate to the site administrators',
};

/** Past actions in an author's history (audit actions without their `moderation_` prefix). */
export function pastAction(action: string): string {
  const known: Record<string, string> = {
    dismiss: 'reports dismissed',
    hide: 'hidden',
    restore: 'restored',
    approve: 'approved',
    delete: 'deleted',
    warn: 'warned',
    mute: 'muted',
    unmute: 'unmuted',
    lock: 'discussion locked',
    remove: 'removed',
    ban: 'banned',
    escalate: 'escalated',
  };
  return known[action] ?? action.replace(/_/g, ' ');
}

export const KIND_LABELS: Record<ReportTargetKind, string> = {
  comment: 'Comment',
  discussion: 'Discussion',
  poll: 'Poll',
  person: 'Person',
};

/** Durations offered for a mute, in minutes. */
export const MUTE_DURATIONS: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 10, label: '10 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '1 day' },
  { minutes: 7 * 24 * 60, label: '1 week' },
  { minutes: 30 * 24 * 60, label: '30 days' },
];

/** "until 14:05" today, "until 3 May, 14:05" otherwise; "until lifted" without an end. */
export function untilText(iso: string | null): string {
  if (!iso) return 'until lifted';
  const at = new Date(iso);
  const today = at.toDateString() === new Date().toDateString();
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return today
    ? `until ${time}`
    : `until ${at.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time}`;
}
