import { expect } from 'chai';
import { EventModel } from '../../models/event.js';
import { PollModel } from '../../models/poll.js';
import type { UserDocument } from '../../models/user.js';
import { VoteModel } from '../../models/vote.js';
import { addMember, buildDiscussion, buildGroup } from '../../test/factories.js';
import { buildPoll } from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { castVote } from './cast-vote.js';

describe('casting votes that arrive together', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  async function scene(voters: number) {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group });
    const people: UserDocument[] = [];
    for (let i = 0; i < voters; i++) people.push(await addMember(group));
    const poll = await buildPoll({ discussion });
    const vote = (voter: UserDocument, optionId: string) =>
      castVote({ poll, voterId: voter._id, choices: [{ optionId, value: 1 }], reason: '' });
    return { poll, people, vote };
  }

  it('stores each person once, a second vote as a change, a repeat as nothing, and counts right', async () => {
    const { poll, people, vote } = await scene(4);
    const [a, b, c, d] = people;
    await vote(a, 'agree');
    // Started in one go: they join one batch, whose transaction begins after the call returns.
    const results = await Promise.all([
      vote(b, 'agree'),
      vote(c, 'disagree'),
      vote(a, 'abstain'),
      vote(d, 'agree'),
      vote(b, 'disagree'),
      vote(a, 'abstain'),
    ]);
    expect(results.map((r) => r.created)).to.deep.equal([true, true, false, true, false, false]);
    expect(results.map((r) => r.vote.choices[0].optionId)).to.deep.equal([
      'agree',
      'disagree',
      'abstain',
      'agree',
      'disagree',
      'abstain',
    ]);
    // Each answer's poll is the poll as its transaction left it: four voters by then.
    for (const r of results.slice(0, 5)) expect(r.poll?.voterCount).to.equal(4);
    const stored = await VoteModel.find({ pollId: poll._id }).lean();
    const byVoter = new Map(stored.map((v) => [String(v.userId), v.choices[0].optionId]));
    expect(stored).to.have.length(4);
    expect([a, b, c, d].map((p) => byVoter.get(String(p._id)))).to.deep.equal([
      'abstain',
      'disagree',
      'disagree',
      'agree',
    ]);
    const after = await PollModel.findById(poll._id).lean();
    expect(after!.voterCount).to.equal(4);
    // Six writes (the repeat wrote nothing): the first vote, three new ones, two changes.
    expect(after!.unpublishedVotes).to.equal(6);
    // One vote_cast event per write, in the order the votes came.
    const events = await EventModel.find({ pollId: poll._id, kind: 'vote_cast' })
      .sort({ sequence: 1 })
      .lean();
    expect(events.map((e) => String(e.actorId))).to.deep.equal(
      [a, b, c, a, d, b].map((p) => String(p._id)),
    );
  });

  it('refuses every vote of a batch on a closed poll and stores none', async () => {
    const { poll, people, vote } = await scene(3);
    await PollModel.updateOne({ _id: poll._id }, { $set: { closedAt: new Date() } });
    const outcomes = await Promise.allSettled(people.map((p) => vote(p, 'agree')));
    for (const outcome of outcomes) {
      expect(outcome.status).to.equal('rejected');
      if (outcome.status === 'rejected')
        expect((outcome.reason as { id?: string }).id).to.equal('conflict');
    }
    expect(await VoteModel.countDocuments({ pollId: poll._id })).to.equal(0);
    expect((await PollModel.findById(poll._id).lean())!.voterCount).to.equal(0);
  });

  it('refuses a batch on a poll deleted since it was loaded as gone (404), not closed', async () => {
    const { poll, people, vote } = await scene(2);
    await PollModel.deleteOne({ _id: poll._id });
    const outcomes = await Promise.allSettled(people.map((p) => vote(p, 'agree')));
    expect(
      outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { status?: number }).status : 0)),
    ).to.deep.equal([404, 404]);
    expect(await VoteModel.countDocuments({ pollId: poll._id })).to.equal(0);
  });

  it('first votes cast from rules that changed meanwhile are stored as the rules now say', async () => {
    const { poll, people } = await scene(2);
    // The route read a poll whose votes go on the timeline at once; it hides results now.
    await PollModel.updateOne({ _id: poll._id }, { $set: { hideResults: 'until_closed' } });
    const results = await Promise.all(
      people.map((voter) =>
        castVote({
          poll,
          voterId: voter._id,
          choices: [{ optionId: 'agree', value: 1 }],
          reason: '',
        }),
      ),
    );
    expect(results.map((r) => r.created)).to.deep.equal([true, true]);
    const stored = await VoteModel.find({ pollId: poll._id }).lean();
    expect(stored.map((v) => v.announcedAt)).to.deep.equal([null, null]);
    expect(await EventModel.countDocuments({ pollId: poll._id, kind: 'vote_cast' })).to.equal(0);
    expect((await PollModel.findById(poll._id).lean())!.voterCount).to.equal(2);
  });

  it('a batch cast again because someone in it had voted stays before the next batch', async () => {
    const { poll, people, vote } = await scene(2);
    const [x, y] = people;
    await vote(x, 'agree');
    // One batch: x changes their vote (the first try's insert fails), y votes for the first time.
    const first = [vote(x, 'disagree'), vote(y, 'agree')];
    await new Promise((resolve) => setImmediate(resolve));
    // The next batch: y changes their mind. It must stay y's vote.
    const second = vote(y, 'disagree');
    const results = await Promise.all([...first, second]);
    expect(results.map((r) => r.created)).to.deep.equal([false, true, false]);
    const stored = await VoteModel.find({ pollId: poll._id }).lean();
    const byVoter = new Map(stored.map((v) => [String(v.userId), v.choices[0].optionId]));
    expect([x, y].map((p) => byVoter.get(String(p._id)))).to.deep.equal(['disagree', 'disagree']);
    const events = await EventModel.find({ pollId: poll._id, kind: 'vote_cast' })
      .sort({ sequence: 1 })
      .lean();
    expect(events.map((e) => String(e.actorId))).to.deep.equal(
      [x, x, y, y].map((p) => String(p._id)),
    );
  });
});
