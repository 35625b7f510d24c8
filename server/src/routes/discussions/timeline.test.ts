import { expect } from 'chai';
import { Types } from 'mongoose';
import { appendTimelineEvent } from '../../commands/timeline.js';
import { ReadStateModel } from '../../models/read-state.js';
import type { DiscussionDto, ReadStateDto } from '../../presenters/discussion.js';
import type { TimelineEventDto } from '../../presenters/event.js';
import { buildComment } from '../../test/factories-discussions.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type Events = { items: TimelineEventDto[]; nextCursor: string | null };
type Err = { error: { id: string; field?: string } };

describe('discussion timeline: GET events, POST read', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('GET /api/discussions/:id/events', () => {
    it('pages events after a sequence, with actor summaries, and no actor for system actions', async () => {
      const discussion = await buildDiscussion();
      const member = await addMember(discussion.group);
      const comment = await buildComment({ discussion, author: member });
      const pollId = new Types.ObjectId();
      await appendTimelineEvent({
        discussionId: discussion._id,
        kind: 'poll_closed',
        actorId: null,
        pollId,
      });
      await buildComment({ discussion });
      const as = { as: discussion.group.coordinator };
      const first = await app.get<Events>(
        `/api/discussions/${String(discussion._id)}/events?limit=2`,
        as,
      );
      expect(first.status).to.equal(200);
      expect(first.body.items.map((e) => [e.sequence, e.kind])).to.deep.equal([
        [1, 'comment_posted'],
        [2, 'poll_closed'],
      ]);
      expect(first.body.items[0].actor).to.deep.include({
        id: String(member._id),
        name: member.name,
      });
      expect(first.body.items[0].commentId).to.equal(String(comment._id));
      expect(first.body.items[1]).to.include({
        actor: null,
        pollId: String(pollId),
        commentId: null,
      });
      const rest = await app.get<Events>(
        `/api/discussions/${String(discussion._id)}/events?cursor=${first.body.nextCursor}`,
        as,
      );
      expect(rest.body.items.map((e) => e.sequence)).to.deep.equal([3]);
      const after = await app.get<Events>(
        `/api/discussions/${String(discussion._id)}/events?after=3`,
        as,
      );
      expect(after.body).to.deep.equal({ items: [], nextCursor: null });
    });

    it('answers 400 for bad queries and 404 to visitors and outsiders of a private discussion', async () => {
      const discussion = await buildDiscussion();
      const p = `/api/discussions/${String(discussion._id)}/events`;
      expect((await app.get(`${p}?after=x`, { as: discussion.group.coordinator })).status).to.equal(
        400,
      );
      expect(
        (await app.get(`${p}?limit=1000`, { as: discussion.group.coordinator })).status,
      ).to.equal(400);
      expect(
        (await app.get(`${p}?after[$gt]=1`, { as: discussion.group.coordinator })).status,
      ).to.equal(400);
      expect((await app.get(p)).status).to.equal(404);
      expect((await app.get(p, { as: await buildUser() })).status).to.equal(404);
      const open = await buildDiscussion({
        group: await buildGroup({ privacy: 'open' }),
        private: false,
      });
      expect((await app.get(`/api/discussions/${String(open._id)}/events`)).status).to.equal(200);
    });
  });

  describe('POST /api/discussions/:id/read', () => {
    it('moves read state forward only, capped at the last sequence, and shows it on the discussion', async () => {
      const discussion = await buildDiscussion();
      for (let i = 0; i < 4; i++) await buildComment({ discussion });
      const member = await addMember(discussion.group);
      const p = `/api/discussions/${String(discussion._id)}/read`;
      const read = async (sequence: number) =>
        (await app.post<{ readState: ReadStateDto }>(p, { sequence }, { as: member })).body
          .readState;
      expect(await read(3)).to.deep.equal({ lastReadSequence: 3, unreadCount: 1 });
      expect(await read(1)).to.deep.equal({ lastReadSequence: 3, unreadCount: 1 });
      expect(await read(99)).to.deep.equal({ lastReadSequence: 4, unreadCount: 0 });
      expect((await ReadStateModel.findOne({ userId: member._id }))!.lastReadSequence).to.equal(4);
      await buildComment({ discussion });
      const shown = await app.get<{ discussion: DiscussionDto }>(
        `/api/discussions/${String(discussion._id)}`,
        { as: member },
      );
      expect(shown.body.discussion.readState).to.deep.equal({
        lastReadSequence: 4,
        unreadCount: 1,
      });
    });

    it('answers 400, 401, 404 to outsiders, 403 to readers who do not take part', async () => {
      const discussion = await buildDiscussion({
        group: await buildGroup({ privacy: 'open' }),
        private: false,
      });
      const p = `/api/discussions/${String(discussion._id)}/read`;
      const coordinator = { as: discussion.group.coordinator };
      expect((await app.post<Err>(p, { sequence: -1 }, coordinator)).body.error.field).to.equal(
        'sequence',
      );
      expect((await app.post<Err>(p, { sequence: { $gt: 0 } }, coordinator)).status).to.equal(400);
      expect((await app.post(p, { sequence: 1 })).status).to.equal(401);
      expect((await app.post(p, { sequence: 1 }, { as: await buildUser() })).status).to.equal(403);
      const hidden = await buildDiscussion();
      expect(
        (
          await app.post(
            `/api/discussions/${String(hidden._id)}/read`,
            { sequence: 1 },
            { as: await buildUser() },
          )
        ).status,
      ).to.equal(404);
      expect(await ReadStateModel.countDocuments({ discussionId: discussion._id })).to.equal(0);
    });
  });
});
