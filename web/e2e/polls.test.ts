import { expect } from 'chai';
import { startE2E, type E2E } from './harness.js';
import {
  BATCH_INTERVAL_MS,
  publishDueTallies,
} from '../../server/src/commands/polls/publish-tallies.js';
import { addMember, buildUser } from '../../server/src/test/factories.js';
import { bar, card, createPoll, openCard, openDiscussion, scene, vote } from './poll-scenes.js';

describe('web client: starting polls and voting (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('lets the coordinator start a proposal through the form', async () => {
    const s = await scene();
    const page = await openDiscussion(e2e, s.coordinator, s);
    await page.getByRole('button', { name: 'New poll' }).click();
    const form = page.getByRole('form', { name: 'New poll' });
    await form.waitFor();

    // Refused before sending: no title.
    await form.getByRole('button', { name: 'Start proposal' }).click();
    await form.getByText('Give the poll a title.').waitFor();

    // The choice kinds have an options editor that validates with the shared rules.
    await form.getByRole('radio', { name: /^Single choice/ }).check();
    await form.getByLabel('Question').fill('Which park?');
    await form.getByLabel('Option 1', { exact: true }).fill('Riverside');
    await form.getByRole('button', { name: 'Start poll' }).click();
    await form.getByText('Must not be empty').waitFor();
    expect(
      await form.getByLabel('Option 2', { exact: true }).getAttribute('aria-invalid'),
    ).to.equal('true');
    await form.getByLabel('Option 2', { exact: true }).fill('Hilltop');
    await form.getByRole('button', { name: 'Add an option' }).click();
    await form.getByLabel('Option 3', { exact: true }).fill('Harbour');
    await form.getByRole('button', { name: 'Move option 3 up' }).click();
    expect(await form.getByLabel('Option 2', { exact: true }).inputValue()).to.equal('Harbour');
    await e2e.screenshot(page, 'polls-new-form-choice');

    // Back to a proposal: fixed positions, optional closing time.
    await form.getByRole('radio', { name: /^Proposal/ }).check();
    await form.getByLabel('Proposal', { exact: true }).fill('Meet at the riverside on Saturdays');
    await form.getByLabel('Details (optional)').fill('Starting in April, 10:00 at the boathouse.');
    await form.getByText('Hide results from each person until they vote').click();
    await form.getByText('Ask every voter for a reason').click();
    await e2e.screenshot(page, 'polls-new-form-proposal');
    await form.getByRole('button', { name: 'Start proposal' }).click();

    const created = card(page, 'Meet at the riverside on Saturdays');
    await created.waitFor();
    await form.waitFor({ state: 'detached' });
    await created.getByText('Results are hidden until you vote.').waitFor();
    await created.getByText('Your position').waitFor();
    for (const position of ['Agree', 'Abstain', 'Disagree', 'Block']) {
      await created.getByRole('radio', { name: position, exact: true }).waitFor();
    }
    await created.getByLabel('Reason', { exact: true }).waitFor();
  });

  it('starts a meeting time poll and a count poll with their settings', async () => {
    const s = await scene();
    const page = await openDiscussion(e2e, s.coordinator, s);
    await page.getByRole('button', { name: 'New poll' }).click();
    const form = page.getByRole('form', { name: 'New poll' });
    await form.getByRole('radio', { name: /^Meeting time/ }).check();
    await form.getByLabel('Question').fill('When is the AGM?');
    await form.getByLabel('Time 1', { exact: true }).fill('2031-05-05T18:30');
    await form.getByLabel('Time 2', { exact: true }).fill('2031-05-05T18:30');
    await form.getByRole('button', { name: 'Start poll' }).click();
    await form.getByText('Is the same time as time 1').waitFor();
    await form.getByLabel('Time 2', { exact: true }).fill('2031-05-07T18:30');
    await e2e.screenshot(page, 'polls-new-form-meeting');
    await form.getByRole('button', { name: 'Start poll' }).click();
    const meeting = card(page, 'When is the AGM?');
    await meeting
      .getByRole('radio', { name: /^Yes for/ })
      .nth(1)
      .waitFor();

    await page.getByRole('button', { name: 'New poll' }).click();
    await form.getByRole('radio', { name: /^Count/ }).check();
    await form.getByLabel('Question').fill('Who will staff the stall?');
    await form.getByLabel('People needed').fill('0');
    await form.getByRole('button', { name: 'Start poll' }).click();
    await form.getByText('Must be from 1 to 1000000').waitFor();
    await form.getByLabel('People needed').fill('4');
    await form.getByRole('button', { name: 'Start poll' }).click();
    const count = card(page, 'Who will staff the stall?');
    await count.getByText('It goes ahead if 4 or more are in.').waitFor();
    await count.getByText('0 of 4 people in').waitFor();
  });

  it('moves the coordinator’s chart live when the member votes with a reason', async () => {
    const s = await scene();
    await createPoll(e2e, s, { kind: 'proposal', title: 'Buy a shared lawnmower' });
    const [coordinatorPage, memberPage] = await Promise.all([
      openDiscussion(e2e, s.coordinator, s),
      openDiscussion(e2e, s.member, s),
    ]);
    const watching = await openCard(coordinatorPage, 'Buy a shared lawnmower');
    await bar(watching, 'Agree').filter({ hasText: '0 votes' }).waitFor();

    const mine = await openCard(memberPage, 'Buy a shared lawnmower');
    await mine.getByRole('radio', { name: 'Agree', exact: true }).check();
    await mine.getByLabel('Reason (optional)').fill('We each mow twice a month anyway.');
    await mine.getByRole('button', { name: 'Vote' }).click();
    await mine.getByTestId('my-vote').getByText('Agree').waitFor();

    // No reload: the coordinator's tally moves, and the reason appears with its voter.
    await bar(watching, 'Agree').filter({ hasText: '1 vote · 100%' }).waitFor();
    const votes = watching.getByTestId('poll-votes');
    await votes.getByText('We each mow twice a month anyway.').waitFor();
    await votes.getByText(s.member.name).waitFor();
    await e2e.screenshot(coordinatorPage, 'polls-live-coordinator');

    // Changing the vote moves it again.
    await mine.getByRole('button', { name: 'Change your vote' }).click();
    await mine.getByRole('radio', { name: 'Disagree', exact: true }).check();
    await mine.getByRole('button', { name: 'Update vote' }).click();
    await bar(watching, 'Disagree').filter({ hasText: '1 vote · 100%' }).waitFor();
    await bar(watching, 'Agree').filter({ hasText: '0 votes' }).waitFor();
    await e2e.screenshot(memberPage, 'polls-live-member');
  });

  it('shows a vote at once and rolls it back with the error when the server refuses it', async () => {
    const s = await scene();
    await createPoll(e2e, s, { kind: 'proposal', title: 'Paint the shed green' });
    const page = await openDiscussion(e2e, s.member, s);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/polls/*/vote', async (route) => {
      await held;
      await route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { id: 'conflict', message: 'This poll has closed.' } }),
      });
    });
    const poll = await openCard(page, 'Paint the shed green');
    await poll.getByRole('radio', { name: 'Agree', exact: true }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    // Optimistic: shown as cast while the server has not answered.
    await poll.getByTestId('my-vote').getByText('Sending…').waitFor();
    await poll.getByTestId('my-vote').getByText('Agree', { exact: true }).waitFor();
    release();
    await poll.getByRole('alert').getByText('This poll has closed.').waitFor();
    expect(await poll.getByTestId('my-vote').count()).to.equal(0);
    expect(await poll.getByRole('radio', { name: 'Agree', exact: true }).isChecked()).to.equal(
      true,
    );
    await bar(poll, 'Agree').filter({ hasText: '0 votes' }).waitFor();
  });

  it('shows anonymous votes in the tally in batches, without naming anyone', async () => {
    const s = await scene();
    const poll = await createPoll(e2e, s, {
      kind: 'single_choice',
      title: 'Secret ballot on the treasurer',
      options: [{ label: 'Keep Ada' }, { label: 'Elect someone new' }],
      anonymous: true,
    });
    const [coordinatorPage, memberPage] = await Promise.all([
      openDiscussion(e2e, s.coordinator, s),
      openDiscussion(e2e, s.member, s),
    ]);
    const mine = await openCard(memberPage, 'Secret ballot on the treasurer');
    await mine.getByRole('radio', { name: 'Elect someone new' }).check();
    await mine.getByLabel('Reason (optional)').fill('Time for fresh eyes.');
    await mine.getByRole('button', { name: 'Vote' }).click();
    // The member's own ballot is confirmed at once; the tally waits for a batch.
    await mine.getByText('Your vote is in.').waitFor();
    const watching = await openCard(coordinatorPage, 'Secret ballot on the treasurer');
    await bar(watching, 'Elect someone new').filter({ hasText: '0 votes' }).waitFor();

    // Two more votes, then the poll job publishes the batch a minute later: it moves live.
    for (const name of ['Vera', 'Wes']) {
      const voter = await buildUser({ name: `${name} Voter` });
      await addMember(s.group, voter);
      const newcomer = poll.options[1];
      await vote(e2e, poll, voter, [{ optionId: newcomer.id, value: 1 }]);
    }
    await publishDueTallies(new Date(Date.now() + BATCH_INTERVAL_MS + 1000));
    await bar(watching, 'Elect someone new').filter({ hasText: '3 votes' }).waitFor();
    await watching.getByTestId('poll-votes').getByText('Time for fresh eyes.').waitFor();
    await bar(mine, 'Elect someone new').filter({ hasText: '3 votes' }).waitFor();
    await mine.getByTestId('poll-votes').getByText('Time for fresh eyes.').waitFor();

    for (const page of [coordinatorPage, memberPage]) {
      const text = await card(page, 'Secret ballot on the treasurer').innerText();
      expect(text).to.not.include(s.member.name);
      expect(text).to.not.include(String(s.member.handle));
      expect(text).to.include('Anonymous');
    }
    // The member's own view names nothing either: their vote is theirs, unnamed.
    expect(await mine.getByTestId('poll-votes').innerText()).to.include('Your vote');
    await e2e.screenshot(coordinatorPage, 'polls-anonymous-coordinator');
  });

  it('hides results until the member votes, then shows the chart', async () => {
    const s = await scene();
    await createPoll(e2e, s, {
      kind: 'multiple_choice',
      title: 'Which tools should we share?',
      options: [{ label: 'Ladder' }, { label: 'Drill' }, { label: 'Wheelbarrow' }],
      maxChoices: 2,
      hideResults: 'until_voted',
    });
    const page = await openDiscussion(e2e, s.member, s);
    const poll = await openCard(page, 'Which tools should we share?');
    await poll.getByText('Results are hidden until you vote.').waitFor();
    expect(await poll.locator('.poll-bar').count()).to.equal(0);

    // Three choices are one too many: the shared validation says so at the ballot.
    for (const tool of ['Ladder', 'Drill', 'Wheelbarrow']) {
      await poll.getByRole('checkbox', { name: tool }).check();
    }
    await poll.getByRole('button', { name: 'Vote' }).click();
    await poll.getByText('must choose at most 2 options', { exact: false }).waitFor();
    await poll.getByRole('checkbox', { name: 'Drill' }).uncheck();
    await poll.getByRole('button', { name: 'Vote' }).click();

    await bar(poll, 'Ladder').filter({ hasText: '1 vote' }).waitFor();
    await bar(poll, 'Drill').filter({ hasText: '0 votes' }).waitFor();
    expect(await poll.getByTestId('poll-hidden').count()).to.equal(0);
  });

  it('votes in a ranked choice and a meeting time poll through the UI', async () => {
    const s = await scene();
    await createPoll(e2e, s, {
      kind: 'ranked_choice',
      title: 'Rank the picnic spots',
      options: [{ label: 'Red meadow' }, { label: 'Green hill' }, { label: 'Blue lake' }],
    });
    await createPoll(e2e, s, {
      kind: 'meeting_time',
      title: 'When shall we plan?',
      options: [
        { label: 'Mon', startsAt: '2031-03-03T10:00:00Z' },
        { label: 'Tue', startsAt: '2031-03-04T10:00:00Z' },
        { label: 'Wed', startsAt: '2031-03-05T10:00:00Z' },
      ],
      reasonRequired: true,
    });
    const page = await openDiscussion(e2e, s.member, s);

    const ranked = await openCard(page, 'Rank the picnic spots');
    await ranked.getByRole('button', { name: 'Move Blue lake up' }).click();
    await ranked.getByRole('button', { name: 'Move Blue lake up' }).focus();
    await page.keyboard.press('Enter');
    await ranked
      .getByRole('status')
      .filter({ hasText: 'Blue lake moved to position 1 of 3.' })
      .waitFor();
    await ranked.getByRole('button', { name: 'Vote' }).click();
    await ranked.getByTestId('my-vote').getByText('1. Blue lake', { exact: false }).waitFor();
    const first = ranked.locator('.poll-ranked > li').first();
    await first.filter({ hasText: 'Blue lake' }).filter({ hasText: '2 points' }).waitFor();

    const meeting = await openCard(page, 'When shall we plan?');
    const yes = meeting.getByRole('radio', { name: /^Yes for/ });
    const maybe = meeting.getByRole('radio', { name: /^If need be for/ });
    const no = meeting.getByRole('radio', { name: /^No for/ });
    await yes.nth(0).check();
    await maybe.nth(1).check();
    await no.nth(2).check();
    await meeting.getByRole('button', { name: 'Vote' }).click();
    await meeting.getByText('Please give a reason: this poll asks for one.').waitFor();
    await meeting.getByLabel('Reason', { exact: true }).fill('Mornings suit me best.');
    await meeting.getByRole('button', { name: 'Vote' }).click();
    const rows = meeting.locator('.poll-results tbody tr');
    await rows.nth(0).locator('td[data-answer="yes"]').filter({ hasText: '1' }).waitFor();
    await rows.nth(1).locator('td[data-answer="maybe"]').filter({ hasText: '1' }).waitFor();
    await rows.nth(2).locator('td[data-answer="no"]').filter({ hasText: '1' }).waitFor();
    await rows.nth(0).getByText('Best').waitFor();
    await meeting.getByTestId('poll-votes').getByText('Mornings suit me best.').waitFor();
  });
});
