/**
 * Notification emails: what one delivery (or one digest) says, in text and
 * HTML, with its unsubscribe link in the body and the List-Unsubscribe and
 * List-Unsubscribe-Post headers (RFC 2369, RFC 8058), so mail providers offer
 * one-click unsubscribe (P11). Names come through the user presenter, so a
 * deactivated or deleted author is never named (P8, P9). Everything here is
 * pure; the jobs load the records.
 */
import type { NotificationKind } from '../../../shared/domain.js';
import type { UnsubscribeKind } from '../../../shared/email.js';
import { markdownToPlainText } from '../../../shared/markdown/plain-text.js';
import { appUrl, discussionPath, emailSettingsPath, meetingPath } from '../../../shared/routes.js';
import type { Comment } from '../models/comment.js';
import type { Discussion } from '../models/discussion.js';
import type { Group } from '../models/group.js';
import type { Meeting } from '../models/meeting.js';
import type { Poll } from '../models/poll.js';
import type { User } from '../models/user.js';
import { presentUserSummary } from '../presenters/user.js';
import type { MailMessage } from './mailer.js';
import { KIND_DESCRIPTIONS } from './preferences.js';
import {
  signUnsubscribeToken,
  unsubscribeApiUrl,
  unsubscribePageUrl,
} from './unsubscribe-token.js';

/** What composing needs from the configuration. */
export interface MailSettings {
  publicUrl: string;
  jwtSecret: string;
}

/** The records one notification is about, as far as they still exist. */
export interface NotificationContext {
  kind: NotificationKind;
  actor: Pick<User, '_id' | 'name' | 'handle' | 'avatarId' | 'deactivatedAt' | 'deletedAt'> | null;
  group: Pick<Group, 'name'> | null;
  discussion: Pick<Discussion, '_id' | 'title'> | null;
  comment: Pick<Comment, '_id' | 'body'> | null;
  poll: Pick<Poll, '_id' | 'title' | 'closesAt' | 'outcome'> | null;
  /** The meeting of a `meeting_started` or `meeting_minutes` notification. */
  meeting?: (Pick<Meeting, '_id' | 'title'> & Partial<Pick<Meeting, 'minutes'>>) | null;
}

type Recipient = Pick<User, '_id' | 'name' | 'email'>;

const EXCERPT = 500;
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();
const excerpt = (text: string) =>
  text.length > EXCERPT ? `${text.slice(0, EXCERPT).trimEnd()}…` : text;
/** A written text (Markdown) quoted in plain text: marks dropped, links as "label (address)". */
const quote = (markdown: string, options: { breaks?: boolean } = {}) =>
  excerpt(markdownToPlainText(markdown, options))
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Plain text as simple HTML: escaped, links made clickable, paragraphs kept. */
function textToHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) =>
    escapeHtml(p)
      // An address ends before the punctuation after it ("label (https://…)." keeps its bracket).
      .replace(/(https?:\/\/[^\s<]*[^\s<.,;:!?)])/g, '<a href="$1">$1</a>')
      .replace(/\n/g, '<br>'),
  );
  return `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">${paragraphs
    .map((p) => `<p>${p}</p>`)
    .join('')}</body></html>`;
}

/**
 * The unsubscribe links in the body (one per kind the email carries), the
 * footer text, and the two headers, which stop the first kind: the one the
 * email is mostly about.
 */
