import { expect } from 'chai';
import { Types } from 'mongoose';
import { NOTIFICATION_KINDS } from '../../../shared/domain.js';
import { matchRoute, meetingPath } from '../../../shared/routes.js';
import { accountLink } from '../commands/accounts/emails.js';
import type { MailMessage } from './mailer.js';
import {
  composeDigestEmail,
  composeNotificationEmail,
  type NotificationContext,
} from './notifications.js';

const PUBLIC_URL = 'https://quorum.example';
const settings = { publicUrl: PUBLIC_URL, jwtSecret: 's'.repeat(40) };
const recipient = { _id: new Types.ObjectId(), name: 'Ada', email: 'ada@example.org' };

/** Every link of this app in a message (text and HTML), as URLs. */
function linksIn(message: MailMessage): URL[] {
  const found = [
    ...message.text.matchAll(/https?:\/\/[^\s<>"]+/g),
    ...(message.html ?? '').matchAll(/href="([^"]+)"/g),
  ].map((m) => new URL((m[1] ?? m[0]).replace(/&amp;/g, '&')));
  return found.filter((url) => url.origin === PUBLIC_URL);
}

function context(kind: NotificationContext['kind']): NotificationContext {
  const withComment = kind === 'mention' || kind === 'reply';
  if (kind === 'meeting_started' || kind === 'meeting_minutes')
    return {
      kind,
      actor: null,
      group: { name: 'Choir' },
      discussion: null,
      comment: null,
      poll: null,
      meeting: { _id: new Types.ObjectId(), title: 'Rehearsal' },
    };
  return {
    kind,
    actor: null,
    group: { name: 'Choir' },
    discussion: { _id: new Types.ObjectId(), title: 'Robes' },
    comment: withComment ? { _id: new Types.ObjectId(), body: 'Hello' } : null,
    poll: withComment
      ? null
      : { _id: new Types.ObjectId(), title: 'Colour', closesAt: null, outcome: null },
  };
}

/** The checks a link must pass: a page of the client, and at the record it is about. */
function expectPage(url: URL): void {
  expect(matchRoute(url.pathname), url.href).to.not.equal(null);
  if (url.pathname === '/api/unsubscribe') expect.fail('the API is no page');
}

describe('links in emails name pages of the web client (shared/routes.ts)', () => {
  for (const kind of NOTIFICATION_KINDS) {
    it(`a "${kind}" email links to its record's page, the unsubscribe page and the settings`, () => {
      const ctx = context(kind);
      const links = linksIn(composeNotificationEmail(settings, recipient, ctx));
      for (const url of links) expectPage(url);
      const paths = links.map((u) => `${u.pathname}${u.hash}`);
      expect(paths).to.include('/settings#email-notifications');
      expect(paths.some((p) => p.startsWith('/unsubscribe/'))).to.equal(true);
      if (ctx.meeting) return void expect(paths).to.include(meetingPath(String(ctx.meeting._id)));
      const anchor = ctx.comment
        ? `#comment-${String(ctx.comment._id)}`
        : `#poll-${String(ctx.poll!._id)}`;
      expect(paths).to.include(`/d/${String(ctx.discussion!._id)}${anchor}`);
      expect(paths).to.include('/settings#email-notifications');
      expect(paths.some((p) => p.startsWith('/unsubscribe/'))).to.equal(true);
    });
  }

  it('the digest links every item and its own unsubscribe page', () => {
    const items = NOTIFICATION_KINDS.map(context);
    const links = linksIn(composeDigestEmail(settings, recipient, items));
    for (const url of links) expectPage(url);
    for (const item of items) {
      const page = item.meeting
        ? meetingPath(String(item.meeting._id))
        : `/d/${String(item.discussion!._id)}`;
      expect(links.some((u) => u.pathname === page)).to.equal(true);
    }
  });

  it('account emails link to their pages with the token', () => {
    for (const purpose of ['verify_email', 'password_reset', 'signin_link'] as const) {
      const url = new URL(accountLink(PUBLIC_URL, purpose, 'to/ken+'));
      expectPage(url);
      expect(url.searchParams.get('token')).to.equal('to/ken+');
    }
  });
});
