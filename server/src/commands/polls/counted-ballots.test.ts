import { expect } from 'chai';
import type { PollDto } from '../../../../shared/dto.js';
import type { UserDocument } from '../../models/user.js';
import { nextPoll, TestClients } from '../../realtime/test-clients.js';
import { commandsOf } from '../../test/driver-commands.js';
import { buildPoll } from '../../test/factories-polls.js';
import { addMember, buildDiscussion, buildGroup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

/**
 * A vote is answered (the voter's reply, with the tally) and announced (its
 * timeline entry, with the tally every view sees) from one read of the
 * ballots, where both present the poll as that vote left it.
 */
describe('polls: one read of the ballots per vote', () => {
  let app: TestApp;
  let clients: TestClients;
  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  /** Votes as `voter`; resolves with the voter's answer once the watcher has the tally it shows. */
  async function voteSeenBy(
    watcher: Awaited<ReturnType<TestClients['watching']>>,
    pollId: string,
    voter: UserDocument,
    optionId: string,
    voterCount: number,
  ): Promise<{ answer: PollDto; seen: PollDto }> {
    const seen = nextPoll(watcher, (p) => p.id === pollId && p.voterCount === voterCount);
    const res = await app.request<{ poll: PollDto }>('PUT', `/api/polls/${pollId}/vote`, {
      body: { choices: [{ optionId, value: 1 }], reason: '' },
      as: voter,
    });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    return { answer: res.body.poll, seen: await seen };
  }

  it('a vote in view of everyone reads its ballots once, and the watcher sees the voter’s tally', async () => {
    const group = await buildGroup();
    const [ada, bob] = [await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const pollId = String((await buildPoll({ discussion, author: group.coordinator }))._id);
    const watcher = await clients.watching(group.coordinator, id);

    // A changed vote also reads the voter's earlier one (cast-vote.ts): one find more.
    for (const [voter, optionId, count, finds] of [
      [ada, 'agree', 1, 1],
      [bob, 'disagree', 2, 1],
      [ada, 'abstain', 2, 2], // a changed vote: the same count of voters, another ballot
    ] as const) {
      const { result, commands } = await commandsOf(() =>
        voteSeenBy(watcher, pollId, voter, optionId, count),
      );
      expect(commands['find votes'], `reads of votes for ${optionId}`).to.equal(finds);
      expect(result.seen.results).to.deep.equal(result.answer.results);
    }
    const { results } = (await voteSeenBy(watcher, pollId, bob, 'agree', 2)).seen;
    expect(results?.options.find((o) => o.optionId === 'agree')?.score).to.equal(1);
    expect(results?.options.find((o) => o.optionId === 'abstain')?.score).to.equal(1);
  });
});
