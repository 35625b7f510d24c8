import { expect } from 'chai';
import type { PollDto } from '../../../shared/dto.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { BATCH_INTERVAL_MS, publishDueTallies } from '../commands/polls/publish-tallies.js';
import { DiscussionModel } from '../models/discussion.js';
import { PollModel } from '../models/poll.js';
import { VoteModel } from '../models/vote.js';
import { countedBallots } from '../commands/polls/counted-ballots.js';
import { Types } from 'mongoose';
import { FanoutContext } from './fanout-context.js';
import { tallyForEntry } from './fanout-polls.js';
import { FanoutRecords } from './fanout-records.js';
import { discussionRoom } from './rooms.js';
import {
  arrival,
  nextEvent,
  nextPoll,
  pollIn,
  record,
  TestClients,
  watch,
  type Client,
} from './test-clients.js';

describe('polls, votes and notifications live', () => {
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const watching = (user: UserDocument, discussionId: string) =>
    clients.watching(user, discussionId);

  async function proposal(
    discussionId: string,
    author: UserDocument,
    settings: Record<string, unknown> = {},
  ): Promise<PollDto> {
    const res = await app.post<{ poll: PollDto }>(
      `/api/discussions/${discussionId}/polls`,
      { kind: 'proposal', title: 'Adopt the plan?', ...settings },
      { as: author },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.poll;
  }

  /** The first tally of this poll matching `ready`, alone or on a vote's entry (earlier ones may still be in flight). */
  const pollUpdate = (socket: Client, pollId: string, ready: (poll: PollDto) => boolean) =>
    nextPoll(socket, (poll) => poll.id === pollId && ready(poll));

  /** The tallies a socket recorded, in order, whichever message carried them. */
  const talliesIn = (seen: Array<[string, unknown]>) =>
    seen.flatMap(([event, payload]) => pollIn(event, payload) ?? []);

  /** What a socket received about records, leaving out who is here and typing. */
  const aboutRecords = (seen: Array<[string, unknown]>) =>
    seen.filter(([event]) => !event.startsWith('presence:') && !event.startsWith('typing:'));

  it("moves the tally live for everyone watching, and returns the voter's own vote to the voter alone", async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator);
    const coordinatorSocket = await watching(group.coordinator, id);
    const memberSocket = await watching(member, id);
    const coordinatorSaw = record(coordinatorSocket);
    const coordinatorSees = pollUpdate(coordinatorSocket, poll.id, (p) => p.voterCount === 1);
    const mine = nextEvent(memberSocket, 'vote:mine');
    let coordinatorGotMine = false;
    coordinatorSocket.on('vote:mine', () => (coordinatorGotMine = true));
    const voted = await app.request('PUT', `/api/polls/${poll.id}/vote`, {
      body: { choices: [{ optionId: 'agree', value: 1 }], reason: 'Good plan' },
      as: member,
    });
    expect(voted.status, JSON.stringify(voted.body)).to.equal(201);
    const seen = await coordinatorSees;
    expect(seen.results!.options.find((o) => o.optionId === 'agree')!.score).to.equal(1);
    expect(seen.myVote).to.equal(null);
    expect((await mine).vote.choices).to.deep.equal([{ optionId: 'agree', value: 1 }]);
    expect(coordinatorGotMine).to.equal(false);
    // One message for the vote: its timeline entry, carrying the tally; nothing after it.
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the publishing window
    const about = aboutRecords(coordinatorSaw);
    expect(about.map(([event]) => event)).to.deep.equal(['timeline:event']);
    expect(about[0][1]).to.deep.include({ kind: 'vote_cast', poll: seen });
  });

  it('sends watchers nothing for a vote that changes nothing they see (votes stored together show once)', async () => {
    const group = await buildGroup();
    const voters: UserDocument[] = [];
    for (let i = 0; i < 6; i++) voters.push(await addMember(group));
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator);
    const socket = await watching(group.coordinator, id);
    const seen = record(socket);
    // Cast at once: stored in a batch, each vote's change then finds the ones after it shown.
    await Promise.all(
      voters.map((as) =>
        app.request('PUT', `/api/polls/${poll.id}/vote`, {
          body: { choices: [{ optionId: 'agree', value: 1 }] },
          as,
        }),
      ),
    );
    await arrival(seen, (event, p) => pollIn(event, p)?.voterCount === 6);
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the publishing window
    const counts = talliesIn(seen).map((p) => p.voterCount);
    expect(counts.at(-1)).to.equal(6);
    expect(new Set(counts).size, `counts seen: ${counts.join()}`).to.equal(counts.length);
    // Each vote's entry arrived once; those stored with an earlier one carried no tally again.
    const entries = seen.filter(
      ([event, p]) => event === 'timeline:event' && (p as { kind: string }).kind === 'vote_cast',
    );
    expect(entries).to.have.length(6);
    // A vote's change that shows nowhere (its stored time) publishes nothing either.
    seen.length = 0;
    await VoteModel.updateOne({ pollId: poll.id }, { $set: { updatedAt: new Date() } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(seen.filter(([event]) => event === 'poll:upserted')).to.deep.equal([]);
  });

  it('never names nor times an anonymous vote live: no vote events, and the tally moves only in published batches', async () => {
    const group = await buildGroup();
    const voters = [await addMember(group), await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator, { anonymous: true });
    const coordinatorSocket = await watching(group.coordinator, id);
    const voterSocket = await watching(voters[0], id);
    const seen = record(coordinatorSocket);
    const seenByVoter = record(voterSocket);
    for (const voter of voters) {
      const res = await app.request('PUT', `/api/polls/${poll.id}/vote`, {
        body: { choices: [{ optionId: 'disagree', value: 1 }], reason: 'secret reasons' },
        as: voter,
      });
      expect(res.status).to.equal(201);
    }
    await app.server.realtime.barrier();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Nothing at the moment of a vote: no event, not even an unchanged poll.
    expect(aboutRecords(seen)).to.deep.equal([]);
    // The voter's own ballot is confirmed to them alone, and nothing of the others'.
    expect(aboutRecords(seenByVoter).map(([event]) => event)).to.deep.equal(['vote:mine']);
    // A batch is due (three votes, a minute later): the tally moves, all at once.
    const batch = pollUpdate(coordinatorSocket, poll.id, (p) => p.voterCount === 3);
    expect(await publishDueTallies(new Date(Date.now() + BATCH_INTERVAL_MS + 1000))).to.equal(1);
    const published = await batch;
    expect(published.results!.options.find((o) => o.optionId === 'disagree')!.score).to.equal(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const all = aboutRecords(seen)
      .map(([event, payload]) => `${event} ${JSON.stringify(payload)}`)
      .join('\n');
    expect(all).not.to.include('vote_cast');
    for (const voter of voters) {
      expect(all).not.to.include(String(voter._id));
      expect(all).not.to.include(voter.name);
      expect(all).not.to.include(voter.handle);
    }
  });

  it('sends a view that may not see the results nothing when a vote is cast, and every vote event at closing', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const voter = await addMember(group);
    const bystander = await addMember(group);
    const discussion = await buildDiscussion({ group, private: false });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator, { hideResults: 'until_closed' });
    const visitor = await clients.connect(null);
    expect(await watch(visitor, id)).to.have.property('data');
    const bystanderSocket = await watching(bystander, id);
    const seenByVisitor = record(visitor);
    const seenByBystander = record(bystanderSocket);
    const before = (await DiscussionModel.findById(id))!.lastSequence;
    const voted = await app.request('PUT', `/api/polls/${poll.id}/vote`, {
      body: { choices: [{ optionId: 'agree', value: 1 }] },
      as: voter,
    });
    expect(voted.status).to.equal(201);
    await app.server.realtime.barrier();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aboutRecords(seenByVisitor)).to.deep.equal([]);
    expect(aboutRecords(seenByBystander)).to.deep.equal([]);
    // Nor does the discussion count it: its sequence and activity are those of before.
    expect((await DiscussionModel.findById(id))!.lastSequence).to.equal(before);
    const closed = await app.post(`/api/polls/${poll.id}/close`, {}, { as: group.coordinator });
    expect(closed.status).to.equal(200);
    const [, vote] = await arrival(
      seenByVisitor,
      (event, p) => event === 'timeline:event' && p.kind === 'vote_cast',
    );
    expect(vote).to.include({ sequence: before + 1 });
    expect((vote.actor as { id: string }).id).to.equal(String(voter._id));
    await arrival(
      seenByVisitor,
      (event, p) => event === 'timeline:event' && p.kind === 'poll_closed',
    );
    await arrival(
      seenByBystander,
      (event, p) => event === 'timeline:event' && p.kind === 'vote_cast',
    );
  });

  it('puts a tally on the entries of votes cast in view, and reads none for those a closing writes', async () => {
    const group = await buildGroup();
    const voter = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const hidden = await proposal(id, group.coordinator, { hideResults: 'until_closed' });
    const open = await proposal(id, group.coordinator);
    for (const poll of [hidden, open]) {
      const res = await app.request('PUT', `/api/polls/${poll.id}/vote`, {
        body: { choices: [{ optionId: 'agree', value: 1 }] },
        as: voter,
      });
      expect(res.status).to.equal(201);
    }
    const closed = await app.post(`/api/polls/${hidden.id}/close`, {}, { as: group.coordinator });
    expect(closed.status).to.equal(200);
    const ctx = new FanoutContext(app.server.realtime.io, new FanoutRecords());
    const loaded = (await ctx.discussion(id))!;
    const room = discussionRoom(id, 'member');
    const tallyOf = (poll: PollDto) =>
      tallyForEntry(ctx, new Types.ObjectId(poll.id), loaded, [{ view: 'member', room }]);
    // A closing's entries would each read every ballot again: the poll's own change shows them.
    expect(await tallyOf(hidden)).to.deep.equal(new Map());
    expect((await tallyOf(open)).get(room)).to.include({ id: open.id, voterCount: 1 });
  });

  it('gives a vote entry fanned out late the tally as the poll is now: only its published batch once anonymous', async () => {
    const group = await buildGroup();
    const [first, second, third] = [
      await addMember(group),
      await addMember(group),
      await addMember(group),
    ];
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator);
    const ballot = { choices: [{ optionId: 'agree', value: 1 }] };
    expect(
      (await app.request('PUT', `/api/polls/${poll.id}/vote`, { body: ballot, as: first })).status,
    ).to.equal(201);
    // This fan-out holds the poll as it was when the first vote's entry was written: its feed lags.
    const ctx = new FanoutContext(app.server.realtime.io, new FanoutRecords());
    expect((await ctx.pollRules(poll.id))?.anonymous).to.equal(false);
    const turned = await app.patch(
      `/api/polls/${poll.id}`,
      { anonymous: true },
      { as: group.coordinator },
    );
    expect(turned.status).to.equal(200);
    for (const voter of [second, third])
      expect(
        (await app.request('PUT', `/api/polls/${poll.id}/vote`, { body: ballot, as: voter }))
          .status,
      ).to.equal(201);
    const room = discussionRoom(id, 'member');
    const loaded = (await ctx.discussion(id))!;
    const tally = (
      await tallyForEntry(ctx, new Types.ObjectId(poll.id), loaded, [{ view: 'member', room }])
    ).get(room);
    // The batch published when it turned anonymous (one vote), never the two votes cast since.
    expect(tally?.voterCount).to.equal(1);
    expect(tally?.results?.options.find((o) => o.optionId === 'agree')?.score).to.equal(1);
  });

  it("presents a vote's tally with the poll its feed brought only where a vote's reply read the ballots for those counts", async () => {
    const group = await buildGroup();
    const [first, second] = [await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator);
    const stored = async () => (await PollModel.findById(poll.id).lean<Record<string, unknown>>())!;
    const unvoted = await stored();
    const ballot = { choices: [{ optionId: 'agree', value: 1 }] };
    const vote = async (voter: UserDocument) =>
      expect(
        (await app.request('PUT', `/api/polls/${poll.id}/vote`, { body: ballot, as: voter }))
          .status,
      ).to.equal(201);
    await vote(first);
    const firstVote = await stored();
    // This fan-out holds the poll's rules as they were at the first vote: its feed lags.
    const records = new FanoutRecords();
    const ctx = () => new FanoutContext(app.server.realtime.io, records);
    expect((await ctx().pollRules(poll.id))?.anonymous).to.equal(false);
    expect(
      (await app.patch(`/api/polls/${poll.id}`, { anonymous: true }, { as: group.coordinator }))
        .status,
    ).to.equal(200);
    await vote(second);
    const room = discussionRoom(id, 'member');
    const tallyFedWith = async (doc: Record<string, unknown>) => {
      records.forget({
        collection: 'polls',
        operationType: 'update',
        documentKey: doc._id,
        fullDocument: doc,
        updatedFields: { voterCount: doc.voterCount, unpublishedVotes: doc.unpublishedVotes },
        removedFields: [],
      });
      const fanout = ctx();
      const loaded = (await fanout.discussion(id))!;
      const pollId = new Types.ObjectId(poll.id);
      const tallies = await tallyForEntry(fanout, pollId, loaded, [{ view: 'member', room }]);
      return tallies.get(room);
    };
    // The poll is anonymous now: a tally presented with the poll read now says so, one presented
    // with the poll as the feed brought it does not.
    // The first vote's reply read the ballots for the poll as that vote left it: the same read
    // serves its entry, with the poll the feed brought, not read again; the vote cast since the
    // poll turned anonymous is not in it.
    const atFirstVote = await tallyFedWith(firstVote);
    expect(atFirstVote?.settings.anonymous).to.equal(false);
    expect(atFirstVote?.voterCount).to.equal(1);
    // Nobody read ballots for the poll as the feed brought it here: both are read as they are
    // now, so the entry shows only the batch published when it turned anonymous.
    const unread = await tallyFedWith(unvoted);
    expect(unread?.settings.anonymous).to.equal(true);
    expect(unread?.voterCount).to.equal(1);
    expect(unread?.results?.options.find((o) => o.optionId === 'agree')?.score).to.equal(1);
    // A read for the poll's counts made only now (a reply that ran late) holds the vote cast since
    // it turned anonymous: never paired with the poll from before, which is read again. Its tally
    // is exactly what the room was just sent (the published batch), so nothing new goes out.
    const late = { ...firstVote, unpublishedVotes: 42 };
    await countedBallots(late as never)([new Types.ObjectId(poll.id)]);
    expect(await tallyFedWith(late)).to.equal(null);
  });

  it('keeps results hidden until one has voted, then shows them to that voter', async () => {
    const group = await buildGroup();
    const [early, late] = [await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const poll = await proposal(id, group.coordinator, { hideResults: 'until_voted' });
    const lateSocket = await watching(late, id);
    const beforeVoting = record(lateSocket);
    await app.request('PUT', `/api/polls/${poll.id}/vote`, {
      body: { choices: [{ optionId: 'agree', value: 1 }] },
      as: early,
    });
    await app.server.realtime.barrier();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Someone else's vote changes nothing they may see, so nothing arrives.
    expect(aboutRecords(beforeVoting)).to.deep.equal([]);
    // Once they have voted, no payload hides the results from them again (no flicker).
    const received: PollDto[] = [];
    lateSocket.on('poll:upserted', (p) => {
      if (p.id === poll.id) received.push(p);
    });
    const shown = pollUpdate(lateSocket, poll.id, (p) => p.results !== undefined);
    await app.request('PUT', `/api/polls/${poll.id}/vote`, {
      body: { choices: [{ optionId: 'block', value: 1 }] },
      as: late,
    });
    const afterVoting = await shown;
    expect(afterVoting.voterCount).to.equal(2);
    await app.server.realtime.barrier();
    received.length = 0;
    // Listening before the vote: the update may arrive before the response to the vote does.
    const moved = pollUpdate(
      lateSocket,
      poll.id,
      (p) => p.results?.options.some((o) => o.optionId === 'abstain' && o.score === 1) ?? false,
    );
    await app.request('PUT', `/api/polls/${poll.id}/vote`, {
      body: { choices: [{ optionId: 'abstain', value: 1 }] },
      as: early,
    });
    await moved;
    expect(received.every((p) => p.results !== undefined)).to.equal(true);
  });

  it('delivers a mention notification to the mentioned person only', async () => {
    const group = await buildGroup();
    const mentioned = await addMember(group);
    const bystander = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const mentionedSocket = await clients.connect(mentioned);
    const bystanderSocket = await clients.connect(bystander);
    let bystanderNotified = false;
    bystanderSocket.on('notification:new', () => (bystanderNotified = true));
    const notified = nextEvent(mentionedSocket, 'notification:new');
    await app.post(
      `/api/discussions/${String(discussion._id)}/comments`,
      { body: `What do you think, @${mentioned.handle}?` },
      { as: group.coordinator },
    );
    const notification = await notified;
    expect(notification).to.include({ kind: 'mention', read: false });
    expect(notification.discussion).to.deep.equal({
      id: String(discussion._id),
      title: discussion.title,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bystanderNotified).to.equal(false);
  });
});
