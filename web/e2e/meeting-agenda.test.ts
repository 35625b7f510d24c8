import { expect } from 'chai';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { MeetingDto } from '../../shared/meetings.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import { buildMeeting, clientId } from '../../server/src/meetings/test-meetings.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { startE2E, type E2E } from './harness.js';

/** Where this branch's screenshots are kept for looking at, besides test-results. */
const SHOTS = '/tmp/work-m13ui-shots';

/** Waits until `read` answers `want` (compared as JSON), failing with the last answer. */
async function until<T>(read: () => Promise<T>, want: T, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(want)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: wanted ${JSON.stringify(want)}, last ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
}

const agendaOf = (page: Page) => () =>
  page.locator('.agenda-list > li .agenda-title').allTextContents();
const queueOf = (page: Page) => () => page.locator('.queue-list .queue-name').allTextContents();
/** The focused element's name: its aria-label, or the text of its label (form fields). */
const focused = (page: Page) => () =>
  page.evaluate<string | null>(
    `(() => {
      const el = document.activeElement;
      return el?.getAttribute('aria-label') ?? el?.labels?.[0]?.textContent ?? null;
    })()`,
  );

/** Presses a button by keyboard: focus, then Enter. */
async function press(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).focus();
  await page.keyboard.press('Enter');
}

/**
 * Scheduling a meeting from the group page, building and reordering its agenda
 * before and during the meeting, and reordering the speakers' queue, with a
 * participant's screen following every change live. Screenshots at desktop
 * and phone widths of each of those screens.
 */
