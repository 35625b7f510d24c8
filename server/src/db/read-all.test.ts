import { expect } from 'chai';
import { Types } from 'mongoose';
import { ballots } from '../commands/polls/load.js';
import { loadPeople } from '../commands/discussions/people.js';
import { UserModel } from '../models/user.js';
import { VoteModel } from '../models/vote.js';
import { buildPoll } from '../test/factories-polls.js';
import { commandsOf } from '../test/driver-commands.js';
import { startTestApp, type TestApp } from '../test/harness.js';

describe('reads that want every document: one round trip', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('reads a poll’s 250 ballots in one batch, where a find answers 101 by default', async () => {
    const poll = await buildPoll();
    await VoteModel.insertMany(
      Array.from({ length: 250 }, (_, i) => ({
        pollId: poll._id,
        discussionId: poll.discussionId,
        userId: new Types.ObjectId(),
        choices: [{ optionId: i % 3 === 0 ? 'disagree' : 'agree', value: 1 }],
        reason: '',
      })),
    );
    const { result, commands } = await commandsOf(() => ballots([poll._id]));
    expect(result.get(String(poll._id))).to.have.length(250);
    expect(commands['find votes']).to.equal(1);
    expect(commands['getMore votes']).to.equal(undefined);
  });

  it('reads the 300 people a presentation names in one batch', async () => {
    const users = await UserModel.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        name: `Person ${i}`,
        email: `read-all-${i}@example.org`,
        handle: `read-all-${i}`,
        passwordHash: 'x',
      })),
    );
    const { result, commands } = await commandsOf(() => loadPeople(users.map((u) => u._id)));
    expect(result(users[299]._id).name).to.equal('Person 299');
    expect(commands['find users']).to.equal(1);
    expect(commands['getMore users']).to.equal(undefined);
  });
});
