import { expect } from 'chai';
import { EventModel } from '../../models/event.js';
import { PollModel } from '../../models/poll.js';
import { buildUser } from '../../test/factories.js';
import {
  buildPoll,
  buildPollScene,
  type ErrorResponse,
  type PollResponse,
  type PollScene,
} from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Res = PollResponse & ErrorResponse;

const MISSING = '0123456789abcdef01234567';

describe('poll routes: editing polls', () => {
  let app: TestApp;
  let scene: PollScene;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());
  beforeEach(async () => {
    scene = await buildPollScene();
  });

  describe('PATCH /api/polls/:id', () => {
    it('lets the author change title, details and closing time', async () => {
      const poll = await buildPoll({ discussion: scene.discussion, author: scene.member });
      const closesAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
      const res = await app.patch<Res>(
        `/api/polls/${String(poll._id)}`,
        { title: 'Better title', details: 'More', closesAt },
        { as: scene.member },
      );
      expect(res.status).to.equal(200);
      expect(res.body.poll).to.include({ title: 'Better title', details: 'More', closesAt });
      expect((await PollModel.findById(poll._id))!.title).to.equal('Better title');
    });

    it('turns anonymity on, removing earlier vote events altogether, and never off again', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      await app.request('PUT', `/api/polls/${String(poll._id)}/vote`, {
        as: scene.member,
        body: { choices: [{ optionId: 'agree', value: 1 }] },
      });
      expect(
        (await EventModel.findOne({ pollId: poll._id, kind: 'vote_cast' }))!.actorId,
      ).not.to.equal(null);
      const on = await app.patch<Res>(
        `/api/polls/${String(poll._id)}`,
        { anonymous: true },
        { as: scene.coordinator },
      );
      expect(on.status).to.equal(200);
      expect(on.body.poll.settings.anonymous).to.equal(true);
      expect(await EventModel.countDocuments({ pollId: poll._id, kind: 'vote_cast' })).to.equal(0);
      // The tally as it stood was public: it is the first published batch.
      expect(on.body.poll.voterCount).to.equal(1);
      const off = await app.patch<Res>(
        `/api/polls/${String(poll._id)}`,
        { anonymous: false },
        { as: scene.coordinator },
      );
      expect(off.status).to.equal(409);
      expect(off.body.error).to.include({ id: 'anonymous_poll', field: 'anonymous' });
      expect((await PollModel.findById(poll._id))!.anonymous).to.equal(true);
    });

    it('answers 400 for bad input, 401, 403 and 404', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const path = `/api/polls/${String(poll._id)}`;
      expect(
        (await app.patch<Res>(path, { title: { $ne: 1 } }, { as: scene.coordinator })).status,
      ).to.equal(400);
      expect(
        (await app.patch<Res>(path, { kind: 'score' }, { as: scene.coordinator })).status,
      ).to.equal(400);
      const past = await app.patch<Res>(
        path,
        { closesAt: '2000-01-01T00:00:00Z' },
        { as: scene.coordinator },
      );
      expect(past.body.error).to.include({ field: 'closesAt' });
      expect((await app.patch(path, { title: 'x' })).status).to.equal(401);
      expect((await app.patch(path, { title: 'x' }, { as: scene.member })).status).to.equal(403);
      expect(
        (await app.patch(`/api/polls/${MISSING}`, { title: 'x' }, { as: scene.member })).status,
      ).to.equal(404);
      const other = await buildUser();
      const secret = await buildPoll({
        discussion: (await buildPollScene({ privacy: 'secret' })).discussion,
      });
      expect(
        (await app.patch(`/api/polls/${String(secret._id)}`, { title: 'x' }, { as: other })).status,
      ).to.equal(404);
    });

    it('refuses to remove the closing time of a non-proposal and to edit a closed poll', async () => {
      const choice = await buildPoll({ discussion: scene.discussion, kind: 'single_choice' });
      const res = await app.patch<Res>(
        `/api/polls/${String(choice._id)}`,
        { closesAt: null },
        { as: scene.coordinator },
      );
      expect(res.body.error).to.include({ id: 'validation_error', field: 'closesAt' });
      const closed = await buildPoll({ discussion: scene.discussion, closedAt: new Date() });
      expect(
        (
          await app.patch(
            `/api/polls/${String(closed._id)}`,
            { title: 'x' },
            { as: scene.coordinator },
          )
        ).status,
      ).to.equal(409);
    });
  });
});
