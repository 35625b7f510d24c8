import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DiscussionDto } from '../../shared/dto.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

describe('web client: the history of a collaborative text (Chromium)', function () {
  this.timeout(150_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this, { COLLAB_COMPACT_AFTER_MS: '300' });
  });
  after(async () => {
    await e2e?.close();
  });

  async function historyOf(page: Page, id: string, title: string) {
    page.setDefaultTimeout(30_000);
    await page.goto(`/d/${id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('History').click();
    return page.locator('.collab-versions li');
  }

  it('lists the settled versions with who took part, and shows the text of the one chosen', async () => {
    const ada = await buildUser({ name: 'Ada Lovelace' });
    const cy = await buildUser({ name: 'Cy Twombly' });
    const group = await buildGroup({ coordinator: ada, privacy: 'open', name: 'Allotments' });
    await addMember(group, cy, 'coordinator');
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'The shed roof', context: 'First', private: false },
      { as: ada },
    );
    const { id, title } = started.body.discussion;
    const edit = (context: string, as: typeof ada) =>
      e2e.app.patch(`/api/discussions/${id}`, { context }, { as });
    expect((await edit('The roof **leaks** a little.', ada)).status).to.equal(200);
    expect((await edit('The roof leaks a lot; Cy fixed the gutter.', cy)).status).to.equal(200);

    const wide = await e2e.open(ada);
    const rows = await historyOf(wide, id, title);
    await rows.first().waitFor();
    expect(await rows.count()).to.equal(2);
    expect(await rows.nth(0).textContent()).to.include('Cy Twombly');
    expect(await rows.nth(0).textContent()).not.to.include('Ada Lovelace');
    expect(await rows.nth(1).textContent()).to.include('Ada Lovelace');
    await rows.nth(1).getByRole('button').click();
    await wide.locator('.collab-version-text strong', { hasText: 'leaks' }).waitFor();
    await e2e.screenshot(wide, 'collab-history-1280');

    const narrow = await e2e.open(cy, { width: 390, height: 844 });
    const narrowRows = await historyOf(narrow, id, title);
    await narrowRows.first().getByRole('button').click();
    await narrow.locator('.collab-version-text', { hasText: 'Cy fixed the gutter' }).waitFor();
    await e2e.screenshot(narrow, 'collab-history-390');
  });
});
