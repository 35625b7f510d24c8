/**
 * What the poll browser tests share: a group with a coordinator, a member and
 * a discussion; polls and votes made through the API; and locators for poll
 * cards and their result bars.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { PollDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import { SCREENSHOTS, type E2E } from './harness.js';

export interface Scene {
  group: Awaited<ReturnType<typeof buildGroup>>;
  coordinator: UserDocument;
  member: UserDocument;
  discussionId: string;
}

export const KINDS = [
  'proposal',
  'multiple_choice',
  'score',
  'ranked_choice',
  'meeting_time',
  'dot_vote',
  'count',
];

let people = 0;

/** A closed group with a coordinator and a member, and a discussion in it. */
export async function scene(): Promise<Scene> {
  people += 1;
  const coordinator = await buildUser({ name: `Cora Coordinator ${people}` });
  const member = await buildUser({ name: `Milo Member ${people}` });
  const group = await buildGroup({ coordinator, privacy: 'closed' });
  await addMember(group, member);
  const discussion = await buildDiscussion({ group, title: 'Where do we meet this spring?' });
  return { group, coordinator, member, discussionId: String(discussion._id) };
}

const inThreeDays = () => new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();

export async function createPoll(
  e2e: E2E,
  s: Scene,
  body: Record<string, unknown>,
  as: UserDocument = s.coordinator,
): Promise<PollDto> {
  const res = await e2e.app.post<{ poll: PollDto }>(
    `/api/discussions/${s.discussionId}/polls`,
    { closesAt: inThreeDays(), ...body },
    { as },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.poll;
}

export async function vote(
  e2e: E2E,
  poll: PollDto,
  as: UserDocument,
  choices: unknown[],
  reason = '',
): Promise<void> {
  const res = await e2e.app.request('PUT', `/api/polls/${poll.id}/vote`, {
    as,
    body: { choices, reason },
  });
  expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
}

export async function openDiscussion(
  e2e: E2E,
  user: UserDocument,
  s: Scene,
  width = 1280,
): Promise<Page> {
  const page = await e2e.open(user, { width, height: 900 });
  await page.goto(`/d/${s.discussionId}`);
  await page.getByRole('heading', { name: 'Polls and proposals' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  return page;
}

/** One screenshot per kind's card (the sticky top bar unstuck, so it covers nothing). */
export async function shootCards(page: Page, prefix: string, kinds = KINDS): Promise<void> {
  // Through the CSSOM: the app's Content-Security-Policy refuses inline style sheets.
  await page.evaluate("document.querySelector('.topbar').style.position = 'static'");
  for (const kind of kinds) {
    await page
      .locator(`[data-testid="poll-card"][data-kind="${kind}"]`)
      .first()
      .screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${kind}.png`) });
  }
}

export function card(page: Page, title: string): Locator {
  return page
    .getByTestId('poll-card')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/** A poll's card, opened in place (cards are compact until opened). */
export async function openCard(page: Page, title: string): Promise<Locator> {
  const poll = card(page, title);
  const toggle = poll.getByRole('button', { name: title, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await poll.locator('.poll-body').waitFor();
  return poll;
}

/** Opens every poll card on the page. */
export async function openAllCards(page: Page): Promise<void> {
  const closed = page.locator('.poll-toggle[aria-expanded="false"]');
  await page.getByTestId('poll-card').first().waitFor();
  while ((await closed.count()) > 0) await closed.first().click();
}

export function bar(poll: Locator, label: string): Locator {
  return poll
    .locator('.poll-bar')
    .filter({ has: poll.page().locator('.poll-bar-name').getByText(label, { exact: true }) })
    .getByTestId('poll-bar-value');
}
