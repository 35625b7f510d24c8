import { expect } from 'chai';
import { addMember, buildDiscussion, buildGroup } from '../../test/factories.js';
import { buildPoll } from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { PollModel } from '../../models/poll.js';
import type { UserDocument } from '../../models/user.js';
import { castVote } from './cast-vote.js';
import { closePoll } from './close-poll.js';
import { BATCH_INTERVAL_MS, publishDueTallies } from './publish-tallies.js';

describe('anonymous tallies move in batches', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  async function anonymousPoll(voters: number) {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group });
    const people: UserDocument[] = [];
    for (let i = 0; i < voters; i++) people.push(await addMember(group));
    const poll = await buildPoll({ discussion, anonymous: true });
    const vote = (voter: UserDocument, optionId = 'agree') =>
      castVote({ poll, voterId: voter._id, choices: [{ optionId, value: 1 }], reason: '' });
    return { poll, people, vote, coordinator: group.coordinator };
  }

  const shown = async (pollId: unknown, as: UserDocument) =>
    (await app.get<{ poll: { voterCount?: number } }>(`/api/polls/${String(pollId)}`, { as })).body
      .poll.voterCount;
  const later = (ms: number) => new Date(Date.now() + ms);

  it('publishes only after at least three new votes and a minute, whichever comes later', async () => {
    const { poll, people, vote, coordinator } = await anonymousPoll(4);
    await vote(people[0]);
    await vote(people[1]);
    // Two votes and long after: not yet.
    expect(await publishDueTallies(later(10 * BATCH_INTERVAL_MS))).to.equal(0);
    expect(await shown(poll._id, coordinator)).to.equal(0);
    // A change counts as a new vote: three, but within the minute of creation: not yet.
    await vote(people[1], 'disagree');
    expect(await publishDueTallies(new Date())).to.equal(0);
    // Three and a minute: published, once, whoever asks.
    const due = later(BATCH_INTERVAL_MS + 1000);
    const rounds = await Promise.all([publishDueTallies(due), publishDueTallies(due)]);
    expect(rounds[0] + rounds[1]).to.equal(1);
    expect(await shown(poll._id, coordinator)).to.equal(2);
    // The voter's own ballot is theirs at once; the others' wait for the next batch.
    await vote(people[2]);
    expect(await shown(poll._id, people[2])).to.equal(2);
    expect(await publishDueTallies(later(2 * BATCH_INTERVAL_MS + 2000))).to.equal(0);
    const stored = await PollModel.findById(poll._id);
    expect(stored!.unpublishedVotes).to.equal(1);
  });

  it('shows everything at closing', async () => {
    const { poll, people, vote, coordinator } = await anonymousPoll(2);
    await vote(people[0]);
    await vote(people[1]);
    expect(await shown(poll._id, coordinator)).to.equal(0);
    expect(await closePoll({ poll, actorId: null })).to.equal(true);
    expect(await shown(poll._id, coordinator)).to.equal(2);
  });
});
