import { expect } from 'chai';
import { addMember, buildDiscussion, buildGroup } from '../../server/src/test/factories.js';
import { actOverRest, buildMeeting } from '../../server/src/meetings/test-meetings.js';
import { GroupModel } from '../../server/src/models/group.js';
import { PollModel } from '../../server/src/models/poll.js';
import { VoteModel } from '../../server/src/models/vote.js';
import { startE2E, type E2E } from './harness.js';

/**
 * A quick vote of another kind than a proposal: the facilitator picks the
 * kind and writes the options; a participant casts a ballot of several
 * choices with a reason from the meeting's screen; the reveal shows the counts.
 */
describe('web client: a quick vote with options of its own (Chromium)', function () {
  this.timeout(120_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  /** A closed group with one member, and its live meeting of one item linked to a discussion. */
  async function liveMeeting(groupName: string, item: string) {
    const group = await buildGroup({ privacy: 'closed', name: groupName });
    const member = await addMember(group, undefined, 'member');
    const discussion = await buildDiscussion({ group, title: item });
    const meeting = await buildMeeting(e2e.app, {
      group,
      as: group.coordinator,
      discussion,
      items: [item],
    });
    await actOverRest(e2e.app, meeting.id, group.coordinator, { type: 'meeting.start' });
    return { group, member, discussion, meeting };
  }

  it('opens a hidden multiple choice vote, takes a ballot of two with a reason, and reveals it', async () => {
    const { group, member, discussion, meeting } = await liveMeeting(
      'Elm Court tenants',
      'Projects for spring',
    );

    const facilitator = await e2e.open(group.coordinator);
    const participant = await e2e.open(member);
    await facilitator.goto(`/m/${meeting.id}`);
    await participant.goto(`/m/${meeting.id}`);

    const form = facilitator.getByRole('form', { name: 'Open a quick vote' });
    await form.getByLabel('Kind').selectOption('multiple_choice');
    await form.getByText('Pick several options').waitFor();
    await form.getByLabel('Question').fill('Which projects this spring?');
    await form.getByLabel('Seconds').fill('600');
    await form
      .getByLabel('Options', { exact: true })
      .fill('Garden\nLibrary corner\n\n  Bike shed  ');
    for (const width of [1280, 375]) {
      await facilitator.setViewportSize({ width, height: 900 });
      await e2e.screenshot(facilitator, `meeting-quick-vote-kinds-open-${width}`);
    }
    await facilitator.setViewportSize({ width: 1280, height: 900 });
    await form.getByRole('button', { name: 'Open the vote' }).click();

    // The participant gets the discussion's ballot: several choices and a reason.
    const card = participant.locator('.meeting-vote');
    await card.getByText('Which projects this spring?', { exact: true }).waitFor();
    await card.getByRole('checkbox', { name: 'Garden' }).check();
    await card.getByRole('checkbox', { name: 'Bike shed' }).check();
    await card.getByLabel('Reason (optional)').fill('Both can be done by volunteers');
    for (const width of [1280, 375]) {
      await participant.setViewportSize({ width, height: 900 });
      await e2e.screenshot(participant, `meeting-quick-vote-kinds-ballot-${width}`);
    }
    await card.getByRole('button', { name: /^Vote/ }).click();
    await card.getByText('Your vote', { exact: true }).waitFor();
    await card.getByText('Results are hidden until the facilitator reveals them.').waitFor();

    const facilitatorCard = facilitator.locator('.meeting-vote');
    await facilitatorCard.getByText('1 ballot(s) cast').waitFor();
    // Counted, so stored: as cast, with its reason.
    const poll = await PollModel.findOne({ discussionId: discussion._id }).lean();
    expect(poll!.options.map((o) => o.label)).to.deep.equal([
      'Garden',
      'Library corner',
      'Bike shed',
    ]);
    const vote = await VoteModel.findOne({ pollId: poll!._id, userId: member._id }).lean();
    const chosen = vote!.choices.map((c) => poll!.options.find((o) => o.id === c.optionId)?.label);
    expect(chosen.sort()).to.deep.equal(['Bike shed', 'Garden']);
    expect(vote!.reason).to.equal('Both can be done by volunteers');

    await facilitatorCard.getByRole('button', { name: 'Reveal results' }).click();
    // The discussion's results for the kind: each option's votes and share.
    const results = card.getByRole('region', { name: 'Results' });
    await results.waitFor();
    const bars = await results.getByRole('listitem').allInnerTexts();
    expect(bars.map((b) => b.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'GardenTied 1 vote · 50%',
      'Library corner 0 votes · 0%',
      'Bike shedTied 1 vote · 50%',
    ]);
    // After a reload the ballot is still the participant's own, not an empty form.
    await participant.reload();
    await card.getByText('Garden, Bike shed').waitFor();
    await card.getByRole('button', { name: /^Change your vote/ }).waitFor();
    await participant.setViewportSize({ width: 375, height: 900 });
    await e2e.screenshot(participant, 'meeting-quick-vote-kinds-revealed-375');
  });

  it('shows each person the ballot their own rights allow: a coordinator votes where members may not', async () => {
    const { group, member, meeting } = await liveMeeting('Oak Lane board', 'Priorities');
    await GroupModel.updateOne(
      { _id: group._id },
      { $set: { 'permissions.membersCanVote': false } },
    );
    await actOverRest(e2e.app, meeting.id, group.coordinator, {
      type: 'vote.open',
      clientId: 'oak-lane-score',
      kind: 'score',
      title: 'How urgent is each?',
      options: ['Roof', 'Paint'],
      durationSeconds: 600,
      hidden: false,
    });
    const memberPage = await e2e.open(member);
    await memberPage.goto(`/m/${meeting.id}`);
    const memberCard = memberPage.locator('.meeting-vote');
    await memberCard.getByText('You may not vote in this poll.').waitFor();
    expect(await memberCard.getByRole('button', { name: /^Vote/ }).count()).to.equal(0);

    const coordinatorPage = await e2e.open(group.coordinator);
    await coordinatorPage.goto(`/m/${meeting.id}`);
    const coordinatorCard = coordinatorPage.locator('.meeting-vote');
    await coordinatorCard.getByRole('button', { name: /^Vote/ }).waitFor();
    expect(await coordinatorCard.getByText('You may not vote in this poll.').count()).to.equal(0);
  });

  it('lets the facilitator close and reveal a vote left open when the meeting ended', async () => {
    const { group, member, meeting } = await liveMeeting('Birch Row co-op', 'Boiler');
    await actOverRest(e2e.app, meeting.id, group.coordinator, {
      type: 'vote.open',
      clientId: 'birch-row-boiler',
      kind: 'proposal',
      title: 'Replace the boiler?',
      durationSeconds: null,
      hidden: true,
    });
    await actOverRest(e2e.app, meeting.id, group.coordinator, { type: 'meeting.end' });
    const participant = await e2e.open(member);
    await participant.goto(`/m/${meeting.id}`);
    const facilitator = await e2e.open(group.coordinator);
    await facilitator.goto(`/m/${meeting.id}`);
    const card = facilitator.locator('.meeting-vote');
    await card.getByText('Replace the boiler?', { exact: true }).waitFor();
    // The last item ran until the end: it is no longer shown as the current one.
    expect(await facilitator.locator('.agenda-list .pill', { hasText: 'Now' }).count()).to.equal(0);
    // Ended: no new vote to open, but this one can still be settled.
    expect(await facilitator.getByRole('form', { name: 'Open a quick vote' }).count()).to.equal(0);
    await facilitator
      .locator('.current-item')
      .getByText(/^Ended /)
      .waitFor();
    // Nor a speakers' list or a temperature any more: nobody speaks or signals after the end.
    for (const heading of ['Speakers', 'Temperature'])
      expect(await facilitator.getByRole('heading', { name: heading }).count(), heading).to.equal(
        0,
      );
    // Nobody else gets the controls.
    const participantCard = participant.locator('.meeting-vote');
    await participantCard.getByText('Replace the boiler?', { exact: true }).waitFor();
    for (const name of ['Close the vote', 'Reveal results'])
      expect(await participantCard.getByRole('button', { name }).count(), name).to.equal(0);
    await card.getByRole('button', { name: 'Close the vote' }).click();
    await card.getByText('Closed', { exact: true }).waitFor();
    for (const width of [1280, 375]) {
      await facilitator.setViewportSize({ width, height: 900 });
      await e2e.screenshot(facilitator, `meeting-quick-vote-ended-${width}`);
    }
    await card.getByRole('button', { name: 'Reveal results' }).click();
    await participantCard.getByRole('list', { name: 'Results' }).waitFor();
    await card.getByRole('button', { name: 'Reveal results' }).waitFor({ state: 'detached' });
    // Closed and revealed: nothing left to settle, and no empty row of controls where they were.
    expect(await card.locator('.row:empty').count()).to.equal(0);
  });

  it('takes a reason after a one-tap vote, shows it as text, and keeps it when the position changes', async () => {
    const { group, member, discussion, meeting } = await liveMeeting(
      'Pine Yard allotments',
      'Shed',
    );
    await actOverRest(e2e.app, meeting.id, group.coordinator, {
      type: 'vote.open',
      clientId: 'pine-yard-shed',
      kind: 'proposal',
      title: 'Build the shed?',
      durationSeconds: 600,
      hidden: true,
    });
    const participant = await e2e.open(member);
    await participant.goto(`/m/${meeting.id}`);
    const card = participant.locator('.meeting-vote');
    await card.getByRole('button', { name: 'Agree', exact: true }).click();
    await card.getByRole('button', { name: 'Add a reason' }).click();
    const hostile = 'Before winter <img src=x onerror="window.__owned=1"> **now**';
    await card.getByLabel('Reason (optional)').fill(hostile);
    for (const width of [1280, 375]) {
      await participant.setViewportSize({ width, height: 900 });
      await e2e.screenshot(participant, `meeting-quick-vote-reason-${width}`);
    }
    await card.getByRole('button', { name: 'Save reason' }).click();
    await card.getByRole('button', { name: 'Change your reason' }).waitFor();
    // The focus is back on the button, for the keyboard.
    expect(await participant.evaluate('document.activeElement?.textContent')).to.equal(
      'Change your reason',
    );
    await card.getByText('Before winter <img src=x onerror="window.__owned=1">').waitFor();
    expect(await card.locator('img').count()).to.equal(0);
    await e2e.screenshot(participant, 'meeting-quick-vote-reason-saved-375');
    expect(await participant.evaluate('window.__owned')).to.equal(undefined);
    const poll = await PollModel.findOne({ discussionId: discussion._id }).lean();
    const stored = () => VoteModel.findOne({ pollId: poll!._id, userId: member._id }).lean();
    expect((await stored())!.reason).to.equal(hostile);
    // Another position keeps the reason given.
    await card.getByRole('button', { name: 'Disagree', exact: true }).click();
    // The button shows the position at once; the server has it once its request lands.
    const deadline = Date.now() + 10_000;
    let changed = await stored();
    while (changed!.choices[0]?.optionId !== 'disagree' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      changed = await stored();
    }
    expect(changed!.choices.map((c) => c.optionId)).to.deep.equal(['disagree']);
    expect(changed!.reason).to.equal(hostile);
    // Once the vote closes, the reason stays on the card, with nothing left to change.
    await actOverRest(e2e.app, meeting.id, group.coordinator, { type: 'vote.close' });
    await card.getByText('Closed', { exact: true }).waitFor();
    await card.getByText('Before winter <img src=x onerror="window.__owned=1">').waitFor();
    expect(await card.getByRole('button', { name: 'Change your reason' }).count()).to.equal(0);
  });
});
