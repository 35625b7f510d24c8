import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { CommentDto, DiscussionDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';
import { mark, neverReloaded, shootBothWidths } from './page-checks.js';

/**
 * "Your reports and notices", for everyone: a member follows their report from
 * received to handled, and an author reads what moderation did to their
 * content and why (hidden, muted until when), live, without ever learning who
 * reported them or who acted.
 */
describe('web client: your reports and moderation notices (Chromium)', function () {
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

  it('the reporter sees received then handled, the author reads each notice with its reason, live', async () => {
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
      { groupId, title: 'Compost bins by the shed', context: 'Where do the new bins go?' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const { discussion } = started.body;
    const posted = await e2e.app.post<{ comment: CommentDto }>(
      `/api/discussions/${discussion.id}/comments`,
      { body: 'Only a fool would put bins there, and you know who you are.' },
      { as: author },
    );
    expect(posted.status).to.equal(201);
    const commentId = posted.body.comment.id;
    const act = async (action: string, reason: string, minutes?: number) => {
      const res = await e2e.app.post(
        `/api/groups/${groupId}/moderation/actions`,
        { target: { kind: 'comment', id: commentId }, action, reason, minutes },
        { as: coordinator },
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(204);
    };

    // The member reports the comment; "Report received" leads to their reports.
    const cleo = await open(reporter);
    await cleo.goto(`/d/${discussion.id}`);
    await cleo.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await mark(cleo);
    const comment = cleo.getByTestId('comment').filter({ hasText: 'Only a fool' });
    await comment.getByRole('button', { name: 'More actions for comment by Ben Okri' }).click();
    await comment.getByRole('menuitem', { name: 'Report comment by Ben Okri' }).click();
    const form = cleo.getByRole('form', { name: 'Report comment by Ben Okri' });
    await form.getByLabel('Reason').selectOption('harassment');
    await form.getByLabel('Note for the moderators (optional)').fill('Name-calling again');
    await form.getByRole('button', { name: 'Send report' }).click();
    await comment.getByRole('link', { name: 'Report received' }).click();
    await cleo.getByRole('heading', { level: 1, name: 'Your reports and notices' }).waitFor();
    const mine = cleo.getByRole('list', { name: 'Your reports' }).getByTestId('my-report');
    await mine.getByText('You reported a comment in Riverside Allotments: Harassment').waitFor();
    await mine.getByText('Your note: “Name-calling again”').waitFor();
    expect(await mine.getByTestId('report-status').textContent()).to.equal('Received');
    await mine.getByText('waiting for the moderators').waitFor();
    await cleo.getByText('No notices.', { exact: false }).waitFor();
    await neverReloaded(cleo);

    // The author reaches the page from the notifications.
    const ben = await open(author);
    await ben.goto('/notifications');
    await ben.getByRole('link', { name: 'Your reports and moderation notices' }).click();
    await ben.getByRole('heading', { level: 1, name: 'Your reports and notices' }).waitFor();
    await ben.getByText('You have not reported anything.', { exact: false }).waitFor();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await mark(ben);

    // Hidden pending review: the author reads it at once, with the reason; the report stays received.
    await act('hide', 'Insults another member');
    const notices = ben.getByRole('list', { name: 'Notices from the moderators' });
    const hidden = notices
      .getByTestId('moderation-notice')
      .filter({ hasText: 'Your comment in Riverside Allotments was hidden pending review.' });
    await hidden.getByText('Reason given: Insults another member').waitFor();
    await hidden.getByRole('link', { name: 'See the discussion' }).waitFor();
    expect(await mine.getByTestId('report-status').textContent()).to.equal('Received');

    // Muted for ten minutes: in force now, and a notice saying until when; the report is handled.
    await act('mute', 'Ten minutes to cool down', 10);
    const inForce = ben.getByTestId('my-restriction');
    await inForce.getByText(/^You are muted in Riverside Allotments until .*\d:\d\d/).waitFor();
    await inForce.getByText('Reason given: Ten minutes to cool down').waitFor();
    await notices
      .getByTestId('moderation-notice')
      .filter({ hasText: /^You were muted in Riverside Allotments until .*\d:\d\d/ })
      .getByText('Reason given: Ten minutes to cool down')
      .waitFor();
    await mine.getByTestId('report-status').filter({ hasText: 'Handled' }).waitFor();
    await mine.getByText(/· handled/).waitFor();
    await neverReloaded(cleo);
    await neverReloaded(ben);

    // Nothing names who reported or who acted.
    const benText = (await ben.locator('main').textContent()) ?? '';
    expect(benText).not.to.include('Cleo');
    expect(benText).not.to.include('Ada');
    expect(benText).not.to.include('Name-calling');
    await both(cleo, 'my-moderation-reporter');
    await both(ben, 'my-moderation-author');

    // A lifted mute leaves "in force" and adds its notice, live.
    const list = await e2e.app.get<{ items: { id: string }[] }>(
      `/api/groups/${groupId}/moderation/restrictions`,
      { as: coordinator },
    );
    const lifted = await e2e.app.delete(
      `/api/groups/${groupId}/moderation/restrictions/${list.body.items[0].id}`,
      { as: coordinator, body: { reason: 'Apology accepted' } },
    );
    expect(lifted.status).to.equal(204);
    await inForce.waitFor({ state: 'detached' });
    await notices
      .getByTestId('moderation-notice')
      .filter({ hasText: 'Your mute in Riverside Allotments was lifted: you can take part again.' })
      .getByText('Reason given: Apology accepted')
      .waitFor();
    await neverReloaded(ben);
  });
});
