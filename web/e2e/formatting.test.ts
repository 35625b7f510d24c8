import { expect } from 'chai';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { DiscussionDto, PollDto } from '../../shared/dto.js';
import { SESSION_COOKIE } from '../../server/src/auth/session-token.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { zonedTime } from '../../web/src/lib/zoned-time.js';
import { startE2E, type E2E } from './harness.js';

/** Where a human looks at this suite's screenshots (besides test-results/screenshots). */
const SHOTS = '/tmp/work-w15b-shots';

/** The demo's own context: the numbered list that used to run together as one paragraph. */
const CONTEXT = [
  'Two things to sort out for the next work day:',
  '',
  '1. **When.** Saturday mornings clash with the market for some of you.',
  '2. **The new compost bays.** Priya has the pallets; see [the plan](https://example.org/plan).',
  '',
  '> Bring gloves!',
  '',
  'Label the bins `compost-v2`. Not links: [click me](javascript:alert%281%29) and',
  '<script>alert(1)</script>',
].join('\n');

describe('web client: formatting where people write (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  let ada: UserDocument;
  let ben: UserDocument;
  let discussion: DiscussionDto;

  before(async function () {
    e2e = await startE2E(this);
    mkdirSync(SHOTS, { recursive: true });
    ada = await buildUser({ name: 'Ada Lovelace' });
    ben = await buildUser({ name: 'Ben Okri' });
    const group = await buildGroup({ coordinator: ada, privacy: 'open', name: 'Riverside Garden' });
    await addMember(group, ben);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Saturday work days', context: CONTEXT },
      { as: ada },
    );
    expect(started.status).to.equal(201);
    discussion = started.body.discussion;
  });
  after(async () => {
    await e2e?.close();
  });

  /** A window (signed in when `user` is given) on the discussion, at a width, with its own zone. */
  async function open(user: UserDocument | null, width: number): Promise<Page> {
    const context = await e2e.browser.newContext({
      viewport: { width, height: 900 },
      baseURL: e2e.app.url,
      locale: 'en-GB',
      timezoneId: 'Europe/Paris',
    });
    if (user)
      await context.addCookies([
        { name: SESSION_COOKIE, value: e2e.app.tokenFor(user), url: e2e.app.url, httpOnly: true },
      ]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.once('close', () => void context.close());
    await page.goto(`/d/${discussion.id}`);
    await page.getByRole('heading', { level: 1, name: discussion.title }).waitFor();
    if (user) await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const file = await e2e.screenshot(page, name);
    copyFileSync(file, path.join(SHOTS, path.basename(file)));
  }

  async function shootPart(part: Locator, name: string): Promise<void> {
    await part.page().evaluate("document.querySelector('.topbar').style.position = 'static'");
    await part.scrollIntoViewIfNeeded();
    await part.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  /** A text box as the page sees it (the test's own types know no DOM). */
  interface Box {
    value: string;
    setSelectionRange(start: number, end: number): void;
  }
  /** Selects `text` in a box, as a person would with the mouse. */
  const select = (box: Locator, text: string) =>
    box.evaluate(
      (el: Box, t: string) =>
        el.setSelectionRange(el.value.indexOf(t), el.value.indexOf(t) + t.length),
      text,
    );
  /** Selects from `text` to the end of the box. */
  const selectFrom = (box: Locator, text: string) =>
    box.evaluate(
      (el: Box, t: string) => el.setSelectionRange(el.value.indexOf(t), el.value.length),
      text,
    );

  /** A computed style of an element. */
  const css = (el: Locator, property: string) =>
    el.evaluate<string, string>(
      (node, name) =>
        (
          globalThis as unknown as {
            getComputedStyle(n: unknown): Record<string, string>;
          }
        ).getComputedStyle(node)[name],
      property,
    );

  /** What a written text must never become: a script, or a link that runs one. */
  async function expectHarmless(area: Locator): Promise<void> {
    expect(await area.locator('script').count()).to.equal(0);
    expect(await area.locator('a[href^="javascript"], a[href^="data:"]').count()).to.equal(0);
  }

  it('renders a context’s numbered list, bold, quote, code and links, signed out and in', async () => {
    for (const [user, width] of [
      [null, 1280],
      [null, 390],
      [ben, 1280],
      [ben, 390],
    ] as const) {
      const page = await open(user, width);
      const context = page.locator('.discussion-context');
      const items = context.locator('ol > li');
      await items.first().waitFor();
      expect(await items.count()).to.equal(2);
      expect(await items.nth(0).locator('strong').textContent()).to.equal('When.');
      expect(await context.locator('blockquote').textContent()).to.include('Bring gloves!');
      expect(await context.locator('code').first().textContent()).to.equal('compost-v2');
      const plan = context.getByRole('link', { name: 'the plan' });
      expect(await plan.getAttribute('href')).to.equal('https://example.org/plan');
      await context.getByText('click me').waitFor();
      expect(await context.textContent()).to.include('<script>alert(1)</script>');
      await expectHarmless(context);
      await shoot(page, `formatting-context-${user ? 'member' : 'visitor'}-${width}`);
      await page.close();
    }
  });

  it('formats a comment from the toolbar and the shortcuts, and shows it formatted to others', async () => {
    const watcher = await open(ada, 1280);
    for (const width of [1280, 390]) {
      const page = await open(ben, width);
      const box = page.getByLabel('Add a comment');
      await box.fill(`Plan for ${width}:\nbring tools\nbuild the bays`);
      // Select the last two lines, then "Numbered list" from the toolbar.
      await selectFrom(box, 'bring');
      const toolbar = page.getByRole('toolbar', { name: 'Formatting' }).first();
      await toolbar.getByRole('button', { name: 'Numbered list' }).click();
      expect(await box.inputValue()).to.equal(
        `Plan for ${width}:\n\n1. bring tools\n2. build the bays`,
      );
      // Ctrl+B on a word; the box kept its focus through the button.
      await select(box, 'tools');
      await box.press('Control+b');
      await box.press('End');
      await box.pressSequentially(' (see https://example.org/bays)');
      expect(await box.inputValue()).to.include('1. bring **tools**');
      // One tab stop for the toolbar; arrow keys move between its buttons.
      await toolbar.getByRole('button', { name: 'Bold' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(
        await page.evaluate<string>('document.activeElement.getAttribute("aria-label")'),
      ).to.equal('Italic');
      expect(await toolbar.locator('button[tabindex="0"]').count()).to.equal(1);
      await shoot(page, `formatting-composer-${width}`);

      await box.focus();
      await box.press('Control+Enter');
      const posted = page.getByTestId('comment').filter({ hasText: `Plan for ${width}` });
      await posted.locator('ol > li').nth(1).waitFor();
      expect(await posted.locator('ol > li strong').textContent()).to.equal('tools');
      const link = posted.getByRole('link', { name: 'https://example.org/bays' });
      expect(await link.getAttribute('target')).to.equal('_blank');
      await shootPart(posted, `formatting-comment-${width}`);
      await page.close();

      // Live, formatted, in the other window.
      const seen = watcher.getByTestId('comment').filter({ hasText: `Plan for ${width}` });
      await seen.locator('ol > li strong', { hasText: 'tools' }).waitFor();
    }
    await watcher.close();
  });

  it('shows hostile comment text as text', async () => {
    const res = await e2e.app.post(
      `/api/discussions/${discussion.id}/comments`,
      {
        body: '<img src=x onerror=alert(1)> [x](javascript:alert%281%29) [y](data:text/html,hi) **ok**',
      },
      { as: ben },
    );
    expect(res.status).to.equal(201);
    const page = await open(ada, 1280);
    const hostile = page.getByTestId('comment').filter({ hasText: '<img src=x onerror=alert(1)>' });
    await hostile.locator('.comment-body strong', { hasText: 'ok' }).waitFor();
    await expectHarmless(hostile);
    expect(await hostile.locator('img').count()).to.equal(0);
    await page.close();
  });

  it('formats a vote reason and a published outcome, and names the closing time’s zone', async () => {
    const closesAt = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    closesAt.setUTCHours(17, 0, 0, 0);
    const created = await e2e.app.post<{ poll: PollDto }>(
      `/api/discussions/${discussion.id}/polls`,
      { kind: 'proposal', title: 'Build the bays on Saturday', closesAt: closesAt.toISOString() },
      { as: ada },
    );
    expect(created.status).to.equal(201);
    const poll = created.body.poll;

    for (const width of [1280, 390]) {
      const page = await open(ben, width);
      const card = page
        .getByTestId('poll-card')
        .filter({ has: page.getByRole('heading', { name: poll.title }) });
      const zoned = zonedTime(closesAt.toISOString(), {
        locale: 'en-GB',
        timeZone: 'Europe/Paris',
      });
      expect(zoned).to.match(/ CES?T$/);
      await card.getByText(`closes ${zoned}`).waitFor();
      // Polls show as compact cards: open this one in place.
      const toggle = card.getByRole('button', { name: poll.title, exact: true });
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      if (width === 1280) {
        await card.getByRole('radio', { name: 'Agree', exact: true }).check();
        const reason = card.getByLabel('Reason (optional)');
        await reason.fill('Because:\n- it is cheaper\n- it is faster');
        await select(reason, 'faster');
        await card.getByRole('button', { name: 'Bold' }).click();
        await card.getByRole('button', { name: /^Vote/ }).click();
      }
      const mine = card.getByTestId('my-vote');
      await mine.locator('.poll-reason li').nth(1).waitFor();
      expect(await mine.locator('.poll-reason li strong').textContent()).to.equal('faster');
      await shootPart(card, `formatting-reason-${width}`);
      await page.close();
    }

    // Closed, with an outcome written in Markdown.
    expect((await e2e.app.post(`/api/polls/${poll.id}/close`, {}, { as: ada })).status).to.equal(
      200,
    );
    const statement =
      'We agreed:\n\n1. Build on **Saturday**\n2. Buy [screws](https://example.org/s)';
    expect(
      (await e2e.app.post(`/api/polls/${poll.id}/outcome`, { statement }, { as: ada })).status,
    ).to.equal(200);
    for (const width of [1280, 390]) {
      const page = await open(ada, width);
      // A closed poll shows its outcome in one line: opened, the outcome is there in full.
      const toggle = page.getByRole('button', { name: poll.title, exact: true });
      await toggle.waitFor();
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      const outcome = page.getByTestId('poll-outcome');
      await outcome.locator('ol > li').nth(1).waitFor();
      expect(await outcome.locator('li strong').textContent()).to.equal('Saturday');
      expect(await outcome.getByRole('link', { name: 'screws' }).getAttribute('href')).to.equal(
        'https://example.org/s',
      );
      // The voters' list shows the reason formatted too.
      const reasons = page.locator('.poll-votes .poll-reason');
      if ((await reasons.count()) > 0)
        expect(await reasons.first().locator('li').count()).to.equal(2);
      await shootPart(page.getByTestId('poll-card').first(), `formatting-outcome-${width}`);
      await page.close();
    }
  });

  it('starts a proposal with no closing time, as its hint says; other kinds three days out', async () => {
    const page = await open(ada, 1280);
    await page.getByRole('button', { name: 'New poll' }).click();
    const form = page.getByRole('form', { name: 'New poll' });
    const closes = form.getByLabel('Closes (optional)');
    expect(await closes.inputValue()).to.equal('');
    await form.getByText('Leave empty to keep it open until someone closes it.').waitFor();
    await form.getByText('Your time zone: Europe/Paris (CET)', { exact: false }).waitFor();
    await form.getByRole('radio', { name: /^Single choice/ }).check();
    const required = form.getByLabel('Closes', { exact: true });
    expect(await required.inputValue()).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await form.getByText('Three days from now unless you change it.').waitFor();
    await form.getByRole('radio', { name: /^Proposal/ }).check();
    expect(await closes.inputValue()).to.equal('');
    await shootPart(form, 'formatting-new-poll-closes-1280');
    await page.close();
  });

  it('gives the sign-up name and the discussion title the form styles of every input', async () => {
    /** The look of a field: corner radius, inner spacing and width. */
    const styleOf = async (field: Locator) => ({
      radius: await css(field, 'borderTopLeftRadius'),
      padding: await css(field, 'paddingLeft'),
      width: Number((await field.boundingBox())?.width ?? 0),
    });
    for (const width of [1280, 390]) {
      const context = await e2e.browser.newContext({
        viewport: { width, height: 900 },
        baseURL: e2e.app.url,
      });
      const page = await context.newPage();
      await page.goto('/signup');
      const name = page.getByLabel('Name');
      const email = page.getByLabel('Email');
      await name.waitFor();
      expect(await styleOf(name)).to.deep.equal(await styleOf(email));
      expect((await styleOf(name)).radius).to.equal('8px');
      await shoot(page, `formatting-signup-${width}`);
      await context.close();

      const own = await open(ada, width);
      await own.getByRole('button', { name: 'Edit', exact: true }).click();
      const title = own.getByLabel('Title');
      await title.waitFor();
      const style = await styleOf(title);
      expect(style.radius).to.equal('8px');
      expect(style.width).to.be.greaterThan(width === 390 ? 250 : 500);
      await shootPart(
        own.getByRole('form', { name: 'Edit discussion' }),
        `formatting-edit-title-${width}`,
      );
      await own.close();
    }
  });
});
