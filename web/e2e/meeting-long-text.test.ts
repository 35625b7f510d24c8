import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addMember, buildDiscussion, buildGroup } from '../../server/src/test/factories.js';
import type { MeetingAction } from '../../shared/meetings.js';
import { actOverRest, buildMeeting } from '../../server/src/meetings/test-meetings.js';
import { startE2E, type E2E } from './harness.js';

/**
 * A word longer than any screen, in an agenda item's title and notes and in a
 * quick vote's proposal: every screen of the meeting wraps it instead of
 * growing sideways (it made pages 3,000 to 11,000 px wide, for everyone).
 */
describe('web client: a meeting whose texts hold very long words (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  const word = (letter: string) => letter.repeat(260);

  it('keeps the facilitator, a participant and the projector within the screen at desktop and phone widths', async () => {
    const group = await buildGroup({ privacy: 'open', name: 'Long Words Housing Co-op' });
    const member = await addMember(group, undefined, 'member');
    const discussion = await buildDiscussion({ group, private: false, title: 'Motions' });
    const title = `Motion ${word('T')}`;
    const meeting = await buildMeeting(e2e.app, {
      group,
      as: group.coordinator,
      discussion,
      items: [title.slice(0, 200)],
    });
    const act = (action: MeetingAction) =>
      actOverRest(e2e.app, meeting.id, group.coordinator, action);
    const itemId = meeting.agenda[0].id;
    await act({ type: 'agenda.edit', itemId, notes: `Notes: ${word('N')}` });
    await act({ type: 'meeting.start' });
    await act({
      type: 'vote.open',
      clientId: 'long-words-vote',
      kind: 'proposal',
      title: `Adopt ${word('P')}?`.slice(0, 200),
      durationSeconds: 600,
      hidden: false,
    });

    const screens: Record<string, Page> = {
      facilitator: await e2e.open(group.coordinator),
      participant: await e2e.open(member),
      projector: await e2e.open(),
    };
    await screens.facilitator.goto(`/m/${meeting.id}`);
    await screens.participant.goto(`/m/${meeting.id}`);
    await screens.projector.goto(`/m/${meeting.id}/projector`);
    for (const page of Object.values(screens))
      await page
        .getByRole('heading', { name: title.slice(0, 40) })
        .first()
        .waitFor();
    await screens.participant.getByRole('button', { name: 'Agree' }).first().waitFor();

    for (const width of [1280, 375]) {
      for (const [name, page] of Object.entries(screens)) {
        await page.setViewportSize({ width, height: 860 });
        const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
        expect(scrollWidth, `${name}: no sideways scrolling at ${width}px`).to.be.at.most(width);
        await e2e.screenshot(page, `meeting-long-words-${name}-${width}`);
      }
    }

    // The poll's line on the discussion's timeline wraps too.
    const reader = await e2e.open(member);
    await reader.setViewportSize({ width: 375, height: 860 });
    await reader.goto(`/d/${String(discussion._id)}`);
    await reader.getByText('Adopt', { exact: false }).first().waitFor();
    const readerWidth = await reader.evaluate<number>('document.documentElement.scrollWidth');
    expect(readerWidth, 'discussion: no sideways scrolling at 375px').to.be.at.most(375);
    await e2e.screenshot(reader, 'meeting-long-words-discussion-375');
  });

  it('tells a facilitator how to get quick votes when no discussion is linked', async () => {
    const group = await buildGroup({ name: 'Unlinked Allotment Society' });
    const meeting = await buildMeeting(e2e.app, { group, as: group.coordinator, items: ['Plots'] });
    await actOverRest(e2e.app, meeting.id, group.coordinator, { type: 'meeting.start' });
    const facilitator = await e2e.open(group.coordinator);
    await facilitator.goto(`/m/${meeting.id}`);
    const card = facilitator.getByRole('region', { name: 'Quick vote' });
    await card.getByText('A quick vote is a poll in a discussion linked to the meeting').waitFor();
    expect(await card.getByRole('form', { name: 'Open a quick vote' }).count()).to.equal(0);
  });
});
