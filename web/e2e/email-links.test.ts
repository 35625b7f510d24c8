import { expect } from 'chai';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DiscussionDto, PollDto } from '../../shared/dto.js';
import { matchRoute, type RouteName } from '../../shared/routes.js';
import { digestCut } from '../../server/src/jobs/mail-digest.js';
import { afterWindow, runJobs } from '../../server/src/jobs/mail-test-helpers.js';
import type { SentMail } from '../../server/src/mail/mailer.js';
import { DiscussionModel } from '../../server/src/models/discussion.js';
import { PollModel } from '../../server/src/models/poll.js';
import type { UserDocument } from '../../server/src/models/user.js';
import {
  registerPolicyVersion,
  sendPolicyNotices,
} from '../../server/src/privacy/policy-notice.js';
import { waitForMail } from '../../server/src/test/factories-accounts.js';
import { buildPoll, buildVote } from '../../server/src/test/factories-polls.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { SCREENSHOTS, startE2E, type E2E } from './harness.js';

const HOUR = 3600_000;

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Every distinct link to the app in a mail, from its text and its HTML. */
function linksIn(mail: SentMail, origin: string): string[] {
  const found = [
    ...[...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]),
    ...[...(mail.html ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')),
  ];
  const ours = found.filter((link) => new URL(link).origin === origin);
  expect(ours.length, `links to the app in "${mail.subject}"`).to.equal(found.length);
  return [...new Set(ours)];
}

/** What a person who opens one link must see: the page, and what the email was about. */
interface Expectation {
  /** The window the link opens in: signed in as the recipient, or signed out. */
  as: UserDocument | null;
  /** The heading the page shows (its h1). */
  heading: string | RegExp;
}

describe('web client: every link in every email lands on its page (Chromium)', function () {
  this.timeout(240_000);
  let e2e: E2E;
  before(async function () {
    // Emails carry PUBLIC_URL, so it must be where the browser finds the app: a port known in
    // advance. The server's own mail loop waits an hour: the test drives the jobs.
    const port = await freePort();
    e2e = await startE2E(this, {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MAIL_INTERVAL_MS: String(HOUR),
    });
    expect(e2e.app.url).to.equal(`http://127.0.0.1:${port}`);
  });
  after(async () => {
    await e2e?.close();
  });

  /** Mails to `user` that arrived since `before` (an index into the outbox). */
  const since = (user: UserDocument, before: number) =>
    e2e.app.server.mailer.to(user.email).slice(before);

  /** Opens one link and checks that it shows a real page, at the record it is about. */
  async function follow(link: string, mail: SentMail, expected: Expectation): Promise<RouteName> {
    const url = new URL(link);
    const route = matchRoute(url.pathname);
    expect(route, `${link} in "${mail.subject}" names a page of the client`).to.not.equal(null);
    const page = await e2e.open(expected.as ?? undefined);
    page.setDefaultTimeout(30_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url.pathname}${url.search}${url.hash}`);
    await page.getByRole('heading', { level: 1, name: expected.heading }).first().waitFor();
    expect(await page.getByRole('heading', { name: 'Not found' }).count(), link).to.equal(0);
    if (url.hash.length > 1) await expectAtAnchor(page, decodeURIComponent(url.hash.slice(1)));
    expect(errors, link).to.deep.equal([]);
    await page.context().close();
    return route!;
  }

  /** The element a fragment names is there, highlighted, focused and on screen. */
  async function expectAtAnchor(page: Page, id: string) {
    const target = page.locator(`[id="${id}"]`);
    await target.waitFor();
    // On screen: the page scrolled to it (the browser alone would not, see use-anchor-target.ts).
    await page.waitForFunction(
      `(() => {
        const box = document.getElementById(${JSON.stringify(id)}).getBoundingClientRect();
        return box.top < window.innerHeight && box.bottom > 0;
      })()`,
      undefined,
      { timeout: 10_000 },
    );
    if (/^(comment|poll)-/.test(id)) {
      expect(await target.getAttribute('data-anchor-target'), id).to.equal('');
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).to.equal(
        id,
      );
      // What the reader sees on arrival (the viewport, not the full page: it is scrolled).
      await page.screenshot({ path: path.join(SCREENSHOTS, `email-link-${id.split('-')[0]}.png`) });
    }
  }

  /** A group where Cora coordinates and Ada (the recipient) and Bob take part. */
  async function scene() {
    const cora = await buildUser({ name: 'Cora Vance' });
    const ada = await buildUser({ name: 'Ada Brook' });
    const bob = await buildUser({ name: 'Bob Marsh' });
    const dan = await buildUser({ name: 'Dan Reed' });
    const group = await buildGroup({ coordinator: cora, name: 'Harbour Choir' });
    for (const member of [ada, bob, dan]) await addMember(group, member);
    const all = [{ groupId: String(group._id), level: 'all' }];
    expect(
      (await e2e.app.patch('/api/me/email-preferences', { groups: all }, { as: ada })).status,
    ).to.equal(200);
    expect(
      (await e2e.app.patch('/api/me/email-preferences', { groups: all, digest: true }, { as: dan }))
        .status,
    ).to.equal(200);
    return { cora, ada, bob, dan, group };
  }

  it('notification emails of every kind, and the digest: every link opens its page at its record', async () => {
    const { cora, ada, bob, dan, group } = await scene();
    const adaBefore = e2e.app.server.mailer.to(ada.email).length;
    const danBefore = e2e.app.server.mailer.to(dan.email).length;

    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Spring concert', context: 'Which **pieces**?' },
      { as: cora },
    );
    expect(started.status).to.equal(201);
    const discussion = started.body.discussion;
    const post = async (user: UserDocument, body: string, parentId?: string) => {
      const res = await e2e.app.post<{ comment: { id: string } }>(
        `/api/discussions/${discussion.id}/comments`,
        { body, ...(parentId ? { parentId } : {}) },
        { as: user },
      );
      expect(res.status).to.equal(201);
      return res.body.comment;
    };
    const first = await post(ada, 'I would like the Fauré.');
    // Enough comments that the ones emails point at are below the fold.
    for (let i = 1; i <= 12; i++) await post(cora, `Note ${i}: ${'la '.repeat(40)}`);
    await post(bob, 'The Fauré is lovely, and long.', first.id);
    await post(bob, `@${ada.handle} can you lead the altos?`);
    // The mention and the reply go out at once; the new discussion alone in its batch window
    // comes as its own email when the window ends.
    const talked = new Date();
    await runJobs(e2e.app, talked);
    await runJobs(e2e.app, afterWindow(talked));

    const poll = await e2e.app.post<{ poll: PollDto }>(
      `/api/discussions/${discussion.id}/polls`,
      { kind: 'proposal', title: 'Perform the Fauré', closesAt: new Date(Date.now() + 20 * HOUR) },
      { as: cora },
    );
    expect(poll.status, JSON.stringify(poll.body)).to.equal(201);
    // Old enough to be reminded of: it closes within a day and was opened days ago.
    await PollModel.collection.updateOne(
      { _id: PollModel.castObject({ _id: poll.body.poll.id })._id },
      { $set: { createdAt: new Date(Date.now() - 3 * 24 * HOUR) } },
    );
    const stored = (await DiscussionModel.findById(discussion.id))!;
    const decided = await buildPoll({
      discussion: stored,
      title: 'Rehearse on Tuesdays',
      closedAt: new Date(),
    });
    await buildVote(decided, ada, [{ optionId: 'agree', value: 1 }]);
    const outcome = await e2e.app.post(
      `/api/polls/${String(decided._id)}/outcome`,
      { statement: 'Tuesdays it is.' },
      { as: cora },
    );
    expect(outcome.status).to.equal(200);
    // A meeting goes live: members are told (meeting_started), linking the meeting's page.
    const meeting = await e2e.app.post<{ meeting: { id: string } }>(
      `/api/groups/${String(group._id)}/meetings`,
      {
        title: 'Concert planning',
        scheduledAt: new Date().toISOString(),
        expectedMinutes: 30,
        discussionIds: [discussion.id],
      },
      { as: cora },
    );
    expect(meeting.status, JSON.stringify(meeting.body)).to.equal(201);
    const live = await e2e.app.post(
      `/api/meetings/${meeting.body.meeting.id}/actions`,
      { action: { type: 'meeting.start' } },
      { as: cora },
    );
    expect(live.status, JSON.stringify(live.body)).to.equal(200);

    // The meeting going live is emailed at once; the new poll, its reminder and the outcome,
    // all within a few minutes, come together as one email when the window ends.
    const now = new Date();
    await runJobs(e2e.app, now);
    await runJobs(e2e.app, afterWindow(now));
    const tomorrow = new Date(digestCut(now, 7).getTime() + 24 * HOUR + 1);
    await runJobs(e2e.app, tomorrow);

    const toAda = since(ada, adaBefore);
    const subjects = toAda.map((m) => m.subject);
    for (const expected of [
      /mentioned you/,
      /replied to you/,
      /^New discussion/,
      /^Live now/,
      /^3 updates in Harbour Choir$/,
    ])
      expect(
        subjects.filter((s) => expected.test(s)),
        `${String(expected)} once in ${subjects.join(' | ')}`,
      ).to.have.length(1);
    expect(subjects).to.have.length(5);
    const batch = toAda.find((m) => /^3 updates/.test(m.subject))!;
    for (const item of [
      'started the poll "Perform the Fauré"',
      'The poll "Perform the Fauré" in "Spring concert" in Harbour Choir closes on',
      'published the outcome of "Rehearse on Tuesdays"',
    ])
      expect(batch.text).to.include(item);
    // One unsubscribe link for each kind it carries.
    expect(batch.text.match(/with one click: /g)).to.have.length(3);
    const digest = since(dan, danBefore).find((m) => /digest/.test(m.subject));
    expect(digest, 'a digest for Dan').to.not.equal(undefined);

    const seen = new Set<RouteName>();
    for (const [mail, recipient] of [
      ...toAda.map((m) => [m, ada] as const),
      [digest!, dan] as const,
    ]) {
      for (const link of linksIn(mail, e2e.app.url)) {
        const route = matchRoute(new URL(link).pathname);
        const heading =
          route === 'discussion'
            ? 'Spring concert'
            : route === 'meeting'
              ? 'Concert planning'
              : route === 'unsubscribe'
                ? 'Unsubscribe from these emails?'
                : 'Settings';
        seen.add(await follow(link, mail, { as: recipient, heading }));
      }
      // The one-click header (RFC 8058) is for mail providers: it POSTs, it is no page.
      const oneClick = new URL(mail.headers!['List-Unsubscribe'].slice(1, -1));
      expect(oneClick.origin).to.equal(e2e.app.url);
      expect(oneClick.pathname).to.match(/^\/api\/unsubscribe\//);
    }
    expect([...seen].sort()).to.deep.equal(['discussion', 'meeting', 'settings', 'unsubscribe']);

    // And the one-click endpoint works.
    const mention = toAda.find((m) => /mentioned you/.test(m.subject))!;
    const oneClick = new URL(mention.headers!['List-Unsubscribe'].slice(1, -1));
    const res = await e2e.app.post(oneClick.pathname, { 'List-Unsubscribe': 'One-Click' });
    expect(res.status).to.be.within(200, 204);
  });

  it('invitations, account emails and the policy notice: every link opens its page', async () => {
    const { cora, group } = await scene();
    const invitee = await buildUser({ name: 'Ivy Lane' });
    const guest = await buildUser({ name: 'Gus Hale' });
    const unverified = await buildUser({ name: 'Uma Park', emailVerifiedAt: null });
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Autumn tour', context: '' },
      { as: cora },
    );
    const count = (user: UserDocument) => e2e.app.server.mailer.to(user.email).length;
    const before = { invitee: count(invitee), guest: count(guest), unverified: count(unverified) };

    expect(
      (
        await e2e.app.post(
          `/api/groups/${String(group._id)}/invitations`,
          { emails: [invitee.email] },
          { as: cora },
        )
      ).status,
    ).to.equal(201);
    expect(
      (
        await e2e.app.post(
          '/api/invitations',
          { discussionId: started.body.discussion.id, emails: [guest.email] },
          { as: cora },
        )
      ).status,
    ).to.equal(201);
    expect(
      (await e2e.app.post('/api/auth/password-reset', { email: invitee.email })).status,
    ).to.equal(202);
    await waitForMail(e2e.app.server.mailer, invitee.email, before.invitee + 2);
    expect((await e2e.app.post('/api/auth/signin-link', { email: guest.email })).status).to.equal(
      202,
    );
    await waitForMail(e2e.app.server.mailer, guest.email, before.guest + 2);
    expect(
      (await e2e.app.post('/api/auth/verify-email/resend', {}, { as: unverified })).status,
    ).to.equal(202);
    await waitForMail(e2e.app.server.mailer, unverified.email, before.unverified + 1);
    await registerPolicyVersion('e2e-links-1', new Date(Date.now() - HOUR));
    await registerPolicyVersion('e2e-links-2');
    await sendPolicyNotices({
      mailer: e2e.app.server.mailer,
      version: 'e2e-links-2',
      publicUrl: e2e.app.url,
    });

    const expectations: Record<string, (mail: SentMail, to: UserDocument) => Expectation> = {
      invitation: (mail, to) => ({
        as: to,
        heading: /Harbour Choir|Autumn tour/,
      }),
      resetPassword: () => ({ as: null, heading: 'Choose a new password' }),
      signInLink: () => ({ as: null, heading: /Signing you in|Inbox/ }),
      verifyEmail: (_mail, to) => ({ as: to, heading: 'Email address' }),
      privacy: (_mail, to) => ({ as: to, heading: 'Privacy policy' }),
      home: (_mail, to) => ({ as: to, heading: 'Inbox' }),
    };
    const seen = new Set<RouteName>();
    for (const [user, from] of [
      [invitee, before.invitee],
      [guest, before.guest],
      [unverified, before.unverified],
    ] as const) {
      for (const mail of since(user, from)) {
        for (const link of linksIn(mail, e2e.app.url)) {
          const route = matchRoute(new URL(link).pathname);
          const expectation = route ? expectations[route] : undefined;
          if (!expectation) throw new Error(`unexpected page ${link} in "${mail.subject}"`);
          seen.add(await follow(link, mail, expectation(mail, user)));
        }
      }
    }
    expect([...seen].sort()).to.deep.equal([
      'home',
      'invitation',
      'privacy',
      'resetPassword',
      'signInLink',
      'verifyEmail',
    ]);
    // The verification link did its work.
    const me = await e2e.app.get<{ user: { emailVerified: boolean } }>('/api/me', {
      as: unverified,
    });
    expect(me.body.user.emailVerified).to.equal(true);
  });

  it("a sign-in link signs in even when the page's first check of the session answers after it", async () => {
    const user = await buildUser({ name: 'Tove Lind' });
    const from = e2e.app.server.mailer.to(user.email).length;
    expect((await e2e.app.post('/api/auth/signin-link', { email: user.email })).status).to.equal(
      202,
    );
    await waitForMail(e2e.app.server.mailer, user.email, from + 1);
    const link = since(user, from)
      .flatMap((mail) => linksIn(mail, e2e.app.url))
      .find((href) => matchRoute(new URL(href).pathname) === 'signInLink');
    expect(link, 'a sign-in link').to.be.a('string');

    // The app asks who is signed in as it opens, while the link page confirms the link. The
    // answer to that first question (nobody: it left before the link was confirmed) is held
    // back until the page has signed in and moved on, as a slow network may deliver it.
    const page = await e2e.open();
    let staleDelivered!: () => void;
    const stale = new Promise<void>((resolve) => (staleDelivered = resolve));
    let first = true;
    await page.route('**/api/session', async (route) => {
      if (!first) return route.continue();
      first = false;
      const response = await route.fetch();
      await page.waitForURL((url) => url.pathname === '/');
      await route.fulfill({ response });
      staleDelivered();
    });
    const url = new URL(link!);
    await page.goto(`${url.pathname}${url.search}`);
    await stale;
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.waitForTimeout(500); // time for the old answer to have been read
    expect(await page.getByRole('heading', { name: /Discuss and decide/ }).count()).to.equal(0);
    expect(await page.getByRole('heading', { level: 1, name: 'Inbox' }).isVisible()).to.equal(true);
    await page.context().close();
  });
});
