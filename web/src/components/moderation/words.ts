/** How moderation's vocabulary reads on screen. */
import type {
  ModerationAction,
  ModerationNoticeDto,
  ReportReason,
  ReportTargetKind,
  RestrictionKind,
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

/** A restriction's state as a short mark, and as a noun for sentences ("Lift the mute on …"). */
export const RESTRICTION_WORDS: Record<RestrictionKind, { mark: string; noun: string }> = {
  mute: { mark: 'Muted', noun: 'mute' },
  ban: { mark: 'Banned', noun: 'ban' },
  suspension: { mark: 'Suspended', noun: 'suspension' },
};

/**
 * What a moderation notice tells its person, in one sentence: `group` is the
 * group's name when known. Never who acted or who reported.
 */
export function noticeText(notice: ModerationNoticeDto, group: string | null): string {
  const where = group ?? 'a group';
  const until = untilText(notice.until);
  const sentences: Record<string, string> = {
    hide: `Your comment in ${where} was hidden pending review.`,
    restore: `Your comment in ${where} was restored.`,
    approve: `Your comment in ${where} was approved: everyone can see it now.`,
    delete: `Your comment in ${where} was removed by the moderators.`,
    warn: `The moderators of ${where} sent you a warning.`,
    mute: `You were muted in ${where} ${until}.`,
    unmute: `Your mute in ${where} was lifted: you can take part again.`,
    lock: `Your discussion in ${where} was locked.`,
    remove: `You were removed from ${where}.`,
    ban: `You were banned from ${where} ${until}.`,
    unban: `Your ban from ${where} was lifted: you may join again.`,
    suspend: `Your account was suspended across the site ${until}.`,
    unsuspend: 'The suspension of your account was lifted.',
    site_remove: 'The site administrators removed your comment.',
  };
  return sentences[notice.action] ?? `Moderation: ${notice.action.replace(/_/g, ' ')}.`;
}

/**
 * Where a notice leads: its discussion (at the comment while it still exists),
 * unless it took one out of the group (a removal or a ban); null for none.
 */
export function noticeTarget(
  notice: ModerationNoticeDto,
): { discussionId: string; commentId: string | null } | null {
  if (!notice.discussionId || notice.action === 'remove' || notice.action === 'ban') return null;
  const gone = notice.action === 'delete' || notice.action === 'site_remove';
  return { discussionId: notice.discussionId, commentId: gone ? null : notice.commentId };
}