describe('web client: scheduling a meeting and editing its agenda and queue (Chromium)', function () {
  this.timeout(240_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
    await mkdir(SHOTS, { recursive: true });
  });
  after(async () => {
    await e2e?.close();
  });

  /** Screenshots `page` at 1280 and 390 px wide (in that order), ending back at 1280. */
  async function shoot(page: Page, name: string): Promise<void> {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 1280 ? 860 : 844 });
      const file = await e2e.screenshot(page, `meeting-agenda-${name}-${width}`);
      await copyFile(file, path.join(SHOTS, path.basename(file)));
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  }

  it('schedules from the group page, builds and reorders the agenda and the queue, live for a participant', async () => {
    const group = await buildGroup({ name: 'Maple Street Co-op board' });
    const ana = await addMember(group, await buildUser({ name: 'Ana Lima' }));
    const ben = await addMember(group, await buildUser({ name: 'Ben Okafor' }));
    const cy = await addMember(group, await buildUser({ name: 'Cy Duarte' }));
    await buildDiscussion({ group, title: 'Board business' });
    const facilitator = await e2e.open(group.coordinator);
    const participant = await e2e.open(ben);

    // The group's meetings tab, empty; scheduling by keyboard.
    await facilitator.goto(`/g/${group.handle}`);
    await facilitator.getByRole('link', { name: 'Meetings' }).click();
    await facilitator.getByText('No meetings yet. Schedule the first one.').waitFor();
    await press(facilitator, 'Schedule a meeting');
    const form = facilitator.getByRole('form', { name: 'Schedule a meeting' });
    const title = form.getByLabel('Title');
    await until(focused(facilitator), 'Title', 'the title field has focus');
    // Bad input: an empty title and too short a meeting, each named at its field.
    await form.getByLabel('Expected length (minutes)').fill('2');
    await form.getByRole('button', { name: 'Schedule meeting' }).click();
    await form.getByText('must not be empty').waitFor();
    expect(await title.getAttribute('aria-invalid')).to.equal('true');
    await title.fill('Spring board meeting');
    await form.getByRole('button', { name: 'Schedule meeting' }).click();
    await form.getByText('must be at least 5 minutes').waitFor();
    await form.getByRole('group', { name: 'Facilitators' }).getByLabel('Ana Lima').check();
    await form
      .getByRole('group', { name: 'Linked discussions' })
      .getByLabel('Board business')
      .check();
    await shoot(facilitator, 'schedule-form');
    await form.getByLabel('Starts').fill('2031-05-14T18:30');
    await form.getByLabel('Expected length (minutes)').fill('45');
    await form.getByLabel('Expected length (minutes)').press('Enter');

    // The meeting's page: details, then an agenda of three items added by keyboard.
    await facilitator.waitForURL(/\/m\/[0-9a-f]{24}$/);
    const meetingUrl = new URL(facilitator.url()).pathname;
    await facilitator.getByRole('heading', { name: 'Spring board meeting' }).waitFor();
    const details = facilitator.getByRole('region', { name: 'Details' });
    await details.getByText('Ana Lima').waitFor();
    await details.getByRole('link', { name: 'Board business' }).waitFor();
    const add = facilitator.getByRole('form', { name: 'Add an agenda item' });
    for (const [item, minutes] of [
      ['Treasurer’s report', '10'],
      ['Roof repairs', '15'],
      ['Any other business', '5'],
    ]) {
      await add.getByLabel('Item title').fill(item);
      await add.getByLabel('Time box (minutes)').fill(minutes);
      await add.getByLabel('Time box (minutes)').press('Enter');
      await facilitator.locator('.agenda-list .agenda-title', { hasText: item }).waitFor();
    }
    // Adding keeps the form for the next item, focus back in its title.
    await until(focused(facilitator), 'Item title', 'focus back in the title');

    // The participant opens the scheduled meeting and sees the agenda; the facilitator moves the
    // last item up by keyboard: the participant's order follows, the facilitator keeps focus.
    await participant.goto(meetingUrl);
    await until(
      agendaOf(participant),
      ['Treasurer’s report', 'Roof repairs', 'Any other business'],
      'agenda as added',
    );
    expect(await participant.getByRole('button', { name: /^Move / }).count()).to.equal(0);
    await press(facilitator, 'Move “Any other business” up');
    await until(
      agendaOf(participant),
      ['Treasurer’s report', 'Any other business', 'Roof repairs'],
      'participant sees the move',
    );
    await until(focused(facilitator), 'Move “Any other business” up', 'focus follows the item');
    await facilitator.keyboard.press('Enter');
    await until(
      agendaOf(participant),
      ['Any other business', 'Treasurer’s report', 'Roof repairs'],
      'participant sees the second move',
    );
    // At the top, its "up" is disabled: focus moves to the next control of the same item.
    await until(focused(facilitator), 'Move “Any other business” down', 'focus stays on the item');
    await facilitator.keyboard.press('Enter');
    await until(
      agendaOf(participant),
      ['Treasurer’s report', 'Any other business', 'Roof repairs'],
      'moved back down',
    );

    // Editing an item: a time box of 0 is refused at its field, then the notes and time change.
    await press(facilitator, 'Edit “Roof repairs”');
    const edit = facilitator.getByRole('form', { name: 'Edit “Roof repairs”' });
    await edit.getByLabel('Time box (minutes)').fill('0');
    await edit.getByRole('button', { name: 'Save item' }).click();
    await edit.getByText('must be at least 10 seconds').waitFor();
    expect(await edit.getByLabel('Time box (minutes)').getAttribute('aria-invalid')).to.equal(
      'true',
    );
    await edit.getByLabel('Time box (minutes)').fill('20');
    await edit.getByLabel('Notes').fill('Quotes from two roofers.');
    await edit.getByLabel('Linked discussion').selectOption({ label: 'Board business' });
    await edit.getByRole('button', { name: 'Save item' }).click();
    await until(focused(facilitator), 'Edit “Roof repairs”', 'focus back on Edit');
    const roof = participant.locator('.agenda-list > li', { hasText: 'Roof repairs' });
    await roof.getByText('20 min').waitFor();
    await roof.getByText('Quotes from two roofers.').waitFor();
    await roof.getByRole('link', { name: 'Board business' }).waitFor();
    await shoot(facilitator, 'agenda-scheduled');

    // Editing the details: the participant's page follows.
    await press(facilitator, 'Edit details');
    const detailsForm = facilitator.getByRole('form', { name: 'Edit the meeting' });
    await detailsForm.getByLabel('Title').fill('Spring board meeting (moved)');
    await detailsForm.getByRole('button', { name: 'Save changes' }).click();
    await participant.getByRole('heading', { name: 'Spring board meeting (moved)' }).waitFor();

    // The group lists it as upcoming (an earlier meeting as past); once started, as live now.
    const earlier = await buildMeeting(e2e.app, { group, as: group.coordinator });
    for (const type of ['meeting.start', 'meeting.end'])
      await e2e.app.post(
        `/api/meetings/${earlier.id}/actions`,
        { action: { type } },
        { as: group.coordinator },
      );
    await participant.goto(`/g/${group.handle}/meetings`);
    await participant
      .getByRole('region', { name: 'Upcoming' })
      .getByRole('link', { name: 'Spring board meeting (moved)' })
      .waitFor();
    await participant
      .getByRole('region', { name: 'Past' })
      .getByRole('link', { name: 'Board meeting' })
      .waitFor();
    await shoot(participant, 'group-list-upcoming');
    await press(facilitator, 'Start the meeting');
    const liveLink = participant
      .getByRole('region', { name: 'Live now' })
      .getByRole('link', { name: 'Spring board meeting (moved)' });
    await liveLink.waitFor();
    await shoot(participant, 'group-list-live');
    await liveLink.click();
    await participant.getByRole('heading', { name: 'Treasurer’s report', level: 2 }).waitFor();

    // Live: the agenda still reorders, and the participant sees it.
    await press(facilitator, 'Move “Roof repairs” up');
    await until(
      agendaOf(participant),
      ['Treasurer’s report', 'Roof repairs', 'Any other business'],
      'live reorder',
    );
    await shoot(facilitator, 'agenda-live');

    // The speakers' queue: three hands; the facilitator moves the last to the front by keyboard.
    const url = `/api/meetings/${meetingUrl.split('/').pop()}/actions`;
    const raise = async (who: UserDocument) => {
      const res = await e2e.app.post(
        url,
        { action: { type: 'hand.raise', kind: 'speak', clientId: clientId() } },
        { as: who },
      );
      expect(res.status).to.equal(200);
    };
    await participant.getByRole('button', { name: 'To speak' }).click();
    await raise(ana);
    await raise(cy);
    await until(queueOf(participant), ['Ben Okafor', 'Ana Lima', 'Cy Duarte'], 'hands raised');
    await press(facilitator, 'Move Cy Duarte up');
    await until(focused(facilitator), 'Move Cy Duarte up', 'focus follows the hand');
    await facilitator.keyboard.press('Enter');
    await until(queueOf(participant), ['Cy Duarte', 'Ben Okafor', 'Ana Lima'], 'queue reordered');
    await participant.getByText('Your hand is up: number 2 in the queue.').waitFor();
    await press(facilitator, 'Remove Ana Lima');
    await until(queueOf(participant), ['Cy Duarte', 'Ben Okafor'], 'hand removed');
    await shoot(facilitator, 'queue-reorder-facilitator');
    await shoot(participant, 'queue-reorder-participant');

    // Capping speaking time applies to the current speaker's countdown on the participant's page.
    await press(facilitator, 'Next speaker');
    await participant.locator('.speaker-name', { hasText: 'Cy Duarte' }).waitFor();
    const speakerClock = participant.locator('.speaker-now .countdown');
    await speakerClock.getByText(/^elapsed/).waitFor();
    const cap = facilitator.getByRole('form', { name: 'Speaking time' });
    await cap.getByLabel('Cap per speaker (minutes)').fill('2');
    await cap.getByLabel('Cap per speaker (minutes)').press('Enter');
    await speakerClock.getByText(/^remaining 1:5\d/).waitFor();
    await cap.getByText('2 min per speaker, the current one included.').waitFor();
    await shoot(facilitator, 'speaker-capped');
  });

  it('names the field at fault for an empty item title and a zero time box', async () => {
    const group = await buildGroup();
    const meeting: MeetingDto = await buildMeeting(e2e.app, {
      group,
      as: group.coordinator,
      items: ['Welcome'],
    });
    const page = await e2e.open(group.coordinator);
    await page.goto(`/m/${meeting.id}`);
    const add = page.getByRole('form', { name: 'Add an agenda item' });
    await add.getByLabel('Time box (minutes)').fill('0');
    await add.getByRole('button', { name: 'Add item' }).click();
    const title = add.getByLabel('Item title');
    await add.getByText('must not be empty').waitFor();
    expect(await title.getAttribute('aria-invalid')).to.equal('true');
    await title.fill('Elections');
    await add.getByRole('button', { name: 'Add item' }).click();
    await add.getByText('must be at least 10 seconds').waitFor();
    expect(await add.getByLabel('Time box (minutes)').getAttribute('aria-invalid')).to.equal(
      'true',
    );
    expect(await title.getAttribute('aria-invalid')).to.equal(null);
    expect(await agendaOf(page)()).to.deep.equal(['Welcome']);
    await shoot(page, 'agenda-errors');
    // Corrected, it is added.
    await add.getByLabel('Time box (minutes)').fill('5');
    await add.getByRole('button', { name: 'Add item' }).click();
    await until(agendaOf(page), ['Welcome', 'Elections'], 'added once');
  });
});
