import { expect } from 'chai';
import { EventModel } from '../../models/event.js';
import { NotificationModel } from '../../models/notification.js';
import { PollModel } from '../../models/poll.js';
import {
  buildPoll,
  buildPollScene,
  buildVote,
  type PollScene,
  type ErrorResponse,
  type PollResponse,
} from '../../test/factories-polls.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Res = PollResponse & ErrorResponse;

const MISSING = '0123456789abcdef01234567';
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

describe('poll routes: closing, reopening and publishing outcomes', () => {
  let app: TestApp;
  let scene: PollScene;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());
  beforeEach(async () => {
    scene = await buildPollScene();
  });

  /** The 401, 403 and 404 every lifecycle route gives. */
  async function expectGuarded(action: string, body: Record<string, unknown>, closed: boolean) {
    const poll = await buildPoll({
      discussion: scene.discussion,
      closedAt: closed ? new Date() : null,
    });
    const path = `/api/polls/${String(poll._id)}/${action}`;
    expect((await app.post(path, body)).status, 'visitor').to.equal(401);
    expect((await app.post(path, body, { as: scene.member })).status, 'member').to.equal(403);
    expect((await app.post(path, body, { as: scene.guest })).status, 'guest').to.equal(403);
    expect(
      (await app.post(`/api/polls/${MISSING}/${action}`, body, { as: scene.coordinator })).status,
    ).to.equal(404);
    const secret = await buildPoll({
      discussion: (await buildPollScene({ privacy: 'secret' })).discussion,
      closedAt: closed ? new Date() : null,
    });
    expect(
      (
        await app.post(`/api/polls/${String(secret._id)}/${action}`, body, {
          as: scene.coordinator,
        })
      ).status,
    ).to.equal(404);
    const after = await PollModel.findById(poll._id);
    expect(after!.closedAt === null).to.equal(!closed);
    expect(after!.outcome).to.equal(null);
  }

  describe('POST /api/polls/:id/close', () => {
    it('lets the author close their poll, with a poll_closed event, and shows hidden results afterwards', async () => {
      const poll = await buildPoll({
        discussion: scene.discussion,
        author: scene.member,
        hideResults: 'until_closed',
      });
      await buildVote(poll, scene.guest, [{ optionId: 'agree', value: 1 }]);
      const res = await app.post<Res>(
        `/api/polls/${String(poll._id)}/close`,
        {},
        { as: scene.member },
      );
      expect(res.status).to.equal(200);
      expect(res.body.poll.closedAt).to.be.a('string');
      expect(res.body.poll.abilities).to.include({
        canVote: false,
        canClose: false,
        canReopen: true,
        canPublishOutcome: true,
      });
      expect(res.body.poll.results?.options[0]).to.include({ optionId: 'agree', score: 1 });
      const event = await EventModel.findOne({ pollId: poll._id, kind: 'poll_closed' });
      expect(String(event!.actorId)).to.equal(String(scene.member._id));
    });

    it('answers 409 when already closed', async () => {
      const poll = await buildPoll({ discussion: scene.discussion, closedAt: new Date() });
      const res = await app.post<Res>(
        `/api/polls/${String(poll._id)}/close`,
        {},
        { as: scene.coordinator },
      );
      expect(res.status).to.equal(409);
      expect(await EventModel.countDocuments({ pollId: poll._id })).to.equal(0);
    });

    it('answers 400 to operator keys', async () => {
      const poll = await buildPoll({ discussion: scene.discussion });
      const res = await app.post<Res>(
        `/api/polls/${String(poll._id)}/close`,
        { $set: { closedAt: null } },
        { as: scene.coordinator },
      );
      expect(res.status).to.equal(400);
    });

    it('answers 401, 403 and 404', () => expectGuarded('close', {}, false));
  });

  describe('POST /api/polls/:id/reopen', () => {
    it('reopens a closed poll with a new closing time, with a poll_reopened event', async () => {
      const poll = await buildPoll({
        discussion: scene.discussion,
        kind: 'single_choice',
        closedAt: new Date(),
        closesAt: new Date(Date.now() - 1000),
      });
      const closesAt = inDays(2);
      const res = await app.post<Res>(
        `/api/polls/${String(poll._id)}/reopen`,
        { closesAt },
        { as: scene.coordinator },
      );
      expect(res.status).to.equal(200);
      expect(res.body.poll).to.include({ closedAt: null, closesAt });
      expect(res.body.poll.abilities.canVote).to.equal(true);
      expect(await EventModel.countDocuments({ pollId: poll._id, kind: 'poll_reopened' })).to.equal(
        1,
      );
    });

    it('requires a new closing time when the old one has passed (except for proposals)', async () => {
      const poll = await buildPoll({
        discussion: scene.discussion,
        kind: 'score',
        closedAt: new Date(),
        closesAt: new Date(Date.now() - 1000),
      });
      const res = await app.post<Res>(
        `/api/polls/${String(poll._id)}/reopen`,
        {},
        { as: scene.coordinator },
      );
      expect(res.body.error).to.include({ id: 'validation_error', field: 'closesAt' });
      const proposal = await buildPoll({
        discussion: scene.discussion,
        closedAt: new Date(),
        closesAt: new Date(Date.now() - 1000),
      });
      const ok = await app.post<Res>(
        `/api/polls/${String(proposal._id)}/reopen`,
        {},
        { as: scene.coordinator },
      );
      expect(ok.status).to.equal(200);
      expect(ok.body.poll.closesAt).to.equal(null);
    });

    it('refuses anonymous polls with 409 anonymous_poll and open polls with 409', async () => {
      const anonymous = await buildPoll({
        discussion: scene.discussion,
        anonymous: true,
        closedAt: new Date(),
      });
      const res = await app.post<Res>(
        `/api/polls/${String(anonymous._id)}/reopen`,
        { closesAt: inDays(1) },
        { as: scene.coordinator },
      );
      expect(res.status).to.equal(409);
      expect(res.body.error.id).to.equal('anonymous_poll');
      expect((await PollModel.findById(anonymous._id))!.closedAt).not.to.equal(null);
      const open = await buildPoll({ discussion: scene.discussion });
      expect(
        (await app.post(`/api/polls/${String(open._id)}/reopen`, {}, { as: scene.coordinator }))
          .status,
      ).to.equal(409);
    });

    it('answers 400 to a past closing time and operator keys', async () => {
      const poll = await buildPoll({ discussion: scene.discussion, closedAt: new Date() });
      const path = `/api/polls/${String(poll._id)}/reopen`;
      expect(
        (await app.post<Res>(path, { closesAt: '1999-01-01T00:00:00Z' }, { as: scene.coordinator }))
          .body.error.field,
      ).to.equal('closesAt');
      expect(
        (await app.post<Res>(path, { closesAt: { $gt: 1 } }, { as: scene.coordinator })).status,
      ).to.equal(400);
    });

    it('answers 401, 403 and 404', () => expectGuarded('reopen', { closesAt: inDays(1) }, true));
  });

  describe('POST /api/polls/:id/outcome', () => {
    it('publishes the outcome of a closed poll, with an event and a notification for each other voter', async () => {
      const poll = await buildPoll({ discussion: scene.discussion, closedAt: new Date() });
      await buildVote(poll, scene.member, [{ optionId: 'agree', value: 1 }]);
      await buildVote(poll, scene.coordinator, [{ optionId: 'agree', value: 1 }]);
      const res = await app.post<Res>(
        `/api/polls/${String(poll._id)}/outcome`,
        { statement: 'We go ahead.' },
        { as: scene.coordinator },
      );
      expect(res.status).to.equal(200);
      expect(res.body.poll.outcome?.statement).to.equal('We go ahead.');
      expect(res.body.poll.outcome?.author.id).to.equal(String(scene.coordinator._id));
      expect(res.body.poll.outcome?.author).not.to.have.property('email');
      expect(
        await EventModel.countDocuments({ pollId: poll._id, kind: 'outcome_published' }),
      ).to.equal(1);
      const notified = await NotificationModel.find({ pollId: poll._id, kind: 'outcome' });
      expect(notified.map((n) => String(n.userId))).to.deep.equal([String(scene.member._id)]);
    });

    it('answers 409 for an open poll and 400 for a blank, oversized or operator statement', async () => {
      const open = await buildPoll({ discussion: scene.discussion });
      expect(
        (
          await app.post(
            `/api/polls/${String(open._id)}/outcome`,
            { statement: 'Early' },
            { as: scene.coordinator },
          )
        ).status,
      ).to.equal(409);
      const closed = await buildPoll({ discussion: scene.discussion, closedAt: new Date() });
      const path = `/api/polls/${String(closed._id)}/outcome`;
      for (const statement of ['   ', 'x'.repeat(10_001), { $ne: '' }]) {
        const res = await app.post<Res>(path, { statement }, { as: scene.coordinator });
        expect(res.status).to.equal(400);
        expect(res.body.error.field).to.match(/^statement/);
      }
      expect((await PollModel.findById(closed._id))!.outcome).to.equal(null);
    });

    it('answers 401, 403 and 404', () => expectGuarded('outcome', { statement: 'Done' }, true));
  });
});
