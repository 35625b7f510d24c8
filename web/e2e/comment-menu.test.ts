import { expect } from 'chai';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { DiscussionDto } from '../../shared/dto.js';
import { SESSION_COOKIE } from '../../server/src/auth/session-token.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { SCREENSHOTS, startE2E, type E2E } from './harness.js';
import { postComment } from './many-polls-scene.js';

/**
 * A comment's actions: Reply and React in sight, the rest in a menu one can
 * work with the keyboard alone, destructive choices asking first and naming the
 * comment; the reaction picker under the arrow keys; no keyboard hint on a touch
 * screen; and a comment refused by the server keeping its Retry.
 */
describe('web client: the comment menu and the thread’s keyboard and touch use (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  const contexts: BrowserContext[] = [];
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await e2e?.close();
  });

  const ROOF = 'The roof leaks over the kitchen again; it drips on the stove when it rains.';

  async function world(title: string) {
    const ada = await buildUser({ name: 'Ada Lovelace' });
    const ben = await buildUser({ name: 'Ben Okri' });
    const cleo = await buildUser({ name: 'Cleo Diallo' });
    const group = await buildGroup({ coordinator: ada, name: 'Riverside Allotments' });
    await addMember(group, ben);
    await addMember(group, cleo);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title, context: 'What needs fixing first?' },
      { as: ada },
    );
    expect(started.status).to.equal(201);
    const discussion = started.body.discussion;
    await postComment(e2e, discussion.id, ben, ROOF);
    await postComment(e2e, discussion.id, cleo, 'I can bring a ladder on Saturday.');
    await postComment(e2e, discussion.id, ada, 'I will ask the roofer for a quote.');
    return { ada, ben, cleo, discussion };
  }

  async function open(user: UserDocument, discussion: DiscussionDto, width = 1280) {
    const page = await e2e.open(user, { width, height: width > 600 ? 860 : 844 });
    page.setDefaultTimeout(30_000);
    await page.goto(`/d/${discussion.id}`);
    await page.getByRole('heading', { level: 1, name: discussion.title }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    return page;
  }

  const commentWith = (page: Page, text: string) =>
    page.getByTestId('comment').filter({ hasText: text });
  const focused = (page: Page) =>
    page.evaluate<string | null>(
      `document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? null`,
    );
  /** Focus returns to `name` once the menu or confirmation that held it has gone (a render later). */
  const focusReturnsTo = async (page: Page, name: string) => {
    const deadline = Date.now() + 5000;
    let now = await focused(page);
    while (now !== name && Date.now() < deadline) {
      await page.waitForTimeout(25);
      now = await focused(page);
    }
    expect(now).to.equal(name);
  };

  /** Viewport screenshots at 1280 and 390 px, of what is on screen around `at`. */
  async function shoot(page: Page, name: string, at: string): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 600 ? 860 : 844 });
      await page.evaluate(
        `document.querySelector(${JSON.stringify(at)})?.scrollIntoView({ block: 'center' })`,
      );
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  }

  it('opens with the keyboard, moves with the arrow keys and gives focus back on Escape', async () => {
    const { ada, discussion } = await world('Roof repairs');
    const page = await open(ada, discussion);
    const roof = commentWith(page, 'The roof leaks');
    // Reply and React stay in sight, naming whom they answer; the rest sits in the menu.
    await roof.getByRole('button', { name: 'Reply to Ben Okri' }).waitFor();
    await roof.getByRole('button', { name: 'React to comment by Ben Okri' }).waitFor();
    expect(await roof.getByRole('button', { name: /^Delete/ }).count()).to.equal(0);
    const menuButton = roof.getByRole('button', { name: 'More actions for comment by Ben Okri' });
    expect(await menuButton.getAttribute('aria-haspopup')).to.equal('menu');
    // The group's members load after the page: wait until removing Ben is offered.
    await menuButton.click();
    await page.getByRole('menuitem', { name: 'Remove Ben Okri from group' }).waitFor();
    await page.keyboard.press('Escape');

    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'More actions for comment by Ben Okri' });
    await menu.waitFor();
    expect(await menuButton.getAttribute('aria-expanded')).to.equal('true');
    const names = await page.evaluate<string[]>(
      `[...document.querySelectorAll('[role=menuitem]')].map((i) => i.getAttribute('aria-label') ?? i.textContent)`,
    );
    expect(names).to.include.members([
      'Delete comment by Ben Okri',
      'Hide comment by Ben Okri',
      'Remove Ben Okri from group',
    ]);
    const last = names[names.length - 1];
    expect(await focused(page)).to.equal(names[0]);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).to.equal(names[1]);
    await page.keyboard.press('End');
    expect(await focused(page)).to.equal(last);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).to.equal(names[0]);
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).to.equal(last);
    await page.keyboard.press('Home');
    expect(await focused(page)).to.equal(names[0]);
    await shoot(page, 'comment-menu-open', '[role=menu]');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await focusReturnsTo(page, 'More actions for comment by Ben Okri');
    expect(await menuButton.getAttribute('aria-expanded')).to.equal('false');

    // ArrowUp on the button opens on the last item; Tab leaves and closes it.
    await page.keyboard.press('ArrowUp');
    await menu.waitFor();
    expect(await focused(page)).to.equal(last);
    await page.keyboard.press('Tab');
    await menu.waitFor({ state: 'detached' });
  });

  it('asks before deleting, naming the comment, and steps back on Escape', async () => {
    const { ada, ben, discussion } = await world('Shed roof');
    const page = await open(ada, discussion);
    const roof = commentWith(page, 'The roof leaks');
    const menuButton = roof.getByRole('button', { name: 'More actions for comment by Ben Okri' });
    await menuButton.click();
    await page.getByRole('menuitem', { name: 'Delete comment by Ben Okri' }).click();
    const confirm = roof.getByRole('group', { name: 'Confirm deletion' });
    await confirm
      .getByText('Delete Ben Okri’s comment “The roof leaks over the kitchen again…”?')
      .waitFor();
    expect(await focused(page)).to.equal('Delete comment');
    await shoot(page, 'comment-confirm-delete', '.comment-confirm');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await focusReturnsTo(page, 'More actions for comment by Ben Okri');
    expect(await roof.getByText(ROOF).count()).to.equal(1);

    // One's own comment is "your comment".
    const mine = commentWith(page, 'I will ask the roofer');
    await mine.getByRole('button', { name: 'More actions for comment by Ada Lovelace' }).click();
    await page.getByRole('menuitem', { name: 'Delete comment by Ada Lovelace' }).click();
    await mine.getByText('Delete your comment “I will ask the roofer for a quote.”?').waitFor();
    await mine.getByRole('button', { name: 'Keep it' }).click();

    // Deleting it for real reaches the others live.
    const benPage = await open(ben, discussion);
    await menuButton.click();
    await page.getByRole('menuitem', { name: 'Delete comment by Ben Okri' }).click();
    await confirm.getByRole('button', { name: 'Delete comment', exact: true }).click();
    await benPage.getByText('Comment deleted').waitFor();
    expect(await benPage.getByText(ROOF).count()).to.equal(0);

    // A member reports Cleo's comment from its menu; the menu no longer offers it after.
    const cleoComment = commentWith(benPage, 'I can bring a ladder');
    const cleoMenu = cleoComment.getByRole('button', {
      name: 'More actions for comment by Cleo Diallo',
    });
    await cleoMenu.click();
    await benPage.getByRole('menuitem', { name: 'Report comment by Cleo Diallo' }).click();
    const form = benPage.getByRole('form', { name: 'Report comment by Cleo Diallo' });
    expect(await benPage.evaluate('document.activeElement?.tagName')).to.equal('SELECT');
    await form.getByRole('button', { name: 'Send report' }).click();
    await cleoComment.getByText('Report received').waitFor();
    expect(await cleoComment.getByRole('button', { name: /^More actions/ }).count()).to.equal(0);
  });

  it('lets a moderator hide a comment with a reason, and restore it, live for members', async () => {
    const { ada, cleo, discussion } = await world('Plot rules');
    const page = await open(ada, discussion);
    const cleoPage = await open(cleo, discussion);
    const roof = commentWith(page, 'The roof leaks');
    await roof.getByRole('button', { name: 'More actions for comment by Ben Okri' }).click();
    await page.getByRole('menuitem', { name: 'Hide comment by Ben Okri' }).click();
    const hide = roof.getByRole('form', { name: 'Hide comment' });
    await hide
      .getByText('Hide Ben Okri’s comment “The roof leaks over the kitchen again…”?')
      .waitFor();
    await hide.getByRole('button', { name: 'Hide comment' }).click();
    await hide.getByText('Give a reason').waitFor();
    await shoot(page, 'comment-confirm-hide', '.comment-confirm');
    await hide.getByLabel('Reason').fill('Off topic for this thread');
    await hide.getByRole('button', { name: 'Hide comment' }).click();
    await cleoPage.getByTestId('comment-hidden').waitFor();
    expect(await cleoPage.getByText(ROOF).count()).to.equal(0);
    await roof.getByText('Hidden pending review', { exact: true }).waitFor();

    await roof.getByRole('button', { name: 'More actions for comment by Ben Okri' }).click();
    await page.getByRole('menuitem', { name: 'Restore comment by Ben Okri' }).click();
    const restore = roof.getByRole('form', { name: 'Restore comment' });
    await restore.getByLabel('Reason').fill('Fine after all');
    await restore.getByRole('button', { name: 'Restore comment' }).click();
    await commentWith(cleoPage, 'The roof leaks').waitFor();
  });

  it('moves between reactions with the arrow keys', async () => {
    const { cleo, discussion } = await world('Compost');
    const page = await open(cleo, discussion);
    const roof = commentWith(page, 'The roof leaks');
    await roof.getByRole('button', { name: 'React to comment by Ben Okri' }).click();
    const picker = roof.getByRole('group', { name: 'Reactions' });
    const first = await focused(page);
    expect(first).to.match(/^React with /);
    await page.keyboard.press('ArrowRight');
    const second = await focused(page);
    expect(second)
      .to.match(/^React with /)
      .and.not.equal(first);
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).to.equal(first);
    await page.keyboard.press('ArrowLeft');
    const last = await focused(page);
    await page.keyboard.press('Home');
    expect(await focused(page)).to.equal(first);
    await page.keyboard.press('End');
    expect(await focused(page)).to.equal(last);
    // Only one of them is a Tab stop.
    expect(await picker.locator('button[tabindex="0"]').count()).to.equal(1);
    await page.keyboard.press('Enter');
    const emoji = String(last).replace('React with ', '');
    await roof.getByRole('button', { name: `${emoji} 1: Cleo Diallo` }).waitFor();
  });

  it('leaves out "Ctrl+Enter to send" on a touch screen', async () => {
    const { ben, discussion } = await world('Touch');
    const desktop = await open(ben, discussion);
    await desktop.getByText('Ctrl+Enter to send').waitFor();

    const context = await e2e.browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      baseURL: e2e.app.url,
    });
    contexts.push(context);
    await context.addCookies([
      { name: SESSION_COOKIE, value: e2e.app.tokenFor(ben), url: e2e.app.url, httpOnly: true },
    ]);
    const phone = await context.newPage();
    phone.setDefaultTimeout(30_000);
    await phone.goto(`/d/${discussion.id}`);
    await phone.getByRole('textbox', { name: 'Add a comment' }).waitFor();
    expect(await phone.evaluate('matchMedia("(pointer: coarse)").matches')).to.equal(true);
    expect(await phone.getByText('to send', { exact: false }).count()).to.equal(0);
    await phone.getByRole('button', { name: 'Reply to Cleo Diallo' }).tap();
    await phone.getByRole('textbox', { name: 'Reply to Cleo Diallo' }).waitFor();
    expect(await phone.getByText('Escape to cancel', { exact: false }).count()).to.equal(0);
  });

  it('keeps Retry for a comment the server refused, and sends it when asked', async () => {
    const { ben, discussion } = await world('Refused');
    const page = await open(ben, discussion);
    let posts = 0;
    await page.route(`**/api/discussions/${discussion.id}/comments`, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      posts += 1;
      await route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { id: 'rate_limited', message: 'You are commenting too fast.' },
        }),
      });
    });
    await page.getByLabel('Add a comment').fill('Slow down, I know');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const refused = page.getByTestId('pending-comment').filter({ hasText: 'Slow down, I know' });
    await refused.getByRole('alert').getByText('You are commenting too fast.').waitFor();
    await refused.getByText('Not sent').waitFor();
    // Back from a dropped connection, a refusal is not sent again by itself.
    await page.context().setOffline(true);
    await page.getByText(/You are offline|Reconnecting/).waitFor();
    await page.context().setOffline(false);
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    // A request after the page went live again: one sent again by itself would have gone first.
    await page.evaluate('fetch("/api/health").then((r) => r.status)');
    expect(posts).to.equal(1);
    await refused.getByRole('button', { name: 'Retry' }).waitFor();

    await page.unroute(`**/api/discussions/${discussion.id}/comments`);
    await refused.getByRole('button', { name: 'Retry' }).click();
    await commentWith(page, 'Slow down, I know').waitFor();
    expect(await page.getByTestId('pending-comment').count()).to.equal(0);
  });
});
