import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addMember, buildDiscussion, buildGroup } from '../../server/src/test/factories.js';
import { buildMeeting } from '../../server/src/meetings/test-meetings.js';
import { startE2E, type E2E } from './harness.js';

/**
 * A meeting in four browsers: the facilitator, two participants and a
 * signed-out projector on the room's screen (the group is open, so it may
 * watch). Screenshots of each screen at desktop and phone widths.
 */
describe('web client: a live meeting (Chromium)', function () {
  this.timeout(180_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  const shoot = async (pages: Record<string, Page>, suffix: string) => {
    for (const [name, page] of Object.entries(pages))
      await e2e.screenshot(page, `meeting-${name}-${suffix}`);
  };

  it('runs the agenda, the speakers list, a hidden quick vote and temperature checks live on every screen', async () => {
    const group = await buildGroup({ privacy: 'open', name: 'Maple Street Co-op board' });
    const ana = await addMember(group, undefined, 'member');
    const ben = await addMember(group, undefined, 'member');
    const discussion = await buildDiscussion({ group, private: false, title: 'Board business' });
    const meeting = await buildMeeting(e2e.app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['Treasurer’s report', 'Roof repairs'],
      timeboxSeconds: 600,
    });

    const facilitator = await e2e.open(group.coordinator);
    const p1 = await e2e.open(ana);
    const p2 = await e2e.open(ben);
    const projector = await e2e.open();
    await facilitator.goto(`/m/${meeting.id}`);
    await p1.goto(`/m/${meeting.id}`);
    await projector.goto(`/m/${meeting.id}/projector`);
    await p2.goto(`/g/${group.handle}`);
    await facilitator.getByRole('button', { name: 'Start the meeting' }).click();

    // The group page shows the meeting live now; the second participant joins from there.
    await p2.getByText('Meeting live now:').waitFor();
    await p2.getByRole('link', { name: 'Join the meeting' }).click();
    for (const page of [facilitator, p1, p2])
      await page.getByRole('heading', { name: 'Treasurer’s report' }).waitFor();
    await projector.getByRole('heading', { name: 'Treasurer’s report' }).waitFor();

    // Hands: a point of order first, whoever raised it later.
    await p2.getByRole('button', { name: 'To speak' }).click();
    await p1.getByRole('button', { name: 'Point of order' }).click();
    const queue = facilitator.locator('.queue-list li');
    await expect_count(queue, 2);
    expect(await queue.nth(0).textContent()).to.include(ana.name);
    await projector.locator('.projector-queue li', { hasText: 'Point of order' }).waitFor();
    expect(await projector.locator('.projector-queue').textContent()).not.to.include(ana.name);
    await p1.getByText('Your hand is up: number 1 in the queue.').waitFor();

    // Temperature: counts for the facilitator.
    await p2.getByRole('button', { name: 'Unsure' }).click();
    await facilitator
      .locator('.temperature-counts li', { hasText: 'Unsure' })
      .getByText('1')
      .waitFor();

    // The facilitator calls the point of order, by keyboard.
    await facilitator.getByRole('button', { name: 'Next speaker' }).focus();
    await facilitator.keyboard.press('Enter');
    await projector.locator('.projector-speaker', { hasText: ana.name }).waitFor();
    await p2.locator('.speaker-name', { hasText: ana.name }).waitFor();
    // Called, her hand leaves the queue: nobody lowered it, nothing to tell her.
    expect(await p1.getByText('Your hand is no longer up').count()).to.equal(0);

    // A quick vote with results hidden until revealed.
    const form = facilitator.getByRole('form', { name: 'Open a quick vote' });
    await form.getByLabel('Proposal').fill('Accept the treasurer’s report');
    await form.getByLabel(/Seconds/).fill('120');
    await form.getByRole('button', { name: 'Open the vote' }).click();
    for (const page of [p1, p2]) {
      await page.getByText('Accept the treasurer’s report').waitFor();
      await page
        .getByRole('group', { name: 'Your position' })
        .getByRole('button', { name: 'Agree', exact: true })
        .click();
    }
    await facilitator.getByText('2 ballot(s) cast').waitFor();
    await p1.getByText('Results are hidden until the facilitator reveals them.').waitFor();
    // The discussion's own card of the poll says the same (it said "until you vote").
    const reader = await e2e.open(ana);
    await reader.goto(`/d/${String(discussion._id)}`);
    const card = reader
      .getByTestId('poll-card')
      .filter({ hasText: 'Accept the treasurer’s report' });
    await card.getByText('Results when revealed').waitFor();
    await card.getByRole('button', { name: 'Accept the treasurer’s report' }).click();
    await reader
      .getByTestId('poll-hidden')
      .filter({ hasText: 'Results are hidden until the facilitator reveals them.' })
      .waitFor();
    await reader.close();
    await shoot({ facilitator, participant1: p1, participant2: p2, projector }, '1280');

    await facilitator.getByRole('button', { name: 'Close the vote' }).click();
    await facilitator.getByRole('button', { name: 'Reveal results' }).click();
    for (const page of [facilitator, p1, p2, projector])
      await page
        .getByRole('list', { name: 'Results' })
        .locator('li', { hasText: /^2 Agree$/ })
        .waitFor();
    await projector.getByRole('list', { name: 'Results' }).waitFor();

    // On to the next item, then phones.
    await facilitator.getByRole('button', { name: 'Next item' }).click();
    await projector.getByRole('heading', { name: 'Roof repairs' }).waitFor();
    // The room's screen drops the last item's results; participants still find them on their card.
    await expect_count(projector.getByRole('list', { name: 'Results' }), 0);
    await p1.getByRole('list', { name: 'Results' }).waitFor();
    for (const page of [facilitator, p1, p2, projector]) {
      await page.setViewportSize({ width: 390, height: 844 });
    }
    await p1.getByRole('heading', { name: 'Roof repairs' }).waitFor();
    await shoot({ facilitator, participant1: p1, participant2: p2, projector }, '390');

    // The last item: moving on closes it (the room sees "Between items"), and the agenda may
    // be taken again from the top.
    await facilitator.getByRole('button', { name: 'Close the last item' }).click();
    await projector.getByRole('heading', { name: 'Between items' }).waitFor();
    await facilitator.getByRole('button', { name: 'Back to the first item' }).waitFor();
  });
});

async function expect_count(locator: ReturnType<Page['locator']>, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await locator.count()) !== n) {
    if (Date.now() > deadline)
      throw new Error(`expected ${n} items, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
