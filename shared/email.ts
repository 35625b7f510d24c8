/**
 * Email preferences, as the server stores them and the web client edits them:
 * which kinds of notification a person wants by email, how much of each
 * group's activity, and whether group activity comes as one daily digest.
 */
import { NOTIFICATION_KINDS, type NotificationKind } from './domain.js';

/**
 * How much of a group's activity reaches a person by email. `important`:
 * new polls, polls closing soon and outcomes (decisions); `all` adds new
 * discussions; `none` sends nothing about the group's activity. Mentions and
 * replies are addressed to the person and follow their own switches only.
 */
export const GROUP_EMAIL_LEVELS = ['all', 'important', 'none'] as const;
export type GroupEmailLevel = (typeof GROUP_EMAIL_LEVELS)[number];

/** Kinds addressed to one person; the group level does not apply to them. */
export const PERSONAL_KINDS: readonly NotificationKind[] = ['mention', 'reply'];
/** Group activity a level of `important` lets through (`all` lets every group kind through). */
export const IMPORTANT_KINDS: readonly NotificationKind[] = [
  'new_poll',
  'poll_closing',
  'outcome',
  'meeting_started',
  'meeting_minutes',
];
/**
 * Group activity the daily digest gathers when it is on. Mentions, replies and
 * "closing soon" reminders stay immediate: they are personal or time-bound.
 */
export const DIGEST_KINDS: readonly NotificationKind[] = ['new_discussion', 'new_poll', 'outcome'];

/**
 * Kinds emailed the moment they are found, one email each: addressed to the
 * person, or live now. Every other kind waits a few minutes
 * (`MAIL_BATCH_WINDOW_MS`), so that what happens to a person in that window
 * (seven new polls in a minute) comes as one email listing it all.
 */
export const PROMPT_KINDS: readonly NotificationKind[] = ['mention', 'reply', 'meeting_started'];

/** What an unsubscribe link stops: one notification kind, or the daily digest. */
export const UNSUBSCRIBE_KINDS = [...NOTIFICATION_KINDS, 'digest'] as const;
export type UnsubscribeKind = (typeof UNSUBSCRIBE_KINDS)[number];

/** One person's email preferences (`GET`/`PATCH /api/me/email-preferences`). */
export interface EmailPreferencesDto {
  /** Whether each kind of notification may be emailed at all. */
  kinds: Record<NotificationKind, boolean>;
  /** The level of every group without its own entry in `groups`. */
  defaultGroupLevel: GroupEmailLevel;
  /** Per-group levels, overriding `defaultGroupLevel`. */
  groups: { groupId: string; level: GroupEmailLevel }[];
  /** Gather new discussions, new polls and outcomes into one email a day. */
  digest: boolean;
}

/** `GET`/`POST /api/unsubscribe/:token`: what the link stops, and whether it is stopped. */
export interface UnsubscribeDto {
  kind: UnsubscribeKind;
  /** Human-readable: "emails when someone mentions you". */
  description: string;
  /** False once unsubscribed. */
  subscribed: boolean;
}
