/**
 * A discussion as people use it once decisions pile up: eight polls of every
 * kind with votes from several members, then the conversation. Polls, votes
 * and comments are made through the API (spread over several authors, under
 * the posting limit), and the page can be measured: its height and how far
 * down the first comment starts.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DiscussionDto, PollDto } from '../../shared/dto.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { addMember, buildGroup, buildUser } from '../../server/src/test/factories.js';
import type { E2E } from './harness.js';

export interface ManyPolls {
  coordinator: UserDocument;
  members: UserDocument[];
  groupName: string;
  discussion: DiscussionDto;
  polls: PollDto[];
}

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
const opts = (...labels: string[]) => labels.map((label) => ({ label }));

let worlds = 0;

async function poll(e2e: E2E, w: Omit<ManyPolls, 'polls'>, body: Record<string, unknown>) {
  const res = await e2e.app.post<{ poll: PollDto }>(
    `/api/discussions/${w.discussion.id}/polls`,
    { closesAt: inDays(3), ...body },
    { as: w.coordinator },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.poll;
}

export async function castVote(
  e2e: E2E,
  p: PollDto,
  as: UserDocument,
  choices: unknown[],
  reason = '',
): Promise<void> {
  const res = await e2e.app.request('PUT', `/api/polls/${p.id}/vote`, {
    as,
    body: { choices, reason },
  });
  expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
}

export async function postComment(
  e2e: E2E,
  discussionId: string,
  as: UserDocument,
  body: string,
  parentId?: string,
): Promise<string> {
  const res = await e2e.app.post<{ comment: { id: string } }>(
    `/api/discussions/${discussionId}/comments`,
    { body, ...(parentId ? { parentId } : {}) },
    { as },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.comment.id;
}

/** A group of six (Ada coordinates; Ben, Cleo, Dev, Eve and Finn are members) and a discussion. */
export async function pollWorld(
  e2e: E2E,
  title = 'Saturday work days',
): Promise<Omit<ManyPolls, 'polls'>> {
  worlds += 1;
  const coordinator = await buildUser({ name: 'Ada Lovelace' });
  const groupName = `Maple Street Co-op ${worlds}`;
  const group = await buildGroup({ coordinator, name: groupName });
  const members: UserDocument[] = [];
  for (const name of ['Ben Okri', 'Cleo Diallo', 'Dev Sharma', 'Eve Martin', 'Finn Walsh'])
    members.push(await addMember(group, await buildUser({ name })));
  const started = await e2e.app.post<{ discussion: DiscussionDto }>(
    '/api/discussions',
    {
      groupId: String(group._id),
      title,
      context:
        'We need to fix the roof, paint the hall and clear the garden before winter. ' +
        'Let us decide what we do first, when we meet and who brings what.',
    },
    { as: coordinator },
  );
  expect(started.status).to.equal(201);
  return { coordinator, members, groupName, discussion: started.body.discussion };
}

/** Starts a poll in the world's discussion, as its coordinator (closing in three days unless said). */
export async function startPoll(
  e2e: E2E,
  w: Omit<ManyPolls, 'polls'>,
  body: Record<string, unknown>,
): Promise<PollDto> {
  return poll(e2e, w, body);
}

/** Closes a poll as the world's coordinator. */
export async function closePoll(e2e: E2E, w: Omit<ManyPolls, 'polls'>, p: PollDto): Promise<void> {
  const closed = await e2e.app.post(`/api/polls/${p.id}/close`, {}, { as: w.coordinator });
  expect(closed.status, JSON.stringify(closed.body)).to.be.oneOf([200, 204]);
}