function unsubscribeParts(
  settings: MailSettings,
  recipient: Recipient,
  kinds: readonly UnsubscribeKind[],
) {
  const tokenOf = (kind: UnsubscribeKind) =>
    signUnsubscribeToken({ userId: String(recipient._id), kind }, settings.jwtSecret);
  const footer =
    `You receive this because of your email preferences on Quorum.\n` +
    kinds
      .map(
        (kind) =>
          `Stop ${KIND_DESCRIPTIONS[kind]} with one click: ${unsubscribePageUrl(settings.publicUrl, tokenOf(kind))}\n`,
      )
      .join('') +
    `All your email preferences: ${appUrl(settings.publicUrl, emailSettingsPath())}`;
  const headers = {
    'List-Unsubscribe': `<${unsubscribeApiUrl(settings.publicUrl, tokenOf(kinds[0]))}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
  };
  return { footer, headers };
}

/** The discussion's page, at the comment or poll the notification is about (shared/routes.ts). */
const discussionUrl = (settings: MailSettings, ctx: NotificationContext) => {
  if (!ctx.discussion) return appUrl(settings.publicUrl, '/');
  const path = discussionPath(String(ctx.discussion._id), {
    commentId: ctx.comment ? String(ctx.comment._id) : null,
    pollId: ctx.poll ? String(ctx.poll._id) : null,
  });
  return appUrl(settings.publicUrl, path);
};

/** Subject and the lines about one notification (shared by single emails and the digest). */
export function describeNotification(
  settings: MailSettings,
  ctx: NotificationContext,
): { subject: string; body: string } {
  const actor = oneLine(presentUserSummary(ctx.actor).name);
  const title = oneLine(ctx.discussion?.title ?? 'a discussion');
  const poll = oneLine(ctx.poll?.title ?? 'a poll');
  const where = ctx.group ? ` in ${oneLine(ctx.group.name)}` : '';
  const link = discussionUrl(settings, ctx);
  // Comments keep their line breaks as typed, like the page shows them.
  const said = ctx.comment ? `\n\n${quote(ctx.comment.body, { breaks: true })}` : '';
  switch (ctx.kind) {
    case 'mention':
      return {
        subject: `${actor} mentioned you in "${title}"`,
        body: `${actor} mentioned you in "${title}"${where}:${said}\n\n${link}`,
      };
    case 'reply':
      return {
        subject: `${actor} replied to you in "${title}"`,
        body: `${actor} replied to your comment in "${title}"${where}:${said}\n\n${link}`,
      };
    case 'new_discussion':
      return {
        subject: `New discussion${where}: "${title}"`,
        body: `${actor} started the discussion "${title}"${where}.\n\n${link}`,
      };
    case 'new_poll':
      return {
        subject: `New poll${where}: "${poll}"`,
        body: `${actor} started the poll "${poll}" in "${title}"${where}.\n\n${link}`,
      };
    case 'poll_closing':
      return {
        subject: `Closing soon: "${poll}" (you have not voted yet)`,
        body:
          `The poll "${poll}" in "${title}"${where} closes on ` +
          `${ctx.poll?.closesAt?.toUTCString() ?? 'soon'}, and you have not voted yet.\n\n${link}`,
      };
    case 'meeting_started': {
      const meeting = oneLine(ctx.meeting?.title ?? 'A meeting');
      const url = ctx.meeting
        ? appUrl(settings.publicUrl, meetingPath(String(ctx.meeting._id)))
        : appUrl(settings.publicUrl, '/');
      return {
        subject: `Live now${where}: "${meeting}"`,
        body: `${actor} started the meeting "${meeting}"${where}. Join it:\n\n${url}`,
      };
    }
    case 'meeting_minutes': {
      const meeting = oneLine(ctx.meeting?.title ?? 'a meeting');
      const url = ctx.meeting
        ? appUrl(settings.publicUrl, meetingPath(String(ctx.meeting._id)))
        : appUrl(settings.publicUrl, '/');
      const minutes = ctx.meeting?.minutes?.markdown ?? '';
      return {
        subject: `Minutes of "${meeting}"`,
        body: `${actor} published the minutes of the meeting "${meeting}"${where}:\n\n${minutes}\n\n${url}`,
      };
    }
    case 'outcome':
      return {
        subject: `Outcome of "${poll}"`,
        body:
          `${actor} published the outcome of "${poll}" in "${title}"${where}:` +
          `${ctx.poll?.outcome ? `\n\n${quote(ctx.poll.outcome.statement)}` : ''}\n\n${link}`,
      };
  }
}

/** One notification as one email. */
export function composeNotificationEmail(
  settings: MailSettings,
  recipient: Recipient,
  ctx: NotificationContext,
): MailMessage {
  const { subject, body } = describeNotification(settings, ctx);
  const { footer, headers } = unsubscribeParts(settings, recipient, [ctx.kind]);
  const text = `Hello ${oneLine(recipient.name)},\n\n${body}\n\n-- \n${footer}\n`;
  return { to: recipient.email, subject, text, html: textToHtml(text), headers };
}

/** A day's group activity as one email, its unsubscribe link stopping the digest. */
export function composeDigestEmail(
  settings: MailSettings,
  recipient: Recipient,
  items: NotificationContext[],
): MailMessage {
  const { footer, headers } = unsubscribeParts(settings, recipient, ['digest']);
  const lines = items.map((ctx) => `* ${describeNotification(settings, ctx).body}`);
  const text =
    `Hello ${oneLine(recipient.name)},\n\nHere is what happened in your groups:\n\n` +
    `${lines.join('\n\n')}\n\n-- \n${footer}\n`;
  const count = items.length === 1 ? '1 update' : `${items.length} updates`;
  return {
    to: recipient.email,
    subject: `Your Quorum digest: ${count}`,
    text,
    html: textToHtml(text),
    headers,
  };
}

/** How a batch's subject counts several of one kind. */
const PLURALS: Partial<Record<NotificationKind, string>> = {
  new_discussion: 'new discussions',
  new_poll: 'new polls',
  poll_closing: 'polls closing soon',
  outcome: 'outcomes',
};

/**
 * A few minutes of group activity for one person as one email (jobs/mail-batch.ts):
 * every item with its link, in the order it happened; an unsubscribe link for each
 * kind it holds, and the one-click headers for the kind it holds most of.
 */
export function composeBatchEmail(
  settings: MailSettings,
  recipient: Recipient,
  items: NotificationContext[],
): MailMessage {
  const counts = new Map<NotificationKind, number>();
  for (const ctx of items) counts.set(ctx.kind, (counts.get(ctx.kind) ?? 0) + 1);
  const kinds = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
  const { footer, headers } = unsubscribeParts(settings, recipient, kinds);
  const groups = new Set(items.map((ctx) => ctx.group?.name ?? ''));
  const where = groups.size === 1 && !groups.has('') ? oneLine([...groups][0]) : 'your groups';
  const what =
    kinds.length === 1 && PLURALS[kinds[0]]
      ? `${items.length} ${PLURALS[kinds[0]]}`
      : `${items.length} updates`;
  const lines = items.map((ctx) => `* ${describeNotification(settings, ctx).body}`);
  const text =
    `Hello ${oneLine(recipient.name)},\n\nHere is what happened in ${where} in the last few minutes:\n\n` +
    `${lines.join('\n\n')}\n\n-- \n${footer}\n`;
  return {
    to: recipient.email,
    subject: `${what} in ${where}`,
    text,
    html: textToHtml(text),
    headers,
  };
}
