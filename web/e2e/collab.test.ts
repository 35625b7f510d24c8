import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import type { DiscussionDto } from '../../shared/dto.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

describe('web client: writing a discussion context together (Chromium)', function () {
  this.timeout(150_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this, { COLLAB_COMPACT_AFTER_MS: '300' });
  });
  after(async () => {
    await e2e?.close();
  });

  async function open(...args: Parameters<E2E['open']>): Promise<Page> {
    const page = await e2e.open(...args);
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function openDiscussion(page: Page, id: string, title: string) {
    await page.goto(`/d/${id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  }

  const editor = (page: Page) => page.getByRole('textbox', { name: 'Context' });
  /** A computed style of an element, read in the page (this file has no DOM types). */
  const styleOf = (locator: Locator, property: string) =>
    locator.evaluate(
      (element, name) =>
        (
          globalThis as unknown as {
            getComputedStyle(e: unknown): Record<string, string>;
          }
        ).getComputedStyle(element)[name],
      property,
    );

  it('lets two people write at once with each other’s carets, shows it live to a signed-out reader, and merges offline edits', async () => {
    const ada = await buildUser({ name: 'Ada Lovelace' });
    const cy = await buildUser({ name: 'Cy Twombly' });
    const group = await buildGroup({
      coordinator: ada,
      privacy: 'open',
      name: 'Riverside Allotments',
    });
    await addMember(group, cy, 'coordinator');
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      {
        groupId: String(group._id),
        title: 'The shed roof',
        context: 'The roof **leaks**.',
        private: false,
      },
      { as: ada },
    );
    expect(started.status).to.equal(201);
    const { id, title } = started.body.discussion;

    const adaPage = await open(ada);
    const cyPage = await open(cy, { width: 390, height: 844 });
    const visitor = await open();
    for (const page of [adaPage, cyPage, visitor]) await openDiscussion(page, id, title);
    await visitor.locator('.discussion-context strong', { hasText: 'leaks' }).waitFor();

    await editor(adaPage).click();
    await adaPage.keyboard.press('End');
    await adaPage.keyboard.type(' Ada writes here.');
    await editor(cyPage).click();
    await cyPage.keyboard.press('Control+End');
    await cyPage.keyboard.press('Enter');
    await cyPage.keyboard.type('- Cy adds a list');
    // Each sees the other's text and caret, named.
    await cyPage.getByText('Ada writes here.').waitFor();
    await adaPage.locator('.discussion-context li', { hasText: 'Cy adds a list' }).waitFor();
    await adaPage.locator('.collaboration-carets__label', { hasText: 'Cy Twombly' }).waitFor();
    await cyPage.locator('.collaboration-carets__label', { hasText: 'Ada Lovelace' }).waitFor();
    await adaPage.getByRole('list', { name: 'Editing now' }).getByText('Cy Twombly').waitFor();
    await adaPage.getByText('All changes saved').waitFor();
    // The signed-out reader watches it change, read-only.
    await visitor.getByText('Ada writes here.').waitFor();
    await visitor.locator('.discussion-context li', { hasText: 'Cy adds a list' }).waitFor();
    expect(await editor(visitor).getAttribute('contenteditable')).to.equal('false');
    await e2e.screenshot(adaPage, 'collab-context-1280');
    await e2e.screenshot(cyPage, 'collab-context-390');

    // Offline: Cy keeps typing; it merges when the connection returns.
    await cyPage.context().setOffline(true);
    await cyPage.getByText('your changes will be sent when you reconnect').waitFor();
    await cyPage.keyboard.type(' while offline');
    await adaPage.keyboard.type(' Meanwhile online.');
    await e2e.screenshot(cyPage, 'collab-offline-390');
    await cyPage.context().setOffline(false);
    await adaPage
      .locator('.discussion-context li', { hasText: 'Cy adds a list while offline' })
      .waitFor();
    await cyPage.getByText('Meanwhile online.').waitFor();
    await cyPage.getByText('All changes saved').waitFor();
    await visitor.getByText('while offline').waitFor();
  });

  it('draws the others’ selections in their colours within the CSP, and nests headings under the page’s', async () => {
    const ada = await buildUser({ name: 'Ada Byron' });
    const cy = await buildUser({ name: 'Cy Young' });
    const group = await buildGroup({ coordinator: ada, privacy: 'open', name: 'Orchard Rota' });
    await addMember(group, cy, 'coordinator');
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      {
        groupId: String(group._id),
        title: 'Pruning day',
        context: 'Bring secateurs.',
        private: false,
      },
      { as: ada },
    );
    const { id, title } = started.body.discussion;
    const adaPage = await open(ada);
    const cyPage = await open(cy);
    const refused: string[] = [];
    for (const page of [adaPage, cyPage])
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
    for (const page of [adaPage, cyPage]) await openDiscussion(page, id, title);

    await editor(adaPage).click();
    await adaPage.keyboard.press('Control+End');
    await adaPage.keyboard.press('Enter');
    await adaPage.keyboard.type('# Plan');
    // A `#` heading is an h3 under the page's h1 and section h2, in the editor of both.
    for (const page of [adaPage, cyPage])
      await editor(page).locator('h3', { hasText: 'Plan' }).waitFor();
    expect(await editor(cyPage).locator('h1').count()).to.equal(0);

    await adaPage.keyboard.press('Shift+Home');
    const selection = cyPage.locator('.ProseMirror-yjs-selection');
    await selection.first().waitFor();
    expect(await selection.first().getAttribute('class')).to.match(/collab-sel-\d/);
    const painted = await styleOf(selection.first(), 'backgroundColor');
    expect(painted).to.not.be.oneOf(['rgba(0, 0, 0, 0)', 'transparent']);
    const caret = cyPage.locator('.collaboration-carets__caret');
    const label = cyPage.locator('.collaboration-carets__label', { hasText: 'Ada Byron' });
    await label.waitFor();
    const [border, background] = await Promise.all([
      styleOf(caret.first(), 'borderLeftColor'),
      styleOf(label, 'backgroundColor'),
    ]);
    // The caret and its label carry Ada's colour, not the stylesheet's fallback.
    expect(border).to.equal(background);
    expect(background).to.not.equal('rgb(13, 13, 13)');
    await e2e.screenshot(cyPage, 'collab-selection-1280');
    expect(refused).to.deep.equal([]);
  });
});
