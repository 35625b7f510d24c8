import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import type { PollDto } from '../../shared/dto.js';
import {
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../server/src/test/factories.js';
import type { UserDocument } from '../../server/src/models/user.js';
import path from 'node:path';
import { SCREENSHOTS, startE2E, type E2E } from './harness.js';

interface Scene {
  group: Awaited<ReturnType<typeof buildGroup>>;
  coordinator: UserDocument;
  member: UserDocument;
  discussionId: string;
}

describe('web client: polls and voting (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e?.close();
  });

  let people = 0;
  async function scene(): Promise<Scene> {
    people += 1;
    const coordinator = await buildUser({ name: `Cora Coordinator ${people}` });
    const member = await buildUser({ name: `Milo Member ${people}` });
    const group = await buildGroup({ coordinator, privacy: 'closed' });
    await addMember(group, member);
    const discussion = await buildDiscussion({ group, title: 'Where do we meet this spring?' });
    return { group, coordinator, member, discussionId: String(discussion._id) };
  }

  const inThreeDays = () => new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();

  async function createPoll(
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

  async function vote(poll: PollDto, as: UserDocument, choices: unknown[], reason = '') {
    const res = await e2e.app.request('PUT', `/api/polls/${poll.id}/vote`, {
      as,
      body: { choices, reason },
    });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
  }

  async function openDiscussion(user: UserDocument, s: Scene, width = 1280): Promise<Page> {
    const page = await e2e.open(user, { width, height: 900 });
    await page.goto(`/d/${s.discussionId}`);
    await page.getByRole('heading', { name: 'Polls and proposals' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    return page;
  }

  const KINDS = [
    'proposal',
    'multiple_choice',
    'score',
    'ranked_choice',
    'meeting_time',
    'dot_vote',
    'count',
  ];

  /** One screenshot per kind's card (the sticky top bar unstuck, so it covers nothing). */
  async function shootCards(page: Page, prefix: string, kinds = KINDS) {
    // Through the CSSOM: the app's Content-Security-Policy refuses inline style sheets.
    await page.evaluate("document.querySelector('.topbar').style.position = 'static'");
    for (const kind of kinds) {
      await page
        .locator(`[data-testid="poll-card"][data-kind="${kind}"]`)
        .first()
        .screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${kind}.png`) });
    }
  }

  function card(page: Page, title: string): Locator {
    return page
      .getByTestId('poll-card')
      .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  }

  function bar(poll: Locator, label: string): Locator {
    return poll
      .locator('.poll-bar')
      .filter({ has: poll.page().locator('.poll-bar-name').getByText(label, { exact: true }) })
      .getByTestId('poll-bar-value');
  }

  it('lets the coordinator start a proposal through the form', async () => {
    const s = await scene();
    const page = await openDiscussion(s.coordinator, s);
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
    const page = await openDiscussion(s.coordinator, s);
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
    await createPoll(s, { kind: 'proposal', title: 'Buy a shared lawnmower' });
    const [coordinatorPage, memberPage] = await Promise.all([
      openDiscussion(s.coordinator, s),
      openDiscussion(s.member, s),
    ]);
    const watching = card(coordinatorPage, 'Buy a shared lawnmower');
    await bar(watching, 'Agree').filter({ hasText: '0 votes' }).waitFor();

    const mine = card(memberPage, 'Buy a shared lawnmower');
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
    await createPoll(s, { kind: 'proposal', title: 'Paint the shed green' });
    const page = await openDiscussion(s.member, s);
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
    const poll = card(page, 'Paint the shed green');
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

  it('shows an anonymous vote in the tally without naming anyone', async () => {
    const s = await scene();
    await createPoll(s, {
      kind: 'single_choice',
      title: 'Secret ballot on the treasurer',
      options: [{ label: 'Keep Ada' }, { label: 'Elect someone new' }],
      anonymous: true,
    });
    const [coordinatorPage, memberPage] = await Promise.all([
      openDiscussion(s.coordinator, s),
      openDiscussion(s.member, s),
    ]);
    const mine = card(memberPage, 'Secret ballot on the treasurer');
    await mine.getByRole('radio', { name: 'Elect someone new' }).check();
    await mine.getByLabel('Reason (optional)').fill('Time for fresh eyes.');
    await mine.getByRole('button', { name: 'Vote' }).click();

    const watching = card(coordinatorPage, 'Secret ballot on the treasurer');
    await bar(watching, 'Elect someone new').filter({ hasText: '1 vote' }).waitFor();
    await watching.getByTestId('poll-votes').getByText('Time for fresh eyes.').waitFor();
    await bar(mine, 'Elect someone new').filter({ hasText: '1 vote' }).waitFor();
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
    await createPoll(s, {
      kind: 'multiple_choice',
      title: 'Which tools should we share?',
      options: [{ label: 'Ladder' }, { label: 'Drill' }, { label: 'Wheelbarrow' }],
      maxChoices: 2,
      hideResults: 'until_voted',
    });
    const page = await openDiscussion(s.member, s);
    const poll = card(page, 'Which tools should we share?');
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
    await createPoll(s, {
      kind: 'ranked_choice',
      title: 'Rank the picnic spots',
      options: [{ label: 'Red meadow' }, { label: 'Green hill' }, { label: 'Blue lake' }],
    });
    await createPoll(s, {
      kind: 'meeting_time',
      title: 'When shall we plan?',
      options: [
        { label: 'Mon', startsAt: '2031-03-03T10:00:00Z' },
        { label: 'Tue', startsAt: '2031-03-04T10:00:00Z' },
        { label: 'Wed', startsAt: '2031-03-05T10:00:00Z' },
      ],
      reasonRequired: true,
    });
    const page = await openDiscussion(s.member, s);

    const ranked = card(page, 'Rank the picnic spots');
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

    const meeting = card(page, 'When shall we plan?');
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

  it('closes a poll and publishes its outcome, seen live by the member', async () => {
    const s = await scene();
    const poll = await createPoll(s, { kind: 'proposal', title: 'Adopt the new constitution' });
    await vote(poll, s.member, [{ optionId: 'agree', value: 1 }], 'It is clearer.');
    const [coordinatorPage, memberPage] = await Promise.all([
      openDiscussion(s.coordinator, s),
      openDiscussion(s.member, s),
    ]);
    const running = card(coordinatorPage, 'Adopt the new constitution');
    await running.getByRole('button', { name: 'Close poll' }).click();
    await running.getByText('Closed', { exact: true }).waitFor();
    await card(memberPage, 'Adopt the new constitution')
      .getByText('Closed', { exact: true })
      .waitFor();
    expect(
      await card(memberPage, 'Adopt the new constitution')
        .getByRole('button', { name: 'Change your vote' })
        .count(),
    ).to.equal(0);

    await running.getByRole('button', { name: 'Publish outcome' }).click();
    await running.getByLabel('Outcome').fill('Adopted: the new constitution applies from May.');
    await running.getByRole('button', { name: 'Publish outcome' }).click();
    await running
      .getByTestId('poll-outcome')
      .getByText('Adopted: the new constitution applies from May.')
      .waitFor();
    await card(memberPage, 'Adopt the new constitution')
      .getByTestId('poll-outcome')
      .getByText('Adopted: the new constitution applies from May.')
      .waitFor();
    expect(
      await card(memberPage, 'Adopt the new constitution')
        .getByRole('button', { name: 'Publish outcome' })
        .count(),
    ).to.equal(0);
    await e2e.screenshot(coordinatorPage, 'polls-closed-outcome');

    await running.getByRole('button', { name: 'Reopen' }).click();
    await running.getByRole('button', { name: 'Reopen poll' }).click();
    await running.locator('.poll-status').getByText('Open', { exact: true }).waitFor();
  });

  it('draws every kind with results, on desktop and at phone width', async () => {
    const s = await scene();
    const voters = [
      s.member,
      await addMember(s.group, await buildUser({ name: 'Noor Haddad' })),
      await addMember(s.group, await buildUser({ name: 'Ravi Patel' })),
    ];
    const [a, b, c] = voters;
    const opts = (...labels: string[]) => labels.map((label) => ({ label }));

    const count = await createPoll(s, {
      kind: 'count',
      title: 'Who joins the clean-up day?',
      threshold: 5,
    });
    for (const v of voters) await vote(count, v, [{ optionId: 'commit', value: 1 }]);

    const dots = await createPoll(s, {
      kind: 'dot_vote',
      title: 'Spend the garden budget',
      options: opts('Seeds', 'Tools', 'Benches'),
      dotsPerPerson: 10,
    });
    const [d0, d1, d2] = dots.options.map((o) => o.id);
    await vote(dots, a, [
      { optionId: d0, value: 6 },
      { optionId: d1, value: 4 },
    ]);
    await vote(dots, b, [{ optionId: d2, value: 10 }]);

    const meeting = await createPoll(s, {
      kind: 'meeting_time',
      title: 'Planning meeting',
      options: [
        { label: 'Mon', startsAt: '2031-03-03T18:00:00Z' },
        { label: 'Tue', startsAt: '2031-03-04T18:00:00Z' },
        { label: 'Thu', startsAt: '2031-03-06T18:00:00Z' },
      ],
    });
    const [m0, m1, m2] = meeting.options.map((o) => o.id);
    await vote(meeting, a, [
      { optionId: m0, value: 2 },
      { optionId: m1, value: 1 },
      { optionId: m2, value: 0 },
    ]);
    await vote(meeting, b, [
      { optionId: m0, value: 2 },
      { optionId: m1, value: 2 },
      { optionId: m2, value: 0 },
    ]);
    await vote(meeting, c, [
      { optionId: m0, value: 1 },
      { optionId: m1, value: 0 },
      { optionId: m2, value: 2 },
    ]);

    const ranked = await createPoll(s, {
      kind: 'ranked_choice',
      title: 'Name the newsletter',
      options: opts('The Allotment', 'Green Pages', 'Dig In'),
    });
    const [r0, r1, r2] = ranked.options.map((o) => o.id);
    await vote(ranked, a, [
      { optionId: r2, value: 1 },
      { optionId: r0, value: 2 },
      { optionId: r1, value: 3 },
    ]);
    await vote(ranked, b, [
      { optionId: r0, value: 1 },
      { optionId: r2, value: 2 },
    ]);

    const score = await createPoll(s, {
      kind: 'score',
      title: 'Rate the venues',
      options: opts('Town hall', 'Library', 'Café'),
      minScore: 0,
      maxScore: 5,
    });
    const [s0, s1, s2] = score.options.map((o) => o.id);
    await vote(score, a, [
      { optionId: s0, value: 4 },
      { optionId: s1, value: 2 },
      { optionId: s2, value: 5 },
    ]);
    await vote(score, b, [
      { optionId: s0, value: 3 },
      { optionId: s1, value: 5 },
      { optionId: s2, value: 1 },
    ]);

    const multiple = await createPoll(s, {
      kind: 'multiple_choice',
      title: 'Which workshops?',
      options: opts('Composting', 'Pruning', 'Seed saving'),
    });
    const [w0, , w2] = multiple.options.map((o) => o.id);
    await vote(multiple, a, [
      { optionId: w0, value: 1 },
      { optionId: w2, value: 1 },
    ]);
    await vote(multiple, b, [{ optionId: w0, value: 1 }]);

    const proposal = await createPoll(s, {
      kind: 'proposal',
      title: 'Ban glyphosate on the plots',
    });
    await vote(proposal, a, [{ optionId: 'agree', value: 1 }], 'Better for the bees.');
    await vote(proposal, b, [{ optionId: 'agree', value: 1 }]);
    await vote(
      proposal,
      c,
      [{ optionId: 'block', value: 1 }],
      'Not without an alternative for bindweed.',
    );

    const page = await openDiscussion(s.coordinator, s);
    await card(page, 'Ban glyphosate on the plots').getByText('Blocked').waitFor();
    await card(page, 'Who joins the clean-up day?').getByText('3 of 5 people in').waitFor();
    await card(page, 'Rate the venues').getByText('7 total · 3.5 average').first().waitFor();
    await e2e.screenshot(page, 'polls-every-kind');
    await shootCards(page, 'polls-card');

    const phone = await openDiscussion(s.member, s, 375);
    await card(phone, 'Planning meeting').locator('.poll-grid').first().waitFor();
    await e2e.screenshot(phone, 'polls-phone');
    await shootCards(phone, 'polls-phone-card', ['proposal', 'score', 'meeting_time', 'dot_vote']);
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth');
    expect(overflow).to.be.at.most(375);
  });
});
