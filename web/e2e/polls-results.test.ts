import { expect } from 'chai';
import { addMember, buildUser } from '../../server/src/test/factories.js';
import { startE2E, type E2E } from './harness.js';
import {
  card,
  createPoll,
  openAllCards,
  openCard,
  openDiscussion,
  scene,
  shootCards,
  vote,
} from './poll-scenes.js';

describe('web client: poll results, outcomes and every kind drawn (Chromium)', function () {
  this.timeout(90_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  it('closes a poll and publishes its outcome, seen live by the member', async () => {
    const s = await scene();
    const poll = await createPoll(e2e, s, {
      kind: 'proposal',
      title: 'Adopt the new constitution',
    });
    await vote(e2e, poll, s.member, [{ optionId: 'agree', value: 1 }], 'It is clearer.');
    const [coordinatorPage, memberPage] = await Promise.all([
      openDiscussion(e2e, s.coordinator, s),
      openDiscussion(e2e, s.member, s),
    ]);
    const running = await openCard(coordinatorPage, 'Adopt the new constitution');
    await openCard(memberPage, 'Adopt the new constitution');
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

    const count = await createPoll(e2e, s, {
      kind: 'count',
      title: 'Who joins the clean-up day?',
      threshold: 5,
    });
    for (const v of voters) await vote(e2e, count, v, [{ optionId: 'commit', value: 1 }]);

    const dots = await createPoll(e2e, s, {
      kind: 'dot_vote',
      title: 'Spend the garden budget',
      options: opts('Seeds', 'Tools', 'Benches'),
      dotsPerPerson: 10,
    });
    const [d0, d1, d2] = dots.options.map((o) => o.id);
    await vote(e2e, dots, a, [
      { optionId: d0, value: 6 },
      { optionId: d1, value: 4 },
    ]);
    await vote(e2e, dots, b, [{ optionId: d2, value: 10 }]);

    const meeting = await createPoll(e2e, s, {
      kind: 'meeting_time',
      title: 'Planning meeting',
      options: [
        { label: 'Mon', startsAt: '2031-03-03T18:00:00Z' },
        { label: 'Tue', startsAt: '2031-03-04T18:00:00Z' },
        { label: 'Thu', startsAt: '2031-03-06T18:00:00Z' },
      ],
    });
    const [m0, m1, m2] = meeting.options.map((o) => o.id);
    await vote(e2e, meeting, a, [
      { optionId: m0, value: 2 },
      { optionId: m1, value: 1 },
      { optionId: m2, value: 0 },
    ]);
    await vote(e2e, meeting, b, [
      { optionId: m0, value: 2 },
      { optionId: m1, value: 2 },
      { optionId: m2, value: 0 },
    ]);
    await vote(e2e, meeting, c, [
      { optionId: m0, value: 1 },
      { optionId: m1, value: 0 },
      { optionId: m2, value: 2 },
    ]);

    const ranked = await createPoll(e2e, s, {
      kind: 'ranked_choice',
      title: 'Name the newsletter',
      options: opts('The Allotment', 'Green Pages', 'Dig In'),
    });
    const [r0, r1, r2] = ranked.options.map((o) => o.id);
    await vote(e2e, ranked, a, [
      { optionId: r2, value: 1 },
      { optionId: r0, value: 2 },
      { optionId: r1, value: 3 },
    ]);
    await vote(e2e, ranked, b, [
      { optionId: r0, value: 1 },
      { optionId: r2, value: 2 },
    ]);

    const score = await createPoll(e2e, s, {
      kind: 'score',
      title: 'Rate the venues',
      options: opts('Town hall', 'Library', 'Café'),
      minScore: 0,
      maxScore: 5,
    });
    const [s0, s1, s2] = score.options.map((o) => o.id);
    await vote(e2e, score, a, [
      { optionId: s0, value: 4 },
      { optionId: s1, value: 2 },
      { optionId: s2, value: 5 },
    ]);
    await vote(e2e, score, b, [
      { optionId: s0, value: 3 },
      { optionId: s1, value: 5 },
      { optionId: s2, value: 1 },
    ]);

    const multiple = await createPoll(e2e, s, {
      kind: 'multiple_choice',
      title: 'Which workshops?',
      options: opts('Composting', 'Pruning', 'Seed saving'),
    });
    const [w0, , w2] = multiple.options.map((o) => o.id);
    await vote(e2e, multiple, a, [
      { optionId: w0, value: 1 },
      { optionId: w2, value: 1 },
    ]);
    await vote(e2e, multiple, b, [{ optionId: w0, value: 1 }]);

    const proposal = await createPoll(e2e, s, {
      kind: 'proposal',
      title: 'Ban glyphosate on the plots',
    });
    await vote(e2e, proposal, a, [{ optionId: 'agree', value: 1 }], 'Better for the bees.');
    await vote(e2e, proposal, b, [{ optionId: 'agree', value: 1 }]);
    await vote(
      e2e,
      proposal,
      c,
      [{ optionId: 'block', value: 1 }],
      'Not without an alternative for bindweed.',
    );

    const page = await openDiscussion(e2e, s.coordinator, s);
    await openAllCards(page);
    await card(page, 'Ban glyphosate on the plots').getByText('Blocked').waitFor();
    await card(page, 'Who joins the clean-up day?').getByText('3 of 5 people in').waitFor();
    await card(page, 'Rate the venues').getByText('7 total · 3.5 average').first().waitFor();
    await e2e.screenshot(page, 'polls-every-kind');
    await shootCards(page, 'polls-card');

    const phone = await openDiscussion(e2e, s.member, s, 375);
    await openAllCards(phone);
    await card(phone, 'Planning meeting').locator('.poll-grid').first().waitFor();
    await e2e.screenshot(phone, 'polls-phone');
    await shootCards(phone, 'polls-phone-card', ['proposal', 'score', 'meeting_time', 'dot_vote']);
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth');
    expect(overflow).to.be.at.most(375);
  });
});
