import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DiscussionDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';
import { mark, neverReloaded, shootBothWidths } from './page-checks.js';

/**
 * Live moderation end to end: a member reports a comment; the coordinator's
 * review queue shows it without reload; hiding it puts the placeholder on the
 * member's page; muting the author changes the author's composer; slow mode
 * reaches the composer. Every state is photographed at desktop and phone widths.
 */
describe('web client: live moderation (Chromium)', function () {
  this.timeout(180_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  async function open(user: UserDocument): Promise<Page> {
    const page = await e2e.open(user);
    page.setDefaultTimeout(30_000);
    await page.addInitScript('window.sameDocument = undefined');
    return page;
  }

  async function openDiscussion(page: Page, discussion: DiscussionDto) {
    await page.goto(`/d/${discussion.id}`);
    await page.getByRole('heading', { level: 1, name: discussion.title }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await mark(page);
  }

  const both = (page: Page, name: string) => shootBothWidths(e2e, page, name);

  it('report, live queue, hide, mute and slow mode reach everyone without reload', async () => {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const author = await buildUser({ name: 'Ben Okri' });
    const reporter = await buildUser({ name: 'Cleo Diallo' });
    const group = await buildGroup({
      coordinator,
      privacy: 'closed',
      name: 'Riverside Allotments',
    });
    await addMember(group, author);
    await addMember(group, reporter);
    const groupId = String(group._id);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      {
        groupId,
        title: 'Plot allocations for spring',
        context: 'Who takes the plots by the gate?',
      },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const { discussion } = started.body;
    const posted = await e2e.app.post(
      `/api/discussions/${discussion.id}/comments`,
      { body: 'Anyone who wants plot 4 is an idiot and should keep away.' },
      { as: author },
    );
    expect(posted.status).to.equal(201);

    const ada = await open(coordinator);
    const ben = await open(author);
    const cleo = await open(reporter);
    await ada.goto(`/g/${groupId}/review`);
    await ada.getByRole('heading', { name: 'Review queue' }).waitFor();
    await ada.getByText('Nothing to review').waitFor();
    await mark(ada);
    await openDiscussion(ben, discussion);
    await openDiscussion(cleo, discussion);

    // The member reports the comment, with a reason and a note.
    const offending = cleo.getByTestId('comment').filter({ hasText: 'plot 4 is an idiot' });
    await offending.getByRole('button', { name: 'More actions for comment by Ben Okri' }).click();
    await offending.getByRole('menuitem', { name: 'Report comment by Ben Okri' }).click();
    const form = cleo.getByRole('form', { name: 'Report comment by Ben Okri' });
    await form.getByLabel('Reason').selectOption('harassment');
    await form.getByLabel('Note for the moderators (optional)').fill('Insulting other members');
    await form.getByRole('button', { name: 'Send report' }).click();
    await offending.getByText('Report received').waitFor();

    // The coordinator's queue shows it at once, with the count on the tab.
    const item = ada.getByRole('article', { name: 'Review comment by Ben Okri' });
    await item.getByTestId('queue-text').filter({ hasText: 'plot 4 is an idiot' }).waitFor();
    await ada.getByRole('link', { name: 'Review, 1 open' }).waitFor();
    await item.getByRole('list', { name: 'Report reasons' }).getByText('Harassment').waitFor();
    await item.getByText('No moderation before.').waitFor();
    await neverReloaded(ada);
    await both(ada, 'moderation-live-queue');

    // A reason is required, and the error shows at the field.
    await item.getByLabel('Action').selectOption('hide');
    await item.getByRole('button', { name: 'Apply' }).click();
    await item.getByText('Give a reason').waitFor();
    expect(await item.getByLabel('Reason', { exact: true }).getAttribute('aria-invalid')).to.equal(
      'true',
    );
    await item.getByLabel('Reason', { exact: true }).fill('Insults a member');
    await item.getByRole('button', { name: 'Apply' }).click();

    // The member sees the placeholder at once; the author still sees the text, marked.
    await cleo.getByTestId('comment-hidden').waitFor();
    expect(await cleo.getByText('plot 4 is an idiot').count()).to.equal(0);
    await neverReloaded(cleo);
    await ben.getByText('Hidden pending review', { exact: true }).waitFor();
    await item.getByText('Hidden', { exact: true }).waitFor();
    await both(cleo, 'moderation-live-hidden-member');

    // Muting the author for ten minutes: the author's composer says why and until when, live.
    await ben.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    await item.getByLabel('Action').selectOption('mute');
    await item.getByLabel('Mute for').selectOption({ label: '10 minutes' });
    await item.getByLabel('Reason', { exact: true }).fill('Cool down for ten minutes');
    await both(ada, 'moderation-live-mute-form');
    await item.getByRole('button', { name: 'Apply' }).click();
    const restricted = ben.getByTestId('composer-restricted');
    await restricted.getByText(/muted you in this group until/).waitFor();
    await restricted.getByText('Reason given: Cool down for ten minutes').waitFor();
    await ben.getByRole('textbox', { name: 'Add a comment' }).waitFor({ state: 'detached' });
    await neverReloaded(ben);
    await both(ben, 'moderation-live-muted-author');

    // Muting handled the reports: the item leaves the queue and the reporter hears it was handled.
    await item.waitFor({ state: 'detached' });
    await ada.getByRole('link', { name: 'Review', exact: true }).waitFor();
    await cleo
      .getByTestId('comment')
      .filter({ has: cleo.getByTestId('comment-hidden') })
      .getByText('Report handled by the moderators')
      .waitFor();

    // Slow mode from the discussion page reaches the member's composer, then counts down after posting.
    await openDiscussion(ada, discussion);
    await ada.getByText('Slow mode: off').click();
    const slow = ada.getByRole('form', { name: 'Slow mode' });
    await slow
      .getByLabel('At most one comment per person every')
      .selectOption({ label: '1 minute' });
    await slow.getByLabel('Reason').fill('Heated thread');
    await slow.getByRole('button', { name: 'Set slow mode' }).click();
    await ada.getByText('Slow mode: one comment per 60 s').waitFor();
    await cleo.getByTestId('slow-mode').filter({ hasText: 'one comment every 60 s' }).waitFor();
    await cleo.getByRole('textbox', { name: 'Add a comment' }).fill('I would still like plot 4.');
    await cleo.getByRole('button', { name: 'Post comment' }).click();
    await cleo
      .getByTestId('slow-mode')
      .filter({ hasText: /You can post again in \d+ s/ })
      .waitFor();
    await cleo.getByRole('textbox', { name: 'Add a comment' }).fill('And a second thought.');
    expect(await cleo.getByRole('button', { name: 'Post comment' }).isDisabled()).to.equal(true);
    await neverReloaded(cleo);
    await both(cleo, 'moderation-live-slow-mode');
    await both(ada, 'moderation-live-coordinator-thread');
  });
});
