import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DiscussionDto, PollDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';

/**
 * The ordinary pages, signed out and signed in, load without a single error in
 * the browser's console: no failed request (a signed-out page used to log a
 * 401 for /api/me on every load), no uncaught exception, no refused resource.
 */
describe('web client: no console errors on ordinary pages (Chromium)', function () {
  this.timeout(180_000);
  let e2e: E2E;
  let member: UserDocument;
  let groupHandle: string;
  let discussion: DiscussionDto;

  before(async function () {
    e2e = await startE2E(this);
    const coordinator = await buildUser({ name: 'Ada Lovelace' });
    member = await buildUser({ name: 'Ben Okri' });
    const group = await buildGroup({ coordinator, privacy: 'open', name: 'Riverside Garden' });
    await addMember(group, member);
    groupHandle = group.handle!;
    const started = await e2e.app.post<{ discussion: DiscussionDto }>(
      '/api/discussions',
      {
        groupId: String(group._id),
        title: 'Saturday work days',
        context: 'Two things:\n\n1. **When**\n2. The compost bays',
      },
      { as: coordinator },
    );
    expect(started.status).to.equal(201);
    discussion = started.body.discussion;
    const poll = await e2e.app.post<{ poll: PollDto }>(
      `/api/discussions/${discussion.id}/polls`,
      { kind: 'proposal', title: 'Build on Saturday', closesAt: null },
      { as: coordinator },
    );
    expect(poll.status).to.equal(201);
    const comment = await e2e.app.post(
      `/api/discussions/${discussion.id}/comments`,
      { body: `@${member.handle} what do you think?` },
      { as: coordinator },
    );
    expect(comment.status).to.equal(201);
  });
  after(async () => {
    await e2e?.close();
  });

  /** Visits each path in one window, collecting what the console says is an error. */
  async function visit(page: Page, paths: string[]): Promise<string[]> {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400)
        errors.push(`${page.url()}: ${response.status()} for ${response.url()}`);
    });
    for (const path of paths) {
      await page.goto(path);
      await page.locator('h1').first().waitFor({ timeout: 30_000 });
      // The page's data and its live connection have arrived: nothing is left to fail later.
      await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
      await page.waitForLoadState('load');
    }
    return errors;
  }

  it('signed out: home, sign in and up, groups, a group, a discussion, the privacy pages', async () => {
    const page = await e2e.open();
    const errors = await visit(page, [
      '/',
      '/signin',
      '/signup',
      '/groups',
      `/g/${groupHandle}`,
      `/d/${discussion.id}`,
      '/privacy',
      '/third-parties',
    ]);
    expect(errors).to.deep.equal([]);
  });

  it('signed in: home, groups, a group, a discussion, notifications, settings, personal data', async () => {
    const page = await e2e.open(member);
    const errors = await visit(page, [
      '/',
      '/groups',
      `/g/${groupHandle}`,
      `/d/${discussion.id}`,
      '/notifications',
      '/settings',
      '/personal-data',
      '/privacy',
    ]);
    expect(errors).to.deep.equal([]);
  });
});
