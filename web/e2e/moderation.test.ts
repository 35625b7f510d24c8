import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DiscussionDto, MemberDto } from '../../shared/dto.js';
import { DiscussionModel } from '../../server/src/models/discussion.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addGuest, addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';
import { neverReloaded } from './page-checks.js';

/**
 * Coordinators moderate from the thread itself, and everyone sees the effect
 * at once: removing a member (their open page loses the discussion), deleting a
 * comment, closing and reopening the discussion.
 */
describe('web client: moderating from the thread (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  /** A browser window; waits are generous because the test machine is shared (never a timing assertion). */
  async function open(user: UserDocument): Promise<Page> {
    const page = await e2e.open(user);
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function comment(discussionId: string, user: UserDocument, body: string) {
    const res = await e2e.app.post(
      `/api/discussions/${discussionId}/comments`,
      { body },
      { as: user },
    );
    expect(res.status).to.equal(201);
  }

  async function openDiscussion(page: Page, discussion: DiscussionDto) {
    await page.goto(`/d/${discussion.id}`);
    await page.getByRole('heading', { level: 1, name: discussion.title }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    // A mark on this document: it survives only if the page is never reloaded.
    await page.evaluate('window.sameDocument = true');
  }

  const commentsWith = (page: Page, text: string) =>
    page.getByTestId('comment').filter({ hasText: text });

  it('removes a member, deletes a comment and closes the discussion from the thread, live for everyone', async () => {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const member = await buildUser({ name: 'Ben Okri' });
    const second = await buildUser({ name: 'Cleo Diallo' });
    const guest = await buildUser({ name: 'Gus Guest' });
    const group = await buildGroup({
      coordinator,
      privacy: 'closed',
      name: 'Riverside Allotments',
    });
    await addMember(group, member);
    await addMember(group, second);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      {
        groupId: String(group._id),
        title: 'Plot allocations for spring',
        context: 'Who takes the plots by the gate?',
      },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    const { discussion } = started.body;
    await addGuest(await DiscussionModel.findById(discussion.id).orFail(), guest);

    await comment(discussion.id, coordinator, 'Plots by the gate go to new members first.');
    await comment(discussion.id, member, 'Buy my tomatoes at plot 9, cash only!!!');
    await comment(discussion.id, second, 'I would like plot 4, near the water butt.');
    await comment(discussion.id, guest, 'Visiting from the council: happy to help.');

    const ada = await open(coordinator);
    const ben = await open(member);
    const cleo = await open(second);
    await openDiscussion(ada, discussion);
    await openDiscussion(ben, discussion);
    await openDiscussion(cleo, discussion);

    // Offered to the coordinator, in each comment's menu, on members' comments only: not on
    // their own, not on a guest's.
    const benMenu = ada.getByRole('button', { name: 'More actions for comment by Ben Okri' });
    const removeBen = ada.getByRole('menuitem', { name: 'Remove Ben Okri from group' });
    // The group's members load after the page: wait until the action is offered.
    await benMenu.click();
    await removeBen.waitFor();
    await ada.keyboard.press('Escape');
    const removeItems = async (page: Page, author: string) => {
      const menu = page.getByRole('button', { name: `More actions for comment by ${author}` });
      if ((await menu.count()) === 0) return [];
      await menu.first().click();
      await page.getByRole('menuitem').first().waitFor();
      const names = await page.getByRole('menuitem').allTextContents();
      await page.keyboard.press('Escape');
      return names.filter((n) => n.endsWith('from group'));
    };
    expect(await removeItems(ada, 'Ben Okri')).to.deep.equal(['Remove Ben Okri from group']);
    expect(await removeItems(ada, 'Cleo Diallo')).to.deep.equal(['Remove Cleo Diallo from group']);
    expect(await removeItems(ada, 'Ada Lovelace')).to.deep.equal([]);
    expect(await removeItems(ada, 'Gus Guest')).to.deep.equal([]);
    // Members are never offered it.
    expect(await removeItems(cleo, 'Ben Okri')).to.deep.equal([]);

    // Remove: a confirmation naming the person and the group first.
    await benMenu.click();
    await removeBen.click();
    const confirm = ada.getByRole('group', { name: 'Confirm removing Ben Okri' });
    await confirm.getByText('Remove Ben Okri from Riverside Allotments?').waitFor();
    await e2e.screenshot(ada, 'moderation-confirm-remove');
    // Escape steps back without removing, to the comment's menu.
    await ada.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await ada.waitForFunction(
      (label) =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(name: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('aria-label') === label,
      'More actions for comment by Ben Okri',
    );
    await ada.keyboard.press('Enter');
    await removeBen.click();
    await confirm.getByRole('button', { name: 'Remove from group' }).click();

    // The member's open page loses the discussion, live.
    await ben
      .getByRole('heading', { name: 'You no longer have access to this discussion' })
      .waitFor();
    expect(await ben.getByText('Buy my tomatoes').count()).to.equal(0);
    await neverReloaded(ben);
    await ada
      .getByRole('status')
      .filter({ hasText: 'Ben Okri was removed from Riverside Allotments.' })
      .waitFor();
    expect(await removeItems(ada, 'Ben Okri')).to.deep.equal([]);
    const members = await e2e.app.get<{ items: MemberDto[] }>(
      `/api/groups/${String(group._id)}/members`,
      { as: coordinator },
    );
    expect(members.body.items.map((m) => m.name)).to.have.members(['Ada Lovelace', 'Cleo Diallo']);

    // Delete a comment: the other member sees it go, live.
    const spam = commentsWith(ada, 'Buy my tomatoes');
    await spam.getByRole('button', { name: 'More actions for comment by Ben Okri' }).click();
    await spam.getByRole('menuitem', { name: 'Delete comment by Ben Okri' }).click();
    await spam
      .getByText('Delete Ben Okri’s comment “Buy my tomatoes at plot 9, cash only!!!”?')
      .waitFor();
    await spam.getByRole('button', { name: 'Delete comment', exact: true }).click();
    await cleo.getByText('Comment deleted').waitFor();
    expect(await cleo.getByText('Buy my tomatoes').count()).to.equal(0);

    // Close: the other member's composer gives way to the closed notice, live; reopen brings it back.
    const composer = cleo.getByRole('textbox', { name: 'Add a comment' });
    await composer.waitFor();
    await ada.getByRole('button', { name: 'Close discussion' }).click();
    await cleo.getByText('This discussion is closed to new comments.').waitFor();
    await composer.waitFor({ state: 'detached' });
    await cleo.getByText('Closed', { exact: true }).waitFor();
    // What one may do with each comment follows: no more replies once it is closed.
    await cleo
      .getByRole('button', { name: /^Reply to/ })
      .first()
      .waitFor({ state: 'detached' });
    await cleo.evaluate('window.scrollTo(0, 0)');
    await e2e.screenshot(cleo, 'moderation-member-closed');
    await ada.getByRole('button', { name: 'Reopen discussion' }).click();
    await composer.waitFor();
    await cleo
      .getByRole('button', { name: /^Reply to/ })
      .first()
      .waitFor();
    await neverReloaded(cleo);
    await ada.evaluate('window.scrollTo(0, 0)');
    await e2e.screenshot(ada, 'moderation-coordinator');
  });
});