/** The world, eight polls of every kind with votes (one closed, with an outcome), then comments. */
export async function manyPolls(e2e: E2E): Promise<ManyPolls> {
  const w = await pollWorld(e2e);
  const { coordinator, members } = w;
  const [ben, cleo, dev, eve, finn] = members;

  const roof = await poll(e2e, w, { kind: 'proposal', title: 'Fix the roof first' });
  for (const [who, position] of [
    [ben, 'agree'],
    [cleo, 'agree'],
    [dev, 'abstain'],
    [eve, 'disagree'],
  ] as const)
    await castVote(e2e, roof, who, [{ optionId: position, value: 1 }]);

  const paint = await poll(e2e, w, {
    kind: 'single_choice',
    title: 'Which colour for the hall?',
    options: opts('Sage green', 'Warm white', 'Sky blue'),
  });
  for (const [who, i] of [
    [ben, 0],
    [cleo, 1],
    [dev, 0],
    [finn, 2],
  ] as const)
    await castVote(e2e, paint, who, [{ optionId: paint.options[i].id, value: 1 }]);

  const tasks = await poll(e2e, w, {
    kind: 'multiple_choice',
    title: 'What can you help with?',
    options: opts('Roofing', 'Painting', 'Gardening', 'Cooking'),
  });
  await castVote(e2e, tasks, ben, [
    { optionId: tasks.options[0].id, value: 1 },
    { optionId: tasks.options[2].id, value: 1 },
  ]);
  await castVote(e2e, tasks, eve, [{ optionId: tasks.options[3].id, value: 1 }]);

  const when = await poll(e2e, w, {
    kind: 'meeting_time',
    title: 'When is the first work day?',
    options: [
      { label: 'Sat 1', startsAt: '2031-03-01T09:00:00Z' },
      { label: 'Sat 8', startsAt: '2031-03-08T09:00:00Z' },
      { label: 'Sat 15', startsAt: '2031-03-15T09:00:00Z' },
    ],
  });
  await castVote(e2e, when, cleo, [
    { optionId: when.options[0].id, value: 2 },
    { optionId: when.options[1].id, value: 1 },
    { optionId: when.options[2].id, value: 0 },
  ]);

  const rate = await poll(e2e, w, {
    kind: 'score',
    title: 'Rate the paint suppliers',
    options: opts('Hardware Co', 'Paint Depot', 'Green Paints'),
    minScore: 0,
    maxScore: 5,
  });
  await castVote(e2e, rate, dev, [
    { optionId: rate.options[0].id, value: 3 },
    { optionId: rate.options[1].id, value: 4 },
    { optionId: rate.options[2].id, value: 5 },
  ]);

  const order = await poll(e2e, w, {
    kind: 'ranked_choice',
    title: 'Order of the jobs',
    options: opts('Roof', 'Hall', 'Garden'),
  });
  await castVote(e2e, order, finn, [
    { optionId: order.options[0].id, value: 1 },
    { optionId: order.options[2].id, value: 2 },
  ]);

  const budget = await poll(e2e, w, {
    kind: 'dot_vote',
    title: 'Spend the repair budget',
    options: opts('Tiles', 'Paint', 'Plants'),
    dotsPerPerson: 10,
  });
  await castVote(e2e, budget, eve, [
    { optionId: budget.options[0].id, value: 7 },
    { optionId: budget.options[1].id, value: 3 },
  ]);

  const lunch = await poll(e2e, w, {
    kind: 'count',
    title: 'Who stays for lunch?',
    threshold: 4,
  });
  for (const who of [ben, cleo, dev])
    await castVote(e2e, lunch, who, [{ optionId: 'commit', value: 1 }]);
  await closePoll(e2e, w, lunch);
  const outcome = await e2e.app.post(
    `/api/polls/${lunch.id}/outcome`,
    { statement: 'Lunch is on: Cleo cooks soup, everyone brings bread.' },
    { as: coordinator },
  );
  expect(outcome.status, JSON.stringify(outcome.body)).to.be.oneOf([200, 201]);

  const first = await postComment(
    e2e,
    w.discussion.id,
    ben,
    'The roof leaks over the kitchen again; I would start there.',
  );
  await postComment(e2e, w.discussion.id, cleo, 'Agreed. I can bring a ladder.', first);
  await postComment(e2e, w.discussion.id, dev, 'I will ask the paint depot for a quote.');
  await postComment(e2e, w.discussion.id, eve, 'Can we do the garden in spring instead?');

  return { ...w, polls: [roof, paint, tasks, when, rate, order, budget, lunch] };
}

/** The page's height and the first comment's distance from the top, in CSS pixels. */
export async function measure(page: Page): Promise<{ height: number; firstComment: number }> {
  await page.getByTestId('comment').first().waitFor();
  const read = () =>
    page.evaluate<{ height: number; firstComment: number }>(`(() => {
      const first = document.querySelector('[data-testid="comment"]');
      return {
        height: document.documentElement.scrollHeight,
        firstComment: Math.round(first.getBoundingClientRect().top + window.scrollY),
      };
    })()`);
  // Parts load after the first comment shows (collaborative texts): measure once the layout settles.
  let last = await read();
  for (let same = 0; same < 3;) {
    await page.waitForTimeout(250);
    const now = await read();
    same = now.height === last.height && now.firstComment === last.firstComment ? same + 1 : 0;
    last = now;
  }
  return last;
}
