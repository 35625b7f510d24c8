import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { CommentDto, DiscussionDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';
import { mark, neverReloaded, shootBothWidths } from './page-checks.js';

/**
 * The site administrators' page: a report of illegal content reaches the site
 * queue; the administrator suspends its author from the queue item, finds the
 * suspension in the list below, and lifts it early, naming whom. The person
 * reads both live on their own page; nobody but an administrator gets the page.
 */
describe('web client: site queue, suspending and lifting (Chromium)', function () {
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
    return page;
  }

  const both = (page: Page, name: string) => shootBothWidths(e2e, page, name);

  it('suspends an author from the site queue and lifts the suspension from the list, live for the person', async () => {
    const admin = await buildUser({ name: 'Sam Admin', isAdmin: true });
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
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Selling surplus seedlings', context: 'Prices?' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const { discussion } = started.body;
    const posted = await e2e.app.post<{ comment: CommentDto }>(
      `/api/discussions/${discussion.id}/comments`,
      { body: 'I sell pirated seed catalogues, message me for the download.' },
      { as: author },
    );
    expect(posted.status).to.equal(201);
    const reported = await e2e.app.post(
      '/api/moderation/reports',
      {
        target: { kind: 'comment', id: posted.body.comment.id },
        reason: 'illegal',
        note: 'Offering pirated material',
      },
      { as: reporter },
    );
    expect(reported.status).to.equal(201);

    // A member who is not an administrator gets no queue.
    const cleo = await open(reporter);
    await cleo.goto('/admin/moderation');
    await cleo.getByText("Only the site's administrators can see this page.").waitFor();
    expect(await cleo.getByTestId('site-queue-item').count()).to.equal(0);

    // The person concerned keeps their own page open.
    const ben = await open(author);
    await ben.goto('/moderation');
    await ben.getByRole('heading', { level: 1, name: 'Your reports and notices' }).waitFor();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await mark(ben);

    const sam = await open(admin);
    await sam.goto('/admin/moderation');
    const item = sam.getByRole('article', { name: 'Review comment by Ben Okri' });
    await item.getByText('I sell pirated seed catalogues', { exact: false }).waitFor();
    await item.getByRole('list', { name: 'Report reasons' }).getByText('Illegal content').waitFor();
    const suspensions = sam.getByTestId('suspensions');
    await suspensions.getByText('Nobody is suspended.').waitFor();
    await both(sam, 'site-queue');

    // Suspend the author for a day, from the queue item; a reason is required.
    await item.getByLabel('Action').selectOption({ label: 'Suspend Ben Okri' });
    await item.getByLabel('Suspend for').selectOption({ label: '1 day' });
    await item.getByRole('button', { name: 'Apply' }).click();
    await item.getByText('Give a reason').waitFor();
    await item.getByLabel('Reason (told to the person)').fill('Distributing pirated material');
    await item.getByRole('button', { name: 'Apply' }).click();
    const row = suspensions.getByTestId('restriction').filter({ hasText: 'Ben Okri' });
    await row.getByText('Suspended').waitFor();
    await row.getByText(/^Until \S+ \S+, \d/).waitFor();
    await row.getByText('Reason: Distributing pirated material').waitFor();
    await suspensions.getByRole('heading', { name: 'Suspensions in force 1' }).waitFor();

    // The person reads it at once, with the reason.
    await ben
      .getByTestId('my-restriction')
      .getByText(/^Your account is suspended across the site until/)
      .waitFor();
    await ben
      .getByTestId('moderation-notice')
      .filter({ hasText: /^Your account was suspended across the site until/ })
      .getByText('Reason given: Distributing pirated material')
      .waitFor();
    await both(sam, 'site-suspensions');
    await both(ben, 'site-suspended-person');

    // Lifting asks first, naming whom, with the reason the person is told.
    await row.getByRole('button', { name: 'Lift the suspension on Ben Okri' }).click();
    const lift = sam.getByRole('form', { name: 'Lift the suspension on Ben Okri' });
    await lift.getByText('Lift the suspension on Ben Okri now?').waitFor();
    await lift.getByLabel('Reason (told to Ben Okri)').fill('Catalogue was his own, licence shown');
    await both(sam, 'site-suspension-lift');
    await lift.getByRole('button', { name: 'Yes, lift the suspension' }).click();
    await suspensions.getByText('Nobody is suspended.').waitFor();

    // The person's page drops the suspension and tells why, without reload.
    await ben.getByTestId('my-restriction').waitFor({ state: 'detached' });
    await ben
      .getByTestId('moderation-notice')
      .filter({ hasText: 'The suspension of your account was lifted.' })
      .getByText('Reason given: Catalogue was his own, licence shown')
      .waitFor();
    await neverReloaded(ben);
    const shown = (await ben.locator('main').textContent()) ?? '';
    expect(shown).not.to.include('Sam Admin');
    expect(shown).not.to.include('Cleo');
  });
});
