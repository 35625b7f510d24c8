import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DiscussionDto } from '../../shared/dto.js';
import { freePort, sharedSecret } from '../../server/src/realtime/test-process.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startTestApp, type TestApp } from '../../server/src/test/harness.js';
import { startE2E, type E2E } from './harness.js';

/**
 * What the page says about its connection when the server fails it: requests
 * failing while the socket looks connected (not "Live" then), and the server
 * stopping and starting again on the same port and data (reconnecting, then
 * live again by itself). A browser tab open once kept the server from exiting.
 */
describe('web client: connection states when the server fails or restarts (Chromium)', function () {
  this.timeout(120_000);
  const TIMEOUT_MS = 4000;
  let e2e: E2E;
  let restarted: TestApp | undefined;
  let dataDir: string;
  let env: Record<string, string>;

  before(async function () {
    dataDir = mkdtempSync(path.join(tmpdir(), 'quorum-e2e-restart-'));
    env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      JWT_SECRET: sharedSecret(),
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
    };
    e2e = await startE2E(this, env);
  });
  after(async () => {
    await e2e?.close();
    await restarted?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const indicator = (page: Page, text: string) =>
    page.getByTestId('connection').filter({ hasText: text });

  /** Screenshots at desktop and phone widths, back at desktop width after. */
  async function screenshots(page: Page, name: string): Promise<void> {
    await e2e.screenshot(page, `${name}-1280`);
    await page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(page, `${name}-390`);
    await page.setViewportSize({ width: 1280, height: 860 });
  }

  it('says "Not responding" while requests fail though the socket is connected, then "Live" again', async () => {
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    const group = await buildGroup({ coordinator, name: 'Riverside Allotments' });
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Compost rota', context: 'Who turns the heap?' },
      { as: coordinator },
    );
    const page = await e2e.open(coordinator);
    await page.goto(`/d/${started.body.discussion.id}`);
    await indicator(page, 'Live').waitFor();

    // Every API request now fails with a 5xx, the socket stays connected.
    await page.route('**/api/**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { id: 'service_unavailable', message: 'Unavailable' } }),
      }),
    );
    await page.getByLabel('Add a comment').fill('Saturday mornings suit me');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await indicator(page, 'Not responding').waitFor();
    await page.getByText('Quorum is not responding.').waitFor();
    await screenshots(page, 'connection-not-responding');

    // The server answers again: the health probe notices, without the person doing anything.
    await page.unroute('**/api/**');
    await indicator(page, 'Live').waitFor();
    expect(await page.getByText('Quorum is not responding.').count()).to.equal(0);
  });

  it('stops within SHUTDOWN_TIMEOUT_MS with the page open, which shows it is reconnecting and comes back to Live when the server is started again', async () => {
    const coordinator = await buildUser({ name: 'Grace Hopper' });
    const member = await buildUser({ name: 'Ben Okri' });
    const group = await buildGroup({ coordinator, name: 'Harbour Rowing Club' });
    await addMember(group, member);
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Boat shed repairs', context: 'Which quote?' },
      { as: coordinator },
    );
    const { id } = started.body.discussion;
    const page = await e2e.open(member);
    await page.goto(`/d/${id}`);
    await indicator(page, 'Live').waitFor();

    const stopping = performance.now();
    const result = await e2e.app.server.graceful.shutdown('test: stop with a browser open');
    expect(performance.now() - stopping).to.be.below(TIMEOUT_MS);
    expect(result).to.include({ forced: false });
    expect(result.error).to.equal(undefined);
    await indicator(page, 'Reconnecting…').waitFor();
    await page.getByText('Connection lost. Reconnecting…').waitFor();
    await screenshots(page, 'connection-reconnecting');

    // The same data on the same port (the engine's lock was released): the page reconnects by itself.
    restarted = await startTestApp({ ...env, WEB_CLIENT: 'dist' });
    await indicator(page, 'Live').waitFor({ timeout: 20_000 });
    const posted = await restarted.post(
      `/api/discussions/${id}/comments`,
      { body: 'Back after the restart' },
      { as: coordinator },
    );
    expect(posted.status).to.equal(201);
    await page.getByTestId('comment').filter({ hasText: 'Back after the restart' }).waitFor();
  });
});
