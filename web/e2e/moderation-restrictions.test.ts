import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { CommentDto, DiscussionDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';
import { PHONE, mark, neverReloaded, shootBothWidths } from './page-checks.js';

/**
 * A group's moderators see the mutes and bans in force beside the review
 * queue and lift them early, naming whom they lift; the author's composer
 * comes back live. A colleague's queue and list follow without reload. On a
 * phone, every tab of the group page (Settings included) stays reachable.
 */
describe('web client: restrictions in force and lifting them (Chromium)', function () {
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

  async function post(discussionId: string, author: UserDocument, body: string) {
    const res = await e2e.app.post<{ comment: CommentDto }>(
      `/api/discussions/${discussionId}/comments`,
      { body },
      { as: author },
    );
    expect(res.status).to.equal(201);
    return res.body.comment.id;
  }

  async function report(by: UserDocument, commentId: string, reason: string, note = '') {
    const res = await e2e.app.post(
      '/api/moderation/reports',
      { target: { kind: 'comment', id: commentId }, reason, note },
      { as: by },
    );
    expect(res.status).to.equal(201);
  }

  it("lifting a mute from the review tab gives the author's composer back live; a colleague's queue and list follow", async () => {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const colleague = await buildUser({ name: 'Dan Mbeki' });
    const author = await buildUser({ name: 'Ben Okri' });
    const reporter = await buildUser({ name: 'Cleo Diallo' });
    const second = await buildUser({ name: 'Eve Martin' });
    const banned = await buildUser({ name: 'Gus Grant' });
    const group = await buildGroup({
      coordinator,
      privacy: 'closed',
      name: 'Riverside Allotments',
    });
    for (const member of [author, reporter, second, banned]) await addMember(group, member);
    await addMember(group, colleague, 'coordinator');
    const groupId = String(group._id);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId, title: 'Water rota for the summer', context: 'Who waters on which days?' },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const { discussion } = started.body;
    const rude = await post(discussion.id, author, 'Whoever wrote this rota cannot count.');
    const spam = await post(discussion.id, second, 'Cheap hoses at example.org, click now!');
    await report(reporter, rude, 'harassment', 'Insulting the volunteers');
    await report(second, rude, 'off_topic');
    await report(reporter, spam, 'spam');
    // A ban already in force, so the list holds both kinds.
    const ban = await e2e.app.post(
      `/api/groups/${groupId}/moderation/actions`,
      {
        target: { kind: 'person', id: String(banned._id) },
        action: 'ban',
        reason: 'Repeated abuse after two warnings',
      },
      { as: coordinator },
    );
    expect(ban.status).to.equal(204);

    const ada = await open(coordinator);
    const dan = await open(colleague);
    const ben = await open(author);
    for (const page of [ada, dan]) {
      await page.goto(`/g/${groupId}/review`);
      await page.getByRole('link', { name: 'Review, 2 open' }).waitFor();
      await mark(page);
    }
    await ben.goto(`/d/${discussion.id}`);
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await ben.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    await mark(ben);

    // The queue groups the two reports of one comment; the list names the ban, its reason and end.
    const item = ada.getByRole('article', { name: 'Review comment by Ben Okri' });
    await item.getByRole('list', { name: 'Report reasons' }).getByText('Harassment').waitFor();
    await item.getByText('2 reports').waitFor();
    const adaList = ada.getByRole('list', { name: 'Mutes and bans in Riverside Allotments' });
    const gus = adaList.getByTestId('restriction').filter({ hasText: 'Gus Grant' });
    await gus.getByText('Banned').waitFor();
    await gus.getByText('Until lifted').waitFor();
    await gus.getByText('Reason: Repeated abuse after two warnings').waitFor();
    await item.getByText('2 reports').click();
    await both(ada, 'restrictions-review-queue');

    // Ada mutes the author for an hour: his composer goes; Dan's queue and list follow live.
    await item.getByLabel('Action').selectOption('mute');
    await item.getByLabel('Mute for').selectOption({ label: '1 hour' });
    await item.getByLabel('Reason', { exact: true }).fill('Cool down, please');
    await item.getByRole('button', { name: 'Apply' }).click();
    await ben
      .getByTestId('composer-restricted')
      .getByText(/muted you in this group until/)
      .waitFor();
    await ben.getByRole('textbox', { name: 'Add a comment' }).waitFor({ state: 'detached' });
    const danList = dan.getByRole('list', { name: 'Mutes and bans in Riverside Allotments' });
    await danList
      .getByTestId('restriction')
      .filter({ hasText: 'Ben Okri' })
      .getByText('Muted')
      .waitFor();
    await dan
      .getByRole('article', { name: 'Review comment by Ben Okri' })
      .waitFor({ state: 'detached' });
    await dan.getByRole('link', { name: 'Review, 1 open' }).waitFor();
    await neverReloaded(dan);

    // Ada's list shows the mute with its end; lifting asks first, naming whom, and wants a reason.
    const benRow = adaList.getByTestId('restriction').filter({ hasText: 'Ben Okri' });
    await benRow.getByText('Muted').waitFor();
    await benRow.getByText(/^Until .*\d:\d\d/).waitFor();
    await benRow.getByText('Reason: Cool down, please').waitFor();
    await both(ada, 'restrictions-list');
    await benRow.getByRole('button', { name: 'Lift the mute on Ben Okri' }).click();
    const lift = ada.getByRole('form', { name: 'Lift the mute on Ben Okri' });
    await lift.getByText('Lift the mute on Ben Okri now?').waitFor();
    await lift.getByRole('button', { name: 'Yes, lift the mute' }).click();
    await lift.getByText('Give a reason').waitFor();
    const reason = lift.getByLabel('Reason (told to Ben Okri)');
    expect(await reason.getAttribute('aria-invalid')).to.equal('true');
    // Escape steps back without lifting.
    await reason.press('Escape');
    await lift.waitFor({ state: 'detached' });
    expect(await ben.getByTestId('composer-restricted').count()).to.equal(1);
    await benRow.getByRole('button', { name: 'Lift the mute on Ben Okri' }).click();
    await reason.fill('He apologised to the volunteers');
    await both(ada, 'restrictions-lift-confirm');
    await lift.getByRole('button', { name: 'Yes, lift the mute' }).click();

    // The author's composer comes back without reload; the list keeps only the ban.
    await ben.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    await ben.getByTestId('composer-restricted').waitFor({ state: 'detached' });
    await neverReloaded(ben);
    await benRow.waitFor({ state: 'detached' });
    expect(await adaList.getByTestId('restriction').count()).to.equal(1);
    await neverReloaded(ada);
    // The colleague's list drops the lifted mute too, without reload.
    await danList
      .getByTestId('restriction')
      .filter({ hasText: 'Ben Okri' })
      .waitFor({ state: 'detached' });
    await neverReloaded(dan);

    // Lifting the ban empties the list.
    await gus.getByRole('button', { name: 'Lift the ban on Gus Grant' }).click();
    await ada.getByLabel('Reason (told to Gus Grant)').fill('Ban served its purpose');
    await ada.getByRole('button', { name: 'Yes, lift the ban' }).click();
    await ada.getByText('Nobody is muted or banned in Riverside Allotments.').waitFor();
  });

  it('on a phone every group tab is in sight and Settings opens', async () => {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const group = await buildGroup({
      coordinator,
      privacy: 'closed',
      name: 'Riverside Allotments',
    });
    const groupId = String(group._id);
    const page = await e2e.open(coordinator, PHONE);
    page.setDefaultTimeout(30_000);
    await page.goto(`/g/${groupId}/review`);
    const tabs = page.getByRole('navigation', { name: 'Group sections' });
    await tabs.getByRole('link', { name: 'Review' }).waitFor();
    const names = ['Discussions', 'Members', 'Review', 'Settings'];
    for (const name of names) {
      const box = await tabs.getByRole('link', { name, exact: true }).boundingBox();
      expect(box, name).to.not.equal(null);
      expect(box!.x, `${name} starts on screen`).to.be.at.least(0);
      expect(box!.x + box!.width, `${name} ends on screen`).to.be.at.most(PHONE.width);
    }
    // The page was reached by the group's id: the current tab is marked all the same.
    expect(await tabs.getByRole('link', { name: 'Review' }).getAttribute('aria-current')).to.equal(
      'page',
    );
    // Nothing scrolls sideways: the page is no wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(PHONE.width);
    await e2e.screenshot(page, 'group-tabs-review-390');

    await tabs.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Group settings' }).waitFor();
    const current = tabs.getByRole('link', { name: 'Settings', exact: true });
    expect(await current.getAttribute('aria-current')).to.equal('page');
    const box = await current.boundingBox();
    expect(box!.x + box!.width).to.be.at.most(PHONE.width);
    await e2e.screenshot(page, 'group-tabs-settings-390');
  });
});
