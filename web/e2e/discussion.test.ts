import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { GroupPrivacy } from '../../shared/domain.js';
import type { DiscussionDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

describe('web client: the discussion page (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  /** A browser window; waits are generous because the test machine is shared (never a timing assertion). */
  async function open(...args: Parameters<E2E['open']>): Promise<Page> {
    const page = await e2e.open(...args);
    page.setDefaultTimeout(30_000);
    return page;
  }

  /** A group with a coordinator and a member, and a discussion the coordinator started through the API. */
  async function world(privacy: GroupPrivacy, title: string) {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const member = await buildUser({ name: 'Ben Okri' });
    const group = await buildGroup({ coordinator, privacy, name: 'Riverside Allotments' });
    await addMember(group, member);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      {
        groupId: String(group._id),
        title,
        context: 'The shed roof **leaks**. Repair it this autumn, or replace it next spring?',
      },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    return { coordinator, member, group, discussion: started.body.discussion };
  }

  async function comment(
    discussionId: string,
    user: UserDocument,
    body: string,
    parentId?: string,
  ) {
    const res = await e2e.app.post<{ comment: { id: string; sequence: number } }>(
      `/api/discussions/${discussionId}/comments`,
      { body, ...(parentId ? { parentId } : {}) },
      { as: user },
    );
    expect(res.status).to.equal(201);
    return res.body.comment;
  }

  async function openDiscussion(page: Page, id: string, title: string) {
    await page.goto(`/d/${id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  }

  const commentsWith = (page: Page, text: string) =>
    page.getByTestId('comment').filter({ hasText: text });

  it("shows the coordinator's new comment to the member without a reload", async () => {
    const { coordinator, member, discussion } = await world('closed', 'Fixing the shed roof');
    const ada = await open(coordinator);
    const ben = await open(member);
    await openDiscussion(ada, discussion.id, discussion.title);
    await openDiscussion(ben, discussion.id, discussion.title);
    // The context is Markdown, rendered (never as HTML).
    await ben.locator('.discussion-context strong', { hasText: 'leaks' }).waitFor();
    // Both see each other viewing.
    await ada.getByTestId('presence').getByText('Ben Okri').waitFor({ state: 'attached' });

    // The member starts typing: the coordinator sees it (never their own).
    await ben.getByLabel('Add a comment').pressSequentially('I think');
    await ada.getByTestId('typing').getByText('Ben Okri is typing…').waitFor();
    expect(await ben.getByTestId('typing').textContent()).to.equal('');
    await ben.getByLabel('Add a comment').blur();
    await ada.getByTestId('typing').getByText('Ben Okri is typing…').waitFor({ state: 'detached' });

    await ada.getByLabel('Add a comment').fill('Quotes are in: repair is £400, a new roof £1,900.');
    await ada.getByRole('button', { name: 'Post comment' }).click();

    await commentsWith(ben, 'Quotes are in: repair is £400').waitFor();
    expect(await commentsWith(ben, 'Quotes are in').count()).to.equal(1);
    expect(await commentsWith(ada, 'Quotes are in').count()).to.equal(1);
    // Announced to screen readers on the member's side.
    await ben
      .getByTestId('announcer')
      .filter({ hasText: 'New comment from Ada Lovelace' })
      .waitFor({ state: 'attached' });
  });

  it('replies, edits with history, reacts and deletes through the page', async () => {
    const { coordinator, member, discussion } = await world('closed', 'Spring planting rota');
    const first = await comment(
      discussion.id,
      member,
      'I can take the first two weekends in April.',
    );
    await comment(discussion.id, member, 'Also: who has the key to the seed store?');
    const ada = await open(coordinator);
    const ben = await open(member);
    await openDiscussion(ada, discussion.id, discussion.title);
    await openDiscussion(ben, discussion.id, discussion.title);

    // Reply
    const benFirst = commentsWith(ada, 'first two weekends').first();
    await benFirst.getByRole('button', { name: 'Reply to Ben Okri' }).click();
    await ada.getByRole('textbox', { name: 'Reply to Ben Okri' }).fill('Perfect, thank you @');
    // Mention autocomplete: a listbox of people, picked from the keyboard.
    await ada.getByRole('listbox', { name: 'People to mention' }).waitFor();
    await ada.getByRole('option', { name: /Ben Okri/ }).waitFor();
    await ada.keyboard.press('Enter');
    const replyBox = ada.getByRole('textbox', { name: 'Reply to Ben Okri' });
    expect(await replyBox.inputValue()).to.equal(`Perfect, thank you @${member.handle} `);
    await ada.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = commentsWith(ada, 'Perfect, thank you');
    await reply.waitFor();
    expect(
      await ada.locator(`#comment-${first.id} ~ .replies`).getByText('Perfect, thank you').count(),
    ).to.equal(1);
    await ben.locator('.replies').getByText('Perfect, thank you').waitFor();

    // Edit, then the history shows the earlier text
    // Edit and Delete live in the comment's menu.
    await reply.getByRole('button', { name: 'More actions for comment by Ada Lovelace' }).click();
    await reply.getByRole('menuitem', { name: 'Edit comment by Ada Lovelace' }).click();
    await ada
      .getByRole('textbox', { name: 'Edit comment' })
      .fill('Perfect, thank you! April is yours.');
    await ada.getByRole('button', { name: 'Save' }).click();
    const edited = commentsWith(ada, 'April is yours.');
    await edited.waitFor();
    await edited.getByRole('button', { name: 'Edited: show history' }).click();
    await edited.getByText('Earlier versions').waitFor();
    await edited.locator('.history-list').getByText('Perfect, thank you @').waitFor();
    await commentsWith(ben, 'April is yours.').waitFor();

    // React: the member sees the count live, with who reacted
    const second = commentsWith(ada, 'key to the seed store');
    await second.getByRole('button', { name: 'React to comment by Ben Okri' }).click();
    await second.getByRole('button', { name: 'React with 👍' }).click();
    const chip = second.getByRole('button', { name: '👍 1: Ada Lovelace' });
    await chip.waitFor();
    expect(await chip.getAttribute('aria-pressed')).to.equal('true');
    const benChip = commentsWith(ben, 'key to the seed store').getByRole('button', {
      name: '👍 1: Ada Lovelace',
    });
    await benChip.waitFor();
    expect(await benChip.getAttribute('aria-pressed')).to.equal('false');
    await ada.evaluate('window.scrollTo(0, 0)');
    await e2e.screenshot(ada, 'discussion-coordinator');

    // Delete (soft): the place stays, the text goes, for everyone
    await second.getByRole('button', { name: 'More actions for comment by Ben Okri' }).click();
    await second.getByRole('menuitem', { name: 'Delete comment by Ben Okri' }).click();
    await second.getByText('Delete Ben Okri’s comment “', { exact: false }).waitFor();
    await second.getByRole('button', { name: 'Delete comment', exact: true }).click();
    await ada.getByText('Comment deleted').waitFor();
    await ben.getByText('Comment deleted').waitFor();
    expect(await ben.getByText('key to the seed store').count()).to.equal(0);
  });

  it('takes the discussion away from a member the coordinator removes, live', async () => {
    const { coordinator, member, group, discussion } = await world('closed', 'Budget for 2026');
    await comment(discussion.id, coordinator, 'Draft budget attached below: tools, seeds, water.');
    const ben = await open(member);
    await openDiscussion(ben, discussion.id, discussion.title);
    await commentsWith(ben, 'Draft budget').waitFor();

    const removed = await e2e.app.delete(
      `/api/groups/${String(group._id)}/members/${String(member._id)}`,
      {
        as: coordinator,
      },
    );
    expect(removed.status).to.equal(204);

    await ben
      .getByRole('heading', { name: 'You no longer have access to this discussion' })
      .waitFor();
    expect(await ben.getByText('Draft budget').count()).to.equal(0);
    expect(await ben.getByRole('heading', { name: discussion.title }).count()).to.equal(0);
    await e2e.screenshot(ben, 'discussion-revoked');
  });

  it('catches up after going offline: every missed comment exactly once', async () => {
    const { coordinator, member, discussion } = await world('closed', 'Open day planning');
    const ben = await open(member);
    const coordinatorPage = await open(coordinator);
    await openDiscussion(ben, discussion.id, discussion.title);
    await openDiscussion(coordinatorPage, discussion.id, discussion.title);

    await ben.context().setOffline(true);
    await ben.getByText(/You are offline|Reconnecting/).waitFor();
    for (const n of [1, 2, 3])
      await comment(discussion.id, coordinator, `Missed comment number ${n}`);
    // Posting while offline keeps the text and says it waits for the connection (no Retry needed).
    await ben.getByLabel('Add a comment').fill('Written on the train');
    await ben.getByRole('button', { name: 'Post comment' }).click();
    const failed = ben.getByTestId('pending-comment').filter({ hasText: 'Written on the train' });
    await failed.getByText('Waiting for the connection').waitFor();
    await failed.getByRole('button', { name: 'Discard' }).waitFor();
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).to.equal(0);
    await e2e.screenshot(ben, 'discussion-offline');

    await ben.context().setOffline(false);
    await commentsWith(ben, 'Missed comment number 3').waitFor();
    await ben.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await ben.locator('.conn-banner').waitFor({ state: 'detached' });
    for (const n of [1, 2, 3])
      expect(await commentsWith(ben, `Missed comment number ${n}`).count()).to.equal(1);
    expect(await commentsWith(ben, 'Missed comment number').count()).to.equal(3);

    // Back online, it is sent by itself, once.
    await commentsWith(ben, 'Written on the train').waitFor();
    await commentsWith(coordinatorPage, 'Written on the train').waitFor();
    expect(await commentsWith(ben, 'Written on the train').count()).to.equal(1);
    expect(await ben.getByTestId('pending-comment').count()).to.equal(0);
  });

  it('jumps to the first unread, marks read while reading, and counts new comments below', async () => {
    const { coordinator, member, group, discussion } = await world(
      'closed',
      'Hedge cutting season',
    );
    // Two writers: one person posting sixteen comments within seconds meets the posting limit.
    const neighbour = await buildUser({ name: 'Cleo Marsh' });
    await addMember(group, neighbour);
    const posted: { id: string; sequence: number }[] = [];
    for (let n = 1; n <= 16; n++)
      posted.push(
        await comment(
          discussion.id,
          n % 2 === 0 ? neighbour : coordinator,
          `Hedge note ${n}: ${'details '.repeat(30)}`,
        ),
      );
    const lastRead = posted[11];
    const read = await e2e.app.post(
      `/api/discussions/${discussion.id}/read`,
      { sequence: lastRead.sequence },
      { as: member },
    );
    expect(read.status).to.equal(200);

    const ben = await open(member, { width: 1000, height: 700 });
    await openDiscussion(ben, discussion.id, discussion.title);
    const jump = ben.getByRole('button', { name: 'Jump to first unread' });
    await jump.waitFor();
    expect(
      await ben
        .getByTestId('comment')
        .filter({ has: ben.getByText('New', { exact: true }) })
        .count(),
    ).to.equal(4);

    // Someone comments while the member is reading further up: a pill says so.
    await comment(discussion.id, coordinator, 'Fresh note from Ada');
    const pill = ben.getByRole('button', { name: '1 new comment' });
    await pill.waitFor();

    const marked = ben.waitForResponse(
      (r) =>
        r.url().endsWith(`/api/discussions/${discussion.id}/read`) &&
        r.request().method() === 'POST',
    );
    await jump.click();
    const focused = await ben.evaluate<string>('document.activeElement?.id ?? ""');
    expect(focused).to.equal(`comment-${posted[12].id}`);
    const body = (await (await marked).json()) as { readState: { lastReadSequence: number } };
    expect(body.readState.lastReadSequence).to.be.greaterThan(lastRead.sequence);

    await pill.click();
    await commentsWith(ben, 'Fresh note from Ada').waitFor();
    await pill.waitFor({ state: 'detached' });
    expect(await ben.evaluate<string>('document.activeElement?.id ?? ""')).to.match(/^comment-/);
  });

  it('lets a signed-out visitor read a public discussion live', async () => {
    const { coordinator, member, discussion } = await world('open', 'Community compost');
    await comment(discussion.id, member, 'The compost bays are full again.');
    const visitor = await open();
    await openDiscussion(visitor, discussion.id, discussion.title);
    await visitor.getByText('to take part in this discussion').waitFor();
    // No composer (the context, once its shared document arrives, is a read-only textbox).
    expect(await visitor.getByRole('textbox', { name: 'Add a comment' }).count()).to.equal(0);
    expect(await visitor.locator('textarea, [contenteditable="true"]').count()).to.equal(0);

    await comment(discussion.id, coordinator, 'Turning day is Saturday at ten.');
    await commentsWith(visitor, 'Turning day is Saturday').waitFor();
    await e2e.screenshot(visitor, 'discussion-visitor');
  });

  it('is "Not found" to a visitor when private', async () => {
    const { discussion } = await world('closed', 'Members only: keys and codes');
    const visitor = await open();
    await visitor.goto(`/d/${discussion.id}`);
    await visitor.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await visitor.getByText('Members only: keys and codes').count()).to.equal(0);
  });

  it('reads well at phone width', async () => {
    const { coordinator, member, discussion } = await world('closed', 'Water butts for every plot');
    const c = await comment(
      discussion.id,
      member,
      'Could we apply for the council grant for these?',
    );
    await comment(discussion.id, coordinator, 'Yes, deadline is the end of the month.', c.id);
    await comment(discussion.id, member, 'I will draft it this week.');
    const phone = await open(member, { width: 375, height: 780 });
    await openDiscussion(phone, discussion.id, discussion.title);
    await commentsWith(phone, 'draft it this week').waitFor();
    const overflow = await phone.evaluate<boolean>(
      'document.documentElement.scrollWidth > document.documentElement.clientWidth',
    );
    expect(overflow, 'no sideways scrolling at 375px').to.equal(false);
    await e2e.screenshot(phone, 'discussion-phone');
  });
});
