import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { UserDocument } from '../../server/src/models/user.js';
import { startE2E, type E2E } from './harness.js';
import {
  castVote,
  closePoll,
  manyPolls,
  measure,
  pollWorld,
  postComment,
  startPoll,
} from './many-polls-scene.js';
import { card } from './poll-scenes.js';

/**
 * A discussion with many polls: compact cards that open in place, closed polls
 * folded to their outcome, votes folded into one live line per poll, proposal
 * results that say "Tied" and "Blocked", and comments that stay near the top.
 */
describe('web client: a discussion with many polls (Chromium)', function () {
  this.timeout(180_000);
  let e2e: E2E;
  before(async function () {
    e2e = await startE2E(this);
  });
  after(async () => {
    await e2e?.close();
  });

  async function open(user: UserDocument, discussionId: string, width = 1280): Promise<Page> {
    const page = await e2e.open(user, { width, height: width > 600 ? 800 : 844 });
    page.setDefaultTimeout(30_000);
    await page.goto(`/d/${discussionId}`);
    await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
    await page.getByTestId('poll-card').first().waitFor();
    return page;
  }

  /** Full-page screenshots at 1280 and 390 px wide (back at 1280 after). */
  async function shoot(page: Page, name: string): Promise<void> {
    await e2e.screenshot(page, `${name}-1280`);
    await page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(page, `${name}-390`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('keeps the comments within one screen of the top with eight polls, at 1280 px', async () => {
    const w = await manyPolls(e2e);
    const page = await open(w.members[0], w.discussion.id);
    const { height, firstComment } = await measure(page);
    console.log(
      `      eight polls at 1280 px: page ${height} px tall, first comment at ${firstComment} px`,
    );
    expect(firstComment).to.be.below(800);

    // Every card is compact: no ballot, no chart, until opened.
    expect(await page.getByTestId('poll-card').count()).to.equal(8);
    expect(await page.locator('.poll-toggle[aria-expanded="true"]').count()).to.equal(0);
    expect(await page.locator('.poll-vote-form, .poll-bars').count()).to.equal(0);
    // The closed poll collapses to its outcome.
    await card(page, 'Who stays for lunch?')
      .getByTestId('poll-glance')
      .getByText('Lunch is on: Cleo cooks soup, everyone brings bread.')
      .waitFor();
    // Small live results where this member may see them, and their own vote.
    await card(page, 'Fix the roof first')
      .getByTestId('poll-mini-result')
      .filter({ hasText: '2 agree · 1 abstain · 1 disagree' })
      .waitFor();
    await card(page, 'Fix the roof first')
      .getByTestId('my-vote-glance')
      .filter({ hasText: 'Agree' })
      .waitFor();
    // Eighteen lines of poll activity before the first comment fold into one summary.
    const activity = page.getByTestId('activity-line');
    expect(await activity.count()).to.equal(1);
    await activity
      .getByText(
        'Ada Lovelace started 8 polls · votes on 8 polls · 1 poll closed · 1 outcome shared',
      )
      .waitFor();
    await shoot(page, 'polls-eight-collapsed');
    await activity.getByRole('button', { name: 'Show 18 updates' }).click();
    await activity.getByText('Ada Lovelace started the poll “Order of the jobs”').waitFor();
    await activity.getByText('4 people voted on “Fix the roof first”').waitFor();
    await activity.getByRole('button', { name: 'Hide updates' }).click();

    // At phone width the polls stack above the conversation and nothing overflows.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(390);
  });

  it('opens a poll in place from its "Vote" button, with the ballot focused, and folds it back', async () => {
    const w = await manyPolls(e2e);
    const finn = w.members[4];
    const page = await open(finn, w.discussion.id);
    const roof = card(page, 'Fix the roof first');
    const top = () =>
      page.evaluate<number>(
        `document.getElementById('poll-${w.polls[0].id}').getBoundingClientRect().top + window.scrollY`,
      );
    const before = await top();
    await roof.getByRole('button', { name: 'Vote on Fix the roof first' }).click();
    await roof.getByRole('radio', { name: 'Agree', exact: true }).waitFor();
    // In place: the card opens where it was, and the ballot has focus.
    expect(await top()).to.equal(before);
    expect(await page.evaluate('document.activeElement?.closest("label")?.textContent')).to.equal(
      'Agree',
    );
    const toggle = roof.getByRole('button', { name: 'Fix the roof first', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    await roof.locator('.poll-bars').waitFor();
    await shoot(page, 'polls-one-expanded');

    await page.keyboard.press('Space');
    await roof.getByRole('button', { name: 'Vote on Fix the roof first' }).click();
    await roof.getByRole('button', { name: 'Change your vote on Fix the roof first' }).waitFor();
    // Folded back, the card says how one voted.
    await toggle.click();
    await roof.getByTestId('my-vote-glance').filter({ hasText: 'Agree' }).waitFor();
    await roof
      .getByTestId('poll-mini-result')
      .filter({ hasText: '3 agree · 1 abstain · 1 disagree' })
      .waitFor();
    expect(await roof.locator('.poll-body').count()).to.equal(0);
  });

  it('folds the votes on one poll into one line that counts on live, and shows no votes it may not', async () => {
    const w = await pollWorld(e2e, 'Garden rota');
    const [ben, cleo, dev, eve] = w.members;
    const rota = await startPoll(e2e, w, { kind: 'proposal', title: 'Water on Sundays' });
    const secret = await startPoll(e2e, w, {
      kind: 'single_choice',
      title: 'Who leads the rota?',
      options: [{ label: 'Ben' }, { label: 'Cleo' }],
      hideResults: 'until_closed',
    });
    await postComment(e2e, w.discussion.id, ben, 'Sundays suit me.');
    await castVote(e2e, rota, ben, [{ optionId: 'agree', value: 1 }]);
    await castVote(e2e, rota, cleo, [{ optionId: 'agree', value: 1 }]);
    for (const who of [ben, cleo, dev])
      await castVote(e2e, secret, who, [{ optionId: secret.options[0].id, value: 1 }]);

    const page = await open(eve, w.discussion.id);
    const lines = page.getByTestId('votes-line');
    await lines
      .filter({ hasText: 'Ben Okri and Cleo Diallo voted on “Water on Sundays”' })
      .waitFor();
    expect(await lines.count()).to.equal(1);
    // Hidden results: no vote line, no count, nothing but when results will show.
    expect(await page.getByText('Who leads the rota?', { exact: false }).count()).to.be.greaterThan(
      0,
    );
    expect(await lines.filter({ hasText: 'Who leads the rota?' }).count()).to.equal(0);
    await card(page, 'Who leads the rota?')
      .getByTestId('poll-mini-result')
      .filter({ hasText: 'Results when it closes' })
      .waitFor();
    expect(await card(page, 'Who leads the rota?').innerText()).to.not.match(/\d+ votes?/);

    // Two more votes: the same line counts on; no new line.
    await castVote(e2e, rota, dev, [{ optionId: 'disagree', value: 1 }]);
    await castVote(e2e, rota, w.members[4], [{ optionId: 'agree', value: 1 }]);
    await lines.filter({ hasText: '4 people voted on “Water on Sundays”' }).waitFor();
    expect(await lines.count()).to.equal(1);
    await card(page, 'Water on Sundays')
      .getByTestId('poll-mini-result')
      .filter({ hasText: '3 agree · 1 disagree' })
      .waitFor();
  });

  it('says "Tied" and "Blocked" on proposals, and the outcome form asks accordingly', async () => {
    const w = await pollWorld(e2e, 'The hens');
    const [ben, cleo, dev, eve] = w.members;
    const tied = await startPoll(e2e, w, { kind: 'proposal', title: 'Keep the hens' });
    for (const [who, position] of [
      [ben, 'agree'],
      [cleo, 'agree'],
      [dev, 'disagree'],
      [eve, 'disagree'],
    ] as const)
      await castVote(e2e, tied, who, [{ optionId: position, value: 1 }]);
    const blocked = await startPoll(e2e, w, { kind: 'proposal', title: 'Sell the shed' });
    await castVote(e2e, blocked, ben, [{ optionId: 'agree', value: 1 }]);
    await castVote(e2e, blocked, cleo, [{ optionId: 'agree', value: 1 }]);
    await castVote(
      e2e,
      blocked,
      dev,
      [{ optionId: 'block', value: 1 }],
      'We store the mower there.',
    );

    const page = await open(w.coordinator, w.discussion.id);
    const hens = card(page, 'Keep the hens');
    await hens.getByTestId('poll-mini-result').getByText('Tied').waitFor();
    await card(page, 'Sell the shed')
      .getByTestId('poll-mini-result')
      .getByText('Blocked')
      .waitFor();
    await hens.getByRole('button', { name: 'Keep the hens', exact: true }).click();
    const tiedBars = hens.locator('.poll-bar[data-leader]');
    expect(await tiedBars.count()).to.equal(2);
    for (const position of ['agree', 'disagree'])
      await hens
        .locator(`.poll-bar[data-option="${position}"]`)
        .getByText('Tied', { exact: true })
        .waitFor();
    expect(await hens.getByText('Leading', { exact: true }).count()).to.equal(0);
    // Each position has its own colour and pattern (and its label).
    // (Only this card is open, so these are its bars.)
    const fills = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.poll-bar-fill')].map((el) => getComputedStyle(el).backgroundColor + ' ' + getComputedStyle(el).backgroundImage)`,
    );
    expect(fills).to.have.length(4);
    expect(new Set(fills).size).to.equal(4);
    await shoot(page, 'polls-tied');

    // Closed tied: the outcome form says so.
    await hens.getByRole('button', { name: 'Close poll Keep the hens' }).click();
    await hens.getByText('Closed', { exact: true }).waitFor();
    await hens.getByRole('button', { name: 'Publish outcome of Keep the hens' }).click();
    await hens
      .getByTestId('outcome-prompt')
      .filter({ hasText: 'This proposal closed tied between Agree and Disagree.' })
      .waitFor();

    // Closed blocked: the outcome form says so, too.
    await closePoll(e2e, w, blocked);
    const shed = card(page, 'Sell the shed');
    await shed.locator('.poll-status').getByText('Closed', { exact: true }).waitFor();
    await shed.getByRole('button', { name: 'Sell the shed', exact: true }).click();
    await shed.getByRole('button', { name: 'Publish outcome of Sell the shed' }).click();
    await shed
      .getByTestId('outcome-prompt')
      .filter({ hasText: 'This proposal closed blocked: 1 person blocked it.' })
      .waitFor();
    await shed.locator('.poll-results').getByText('Blocked').waitFor();
    await shoot(page, 'polls-blocked');

    // A published outcome is what the folded card shows.
    await shed.getByLabel('Outcome').fill('Not sold: the mower stays in the shed until spring.');
    await shed.getByRole('button', { name: 'Publish outcome', exact: true }).click();
    await shed.getByTestId('poll-outcome').waitFor();
    await shed.getByRole('button', { name: 'Sell the shed', exact: true }).click();
    await shed
      .getByTestId('poll-glance')
      .getByText('Not sold: the mower stays in the shed until spring.')
      .waitFor();
    await shoot(page, 'polls-closed-outcome');
  });
});
