import { expect } from 'chai';
import { EventModel } from '../../models/event.js';
import { PollModel } from '../../models/poll.js';
import { VoteModel } from '../../models/vote.js';
import {
  buildPoll,
  buildPollScene,
  buildVote,
  type PollScene,
  type ErrorResponse,
  type VotePage,
  type VoteResponse,
} from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { UserDocument } from '../../models/user.js';

type Input = Record<string, unknown>;
type Res = VoteResponse & VotePage & ErrorResponse;

const MISSING = '0123456789abcdef01234567';

describe('poll routes: voting and listing votes', () => {
  let app: TestApp;
  let scene: PollScene;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());
  beforeEach(async () => {
    scene = await buildPollScene();
  });

  const vote = (pollId: unknown, as: UserDocument | null, body: unknown) =>
    app.request<Res>('PUT', `/api/polls/${String(pollId)}/vote`, { as, body });

  describe('PUT /api/polls/:id/vote', () => {
    it('casts a vote (201), counts the voter once, and changes it on a second PUT (200)', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const first = await vote(poll._id, scene.member, {
        choices: [{ optionId: 'agree', value: 1 }],
        reason: 'Good plan',
      });
      expect(first.status).to.equal(201);
      expect(first.body.vote).to.include({ reason: 'Good plan' });
      expect(first.body.vote.choices).to.deep.equal([{ optionId: 'agree', value: 1 }]);
      expect(first.body.poll.myVote?.choices).to.deep.equal([{ optionId: 'agree', value: 1 }]);
      expect(first.body.poll.voterCount).to.equal(1);
      const second = await vote(poll._id, scene.member, {
        choices: [{ optionId: 'block', value: 1 }],
        reason: 'Changed my mind',
      });
      expect(second.status).to.equal(200);
      expect(second.body.poll.voterCount).to.equal(1);
      expect(second.body.poll.results?.blocked).to.equal(true);
      const rows = await VoteModel.find({ pollId: poll._id });
      expect(rows).to.have.length(1);
      expect(rows[0].choices.map((c) => c.optionId)).to.deep.equal(['block']);
      expect((await PollModel.findById(poll._id))!.voterCount).to.equal(1);
      const events = await EventModel.find({ pollId: poll._id, kind: 'vote_cast' });
      expect(events.map((e) => String(e.actorId))).to.deep.equal([
        String(scene.member._id),
        String(scene.member._id),
      ]);
      // The answer, presented from the vote just stored, is what reading the poll gives.
      const read = await app.get<{ poll: unknown }>(`/api/polls/${String(poll._id)}`, {
        as: scene.member,
      });
      expect(second.body.poll).to.deep.equal(read.body.poll);
      expect(second.body.vote).to.deep.equal((read.body.poll as { myVote: unknown }).myVote);
    });

    it('counts the ballots it tallies, so the count and the results never disagree', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      await buildVote(poll, scene.coordinator, [{ optionId: 'agree', value: 1 }]);
      // The poll's own count lagging behind its ballots (read a moment before a vote was stored).
      await PollModel.updateOne({ _id: poll._id }, { $set: { voterCount: 0 } });
      const res = await vote(poll._id, scene.member, {
        choices: [{ optionId: 'agree', value: 1 }],
      });
      expect(res.status).to.equal(201);
      expect(res.body.poll.voterCount).to.equal(2);
      expect(res.body.poll.results?.voterCount).to.equal(2);
    });

    it('treats a retried identical vote as already done: 200, one vote, one vote_cast event', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const body = { choices: [{ optionId: 'agree', value: 1 }], reason: 'Good plan' };
      expect((await vote(poll._id, scene.member, body)).status).to.equal(201);
      const retried = await vote(poll._id, scene.member, body);
      expect(retried.status).to.equal(200);
      expect(retried.body.vote).to.include({ reason: 'Good plan' });
      expect(retried.body.poll.voterCount).to.equal(1);
      expect(await EventModel.countDocuments({ pollId: poll._id, kind: 'vote_cast' })).to.equal(1);
      // Retried at once, twice (a client resending while the first is in flight): still one of each.
      const again = { choices: [{ optionId: 'abstain', value: 1 }], reason: '' };
      await Promise.all([vote(poll._id, scene.member, again), vote(poll._id, scene.member, again)]);
      expect(await EventModel.countDocuments({ pollId: poll._id, kind: 'vote_cast' })).to.equal(2);
      expect(await VoteModel.countDocuments({ pollId: poll._id })).to.equal(1);
    });

    it('keeps one vote and a right count when the same person votes twice at once', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const results = await Promise.all([
        vote(poll._id, scene.member, { choices: [{ optionId: 'agree', value: 1 }] }),
        vote(poll._id, scene.member, { choices: [{ optionId: 'abstain', value: 1 }] }),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 201]);
      expect(await VoteModel.countDocuments({ pollId: poll._id })).to.equal(1);
      expect((await PollModel.findById(poll._id))!.voterCount).to.equal(1);
    });

    it('lets coordinators, members (when members may vote) and guests vote', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      for (const voter of [scene.coordinator, scene.member, scene.guest]) {
        expect(
          (await vote(poll._id, voter, { choices: [{ optionId: 'agree', value: 1 }] })).status,
        ).to.equal(201);
      }
      expect((await PollModel.findById(poll._id))!.voterCount).to.equal(3);
    });

    const invalid: Array<[string, Input, string]> = [
      [
        'an operator key',
        { choices: [{ optionId: { $ne: 'x' }, value: 1 }] },
        'choices.0.optionId.$ne',
      ],
      ['no choices', { choices: [] }, 'choices'],
      [
        'two positions',
        {
          choices: [
            { optionId: 'agree', value: 1 },
            { optionId: 'block', value: 1 },
          ],
        },
        'choices',
      ],
      ['an unknown option', { choices: [{ optionId: 'maybe', value: 1 }] }, 'choices[0].optionId'],
      ['a wrong value', { choices: [{ optionId: 'agree', value: 2 }] }, 'choices[0].value'],
      [
        'a value that is no number',
        { choices: [{ optionId: 'agree', value: 'yes' }] },
        'choices.0.value',
      ],
      [
        'a reason over 5000 characters',
        { choices: [{ optionId: 'agree', value: 1 }], reason: 'x'.repeat(5001) },
        'reason',
      ],
      ['an unknown field', { choices: [{ optionId: 'agree', value: 1 }], userId: MISSING }, 'body'],
    ];
    for (const [what, body, field] of invalid) {
      it(`answers 400 naming ${field} for ${what}`, async () => {
        const poll = await buildPoll({ discussion: scene.discussion });
        const res = await vote(poll._id, scene.member, body);
        expect(res.status).to.equal(400);
        expect(res.body.error).to.include({ id: 'validation_error', field });
        expect(await VoteModel.countDocuments({ pollId: poll._id })).to.equal(0);
      });
    }

    it('requires a reason when the poll says so', async () => {
      const poll = await buildPoll({ discussion: scene.discussion, reasonRequired: true });
      const res = await vote(poll._id, scene.member, {
        choices: [{ optionId: 'agree', value: 1 }],
        reason: '  ',
      });
      expect(res.body.error).to.include({ id: 'validation_error', field: 'reason' });
      expect(
        (
          await vote(poll._id, scene.member, {
            choices: [{ optionId: 'agree', value: 1 }],
            reason: 'Because',
          })
        ).status,
      ).to.equal(201);
    });

    it('answers 401 to a visitor', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      expect(
        (await vote(poll._id, null, { choices: [{ optionId: 'agree', value: 1 }] })).status,
      ).to.equal(401);
    });

    it('answers 403 to readers who may not vote: outsiders, members when members may not, people not listed', async () => {
      const ballot = { choices: [{ optionId: 'agree', value: 1 }] };
      const poll = await buildPoll({ discussion: scene.discussion });
      expect((await vote(poll._id, scene.outsider, ballot)).status).to.equal(403);
      const listed = await buildPoll({
        discussion: scene.discussion,
        voterIds: [scene.member._id],
      });
      expect((await vote(listed._id, scene.coordinator, ballot)).status).to.equal(403);
      expect((await vote(listed._id, scene.member, ballot)).status).to.equal(201);
      const locked = await buildPollScene({ permissions: { membersCanVote: false } });
      const lockedPoll = await buildPoll({ discussion: locked.discussion });
      expect((await vote(lockedPoll._id, locked.member, ballot)).status).to.equal(403);
      expect((await vote(lockedPoll._id, locked.coordinator, ballot)).status).to.equal(201);
    });

    it('answers 409 once the poll is closed or past its closing time, and stores nothing', async () => {
      const ballot = { choices: [{ optionId: 'agree', value: 1 }] };
      const closed = await buildPoll({ discussion: scene.discussion, closedAt: new Date() });
      expect((await vote(closed._id, scene.member, ballot)).status).to.equal(409);
      const due = await buildPoll({
        discussion: scene.discussion,
        closesAt: new Date(Date.now() - 1000),
      });
      expect((await vote(due._id, scene.member, ballot)).status).to.equal(409);
      expect(await VoteModel.countDocuments({ pollId: { $in: [closed._id, due._id] } })).to.equal(
        0,
      );
    });

    it('checks votes against the poll as it is now, though the process holds it between votes', async () => {
      const ballot = { choices: [{ optionId: 'agree', value: 1 }] };
      const poll = await buildPoll({ discussion: scene.discussion });
      expect((await vote(poll._id, scene.member, ballot)).status).to.equal(201);
      // Only this poll's counts moved: the held poll stays, and the next vote counts on.
      const second = await vote(poll._id, scene.coordinator, ballot);
      expect(second.status).to.equal(201);
      expect(second.body.poll.voterCount).to.equal(2);
      // Its voters narrowed elsewhere: once the feed has brought that, the held copy is gone.
      const listed = await buildPoll({ discussion: scene.discussion });
      expect((await vote(listed._id, scene.member, ballot)).status).to.equal(201);
      await PollModel.updateOne({ _id: listed._id }, { $set: { voterIds: [scene.member._id] } });
      await app.server.realtime.barrier();
      expect((await vote(listed._id, scene.coordinator, ballot)).status).to.equal(403);
      // Closed a moment ago, before the feed could say so: the vote's transaction refuses it.
      await PollModel.updateOne({ _id: poll._id }, { $set: { closedAt: new Date() } });
      expect((await vote(poll._id, scene.member, ballot)).status).to.equal(409);
      expect(await VoteModel.countDocuments({ pollId: poll._id })).to.equal(2);
    });

    it('answers 404 for polls the viewer may not read', async () => {
      const secret = await buildPollScene({ privacy: 'secret' });
      const poll = await buildPoll({ discussion: secret.discussion });
      expect(
        (await vote(poll._id, scene.member, { choices: [{ optionId: 'agree', value: 1 }] })).status,
      ).to.equal(404);
      expect(
        (await vote(MISSING, scene.member, { choices: [{ optionId: 'agree', value: 1 }] })).status,
      ).to.equal(404);
    });
  });

  describe('GET /api/polls/:id/votes', () => {
    it('lists votes newest first with voters (no email) and reasons, page by page', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      await buildVote(poll, scene.coordinator, [{ optionId: 'agree', value: 1 }], 'first');
      await buildVote(poll, scene.member, [{ optionId: 'disagree', value: 1 }], 'second');
      const path = `/api/polls/${String(poll._id)}/votes`;
      const first = await app.get<Res>(`${path}?limit=1`, { as: scene.member });
      expect(first.status).to.equal(200);
      expect(first.body.items).to.have.length(1);
      const [latest] = first.body.items;
      expect(latest).to.include({ reason: 'second', mine: true });
      expect(latest.voter).to.include({
        id: String(scene.member._id),
        name: scene.member.name,
        handle: scene.member.handle,
      });
      expect(JSON.stringify(first.body)).not.to.include('@example.org');
      const second = await app.get<Res>(
        `${path}?limit=1&cursor=${first.body.nextCursor as string}`,
        { as: scene.member },
      );
      expect(second.body.items[0]).to.include({ reason: 'first', mine: false });
      expect(second.body.nextCursor).to.equal(null);
      const visitor = await app.get<Res>(path);
      expect(visitor.status).to.equal(200);
      expect(visitor.body.items.every((v) => v.mine === false)).to.equal(true);
    });

    it('answers 403 results_hidden while results are hidden from the viewer', async () => {
      const poll = await buildPoll({ discussion: scene.discussion, hideResults: 'until_closed' });
      await buildVote(poll, scene.member, [{ optionId: 'agree', value: 1 }], 'secret reason');
      const res = await app.get<Res>(`/api/polls/${String(poll._id)}/votes`, {
        as: scene.coordinator,
      });
      expect(res.status).to.equal(403);
      expect(res.body.error.id).to.equal('results_hidden');
      expect(JSON.stringify(res.body)).not.to.include('secret reason');
    });

    it('answers 400 to a bad cursor or an operator, and 404 to an unreadable poll', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const path = `/api/polls/${String(poll._id)}/votes`;
      expect(
        (await app.get<Res>(`${path}?cursor=zz`, { as: scene.member })).body.error.field,
      ).to.equal('cursor');
      expect((await app.get<Res>(`${path}?limit[$gt]=1`, { as: scene.member })).status).to.equal(
        400,
      );
      const secret = await buildPoll({
        discussion: (await buildPollScene({ privacy: 'closed' })).discussion,
      });
      expect(
        (await app.get(`/api/polls/${String(secret._id)}/votes`, { as: scene.member })).status,
      ).to.equal(404);
      expect((await app.get(`/api/polls/${String(secret._id)}/votes`)).status).to.equal(404);
    });
  });
});
