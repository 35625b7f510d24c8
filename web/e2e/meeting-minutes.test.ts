import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { buildMeeting } from '../../server/src/meetings/test-meetings.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import { SCREENSHOTS, startE2E, type E2E } from './harness.js';

/**
 * Minutes written together during a meeting, in three browsers: the
 * facilitator and the minute-taker type at once, a participant reads along
 * live, a quick vote's decision appears as a block, and the facilitator ends
 * the meeting and publishes the minutes, which the discussion then shows.
 * Screenshots of the minutes panel and the published minutes at desktop and
 * phone widths.
 */
describe('web client: meeting minutes written together and published (Chromium)', function () {
  this.timeout(180_000);
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
  const minutes = (page: Page) => page.getByRole('textbox', { name: 'Minutes' });
  const panel = (page: Page) => page.getByRole('region', { name: 'Minutes' });
  /** An element's screenshot, beside the harness's full-page ones. */
  const shot = (name: string) => `${SCREENSHOTS}/${name}.png`;

  it('lets the facilitator and the minute-taker write at once, shows decisions live, and publishes to the discussion', async () => {
    const fay = await buildUser({ name: 'Fay Facilitator' });
    const group = await buildGroup({ coordinator: fay, privacy: 'open', name: 'Garden board' });
    const mina = await addMember(group, await buildUser({ name: 'Mina Minutes' }), 'member');
    const pat = await addMember(group, await buildUser({ name: 'Pat Participant' }), 'member');
    const discussion = await buildDiscussion({ group, private: false, title: 'Board business' });
    const meeting = await buildMeeting(e2e.app, {
      group,
      as: fay,
      discussion,
      items: ['Budget', 'Compost'],
      timeboxSeconds: 600,
    });

    const facilitator = await open(fay);
    const taker = await open(mina);
    const participant = await open(pat, { width: 390, height: 844 });
    for (const page of [facilitator, taker, participant]) {
      await page.goto(`/m/${meeting.id}`);
      await page.getByRole('heading', { name: 'Board meeting' }).waitFor();
    }
    await facilitator.getByRole('button', { name: 'Start the meeting' }).click();
    for (const page of [facilitator, taker, participant])
      await page.getByRole('heading', { name: 'Budget' }).waitFor();

    // The facilitator names the minute-taker: her editor turns writable.
    await panel(facilitator).getByLabel('Minute-taker').selectOption({ label: 'Mina Minutes' });
    await taker.getByText('Minute-taker: Mina Minutes').waitFor();
    await taker.locator('.collab-text[contenteditable="true"]').waitFor();
    expect(await minutes(participant).getAttribute('contenteditable')).to.equal('false');
    await participant.getByText('you see them as they are written').waitFor();

    // Both type at once.
    await minutes(facilitator).click();
    await minutes(taker).click();
    await Promise.all([
      facilitator.keyboard.type('Fay opened the meeting at seven.'),
      taker.keyboard.type('Present: the whole board.'),
    ]);
    for (const page of [facilitator, taker, participant]) {
      await panel(page).getByText('Fay opened the meeting at seven.').waitFor();
      await panel(page).getByText('Present: the whole board.').waitFor();
    }
    await facilitator.getByText('All changes saved').waitFor();

    // A quick vote with visible results: its decision appears as a block for everyone.
    const form = facilitator.getByRole('form', { name: 'Open a quick vote' });
    await form.getByLabel('Proposal').fill('Adopt the garden budget');
    await form.getByLabel(/Seconds/).fill('');
    await form.getByLabel('Hide results until I reveal them').uncheck();
    await form.getByRole('button', { name: 'Open the vote' }).click();
    for (const page of [taker, participant]) {
      await page.getByText('Adopt the garden budget').first().waitFor();
      await page
        .getByRole('group', { name: 'Your position' })
        .getByRole('button', { name: 'Agree', exact: true })
        .click();
    }
    await facilitator.getByRole('button', { name: 'Close the vote' }).click();
    for (const page of [facilitator, taker, participant])
      await panel(page)
        .locator('.minutes-block[data-kind="decision"]', {
          hasText: 'Decision: Adopt the garden budget',
        })
        .getByText(/Agree 2 · Abstain 0 · Disagree 0 · Block 0 \(2 voters\)/)
        .waitFor();
    // Typing goes on around the block.
    await minutes(taker).click();
    await taker.keyboard.press('Control+End');
    await taker.keyboard.type('The budget passed without objection.');
    await panel(participant).getByText('The budget passed without objection.').waitFor();
    await taker.getByText('All changes saved').waitFor();
    await panel(facilitator).screenshot({ path: shot('minutes-panel-facilitator-1280') });
    await panel(participant).screenshot({ path: shot('minutes-panel-participant-390') });
    await e2e.screenshot(taker, 'meeting-minutes-taker-1280');

    // The end: attendance comes in, then the facilitator publishes.
    // Ending cannot be taken back: the first click asks, Cancel keeps the meeting live.
    await facilitator.getByRole('button', { name: 'End the meeting' }).click();
    await facilitator.getByRole('button', { name: 'Cancel' }).click();
    await facilitator.getByRole('button', { name: 'Next item' }).waitFor();
    await facilitator.getByRole('button', { name: 'End the meeting' }).click();
    await facilitator.getByText('End the meeting for everyone?').waitFor();
    // The page changes its layout at the end; the minute-taker's editor stays the same one.
    await minutes(taker).evaluate((editor) => {
      Object.assign(editor, { keptAcrossTheEnd: true });
    });
    await facilitator.getByRole('button', { name: 'End it' }).click();
    // Every screen says so, not the last item with a stopped timer.
    await participant.getByRole('heading', { level: 2, name: 'Meeting ended' }).waitFor();
    // The facilitator's focus was on the button that is gone: it lands on the heading that says so.
    await facilitator.waitForFunction('document.activeElement?.id === "current-title"');
    await taker.getByRole('heading', { level: 2, name: 'Meeting ended' }).waitFor();
    expect(await minutes(taker).evaluate((editor) => 'keptAcrossTheEnd' in editor)).to.equal(true);
    expect(await participant.locator('.current-item .countdown').count()).to.equal(0);
    const attendance = panel(facilitator).locator('.minutes-block[data-kind="attendance"]');
    await attendance.getByText('Attendance (3 people)').waitFor();
    for (const name of ['Fay Facilitator', 'Mina Minutes', 'Pat Participant'])
      await attendance.getByText(name).waitFor();
    await panel(participant).locator('.minutes-block[data-kind="attendance"]').waitFor();
    await panel(facilitator).screenshot({ path: shot('minutes-ended-facilitator-1280') });
    await panel(participant).screenshot({ path: shot('minutes-ended-participant-390') });
    await facilitator.getByRole('button', { name: 'Publish minutes' }).click();
    for (const page of [facilitator, taker, participant]) {
      const published = panel(page).locator('.minutes-published');
      await published.getByText('Fay opened the meeting at seven.').waitFor();
      await published.getByText('Present: the whole board.').waitFor();
      await published.getByText('Decision: Adopt the garden budget').waitFor();
      await published.getByText(/Published by Fay Facilitator/).waitFor();
    }
    expect(await facilitator.getByRole('button', { name: 'Publish minutes' }).count()).to.equal(0);
    await facilitator.setViewportSize({ width: 390, height: 844 });
    await panel(facilitator).screenshot({ path: shot('minutes-published-390') });
    await facilitator.setViewportSize({ width: 1280, height: 860 });
    await panel(facilitator).screenshot({ path: shot('minutes-published-1280') });

    // The discussion shows them in its timeline, live to a reader already there and on arrival.
    const reader = await open();
    await reader.goto(`/d/${String(discussion._id)}`);
    const posted = (page: Page) => page.getByRole('group', { name: 'Minutes of Board meeting' });
    await posted(reader).getByText('The budget passed without objection.').waitFor();
    await posted(reader)
      .getByText(/Fay Facilitator published the minutes of/)
      .waitFor();
    await participant.getByRole('link', { name: 'In the discussion' }).click();
    await posted(participant).getByText('Decision: Adopt the garden budget').waitFor();
    await posted(participant).getByText('Mina Minutes', { exact: false }).first().waitFor();
    await e2e.screenshot(reader, 'meeting-minutes-discussion-1280');
    await e2e.screenshot(participant, 'meeting-minutes-discussion-390');
  });
});
