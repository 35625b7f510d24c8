import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  TEST_PASSWORD,
} from '../../server/src/test/factories.js';
import { actOverRest, buildMeeting } from '../../server/src/meetings/test-meetings.js';
import { startE2E, type E2E } from './harness.js';

/**
 * Getting to and around a meeting: by keyboard, a participant raising and
 * lowering their hand keeps their place in the page (the focus never falls
 * back to the top of the document); signed out, the projector of a closed
 * group's meeting offers to sign in and comes back to it.
 */
describe('web client: reaching a meeting, by keyboard and signed out (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  const focusedText = (page: Page) =>
    page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');

  it('keeps the focus on the hand buttons through raising, changing and lowering a hand', async () => {
    const group = await buildGroup({ name: 'Keyboard Tenants Union' });
    const member = await addMember(group, undefined, 'member');
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(e2e.app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['Rents', 'Repairs'],
    });
    await actOverRest(e2e.app, meeting.id, group.coordinator, { type: 'meeting.start' });
    const page = await e2e.open(member);
    await page.goto(`/m/${meeting.id}`);
    const hands = page.getByRole('group', { name: 'Raise your hand' });
    await hands.getByRole('button', { name: 'To speak' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Your hand is up: number 1 in the queue.').waitFor();
    expect(await focusedText(page)).to.equal('To speak');
    // Changing its kind, then lowering it, from the keyboard alone.
    await page.keyboard.press('Shift+Tab');
    expect(await focusedText(page)).to.equal('Direct reply');
    await page.keyboard.press('Enter');
    await hands.getByRole('button', { name: 'Direct reply', pressed: true }).waitFor();
    expect(await focusedText(page)).to.equal('Direct reply');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).to.equal('Lower my hand');
    await page.keyboard.press('Enter');
    await hands.getByRole('button', { name: 'Lower my hand' }).waitFor({ state: 'detached' });
    expect(await focusedText(page)).to.equal('Direct reply');
    expect(await page.getByText('Your hand is no longer up').count()).to.equal(0);
    // The temperature buttons keep it too.
    const temperature = page.getByRole('group', { name: 'Temperature check' });
    await temperature.getByRole('button', { name: 'Agree', exact: true }).focus();
    await page.keyboard.press('Enter');
    await temperature.getByRole('button', { name: 'Agree', exact: true, pressed: true }).waitFor();
    expect(await focusedText(page)).to.equal('Agree');
    // Own signal shows as pressed while the item lasts (live states never carry it); tapping
    // it again withdraws it, and moving on clears it.
    await page.keyboard.press('Enter');
    await temperature.getByRole('button', { name: 'Agree', exact: true, pressed: false }).waitFor();
    await page.keyboard.press('Enter');
    await temperature.getByRole('button', { name: 'Agree', exact: true, pressed: true }).waitFor();
    // A hand waiting when the meeting moves on is lowered: the participant is told (they were
    // not, above, when they lowered it themselves).
    await hands.getByRole('button', { name: 'To speak' }).click();
    await page.getByText('Your hand is up: number 1 in the queue.').waitFor();
    await actOverRest(e2e.app, meeting.id, group.coordinator, {
      type: 'agenda.next',
      from: meeting.agenda[0].id,
    });
    await page.getByRole('heading', { name: 'Repairs' }).first().waitFor();
    await temperature.getByRole('button', { name: 'Agree', exact: true, pressed: false }).waitFor();
    const notice = page.getByText('Your hand is no longer up');
    await notice.waitFor();
    await hands.getByRole('button', { name: 'To speak' }).click();
    await page.getByText('Your hand is up: number 1 in the queue.').waitFor();
    expect(await notice.count()).to.equal(0);
  });

  it('offers a signed-out screen to sign in and come back to a closed group’s projector', async () => {
    const group = await buildGroup({ privacy: 'closed', name: 'Closed Door Co-op' });
    const member = await addMember(group, undefined, 'member');
    const meeting = await buildMeeting(e2e.app, {
      group,
      as: group.coordinator,
      items: ['Budget'],
    });
    const screen = await e2e.open();
    // The meeting's own page too (its watch is refused first: still 'Not found', with the offer).
    await screen.goto(`/m/${meeting.id}`);
    await screen.getByRole('link', { name: 'Sign in to see it' }).waitFor();
    await screen.goto(`/m/${meeting.id}/projector`);
    await screen.getByRole('heading', { name: 'Not found' }).waitFor();
    await screen.getByRole('link', { name: 'Sign in to see it' }).click();
    await screen.getByLabel('Email').fill(member.email);
    await screen.getByLabel('Password').fill(TEST_PASSWORD);
    await screen.getByRole('button', { name: 'Sign in' }).click();
    await screen.waitForURL(`**/m/${meeting.id}/projector`);
    await screen.getByRole('heading', { name: 'Starting soon' }).waitFor();
    // Signed in, the meeting's page opens in the same app (what was refused before is forgotten).
    await screen.evaluate(
      `history.pushState(null, '', '/m/${meeting.id}'); dispatchEvent(new PopStateEvent('popstate'))`,
    );
    await screen.getByRole('heading', { level: 1, name: 'Board meeting' }).waitFor();
  });
});
