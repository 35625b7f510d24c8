import { expect } from 'chai';
import type { Types } from 'mongoose';
import { PollModel } from '../../models/poll.js';
import { DiscussionModel } from '../../models/discussion.js';
import { EventModel } from '../../models/event.js';
import type { DiscussionDto } from '../../presenters/discussion.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type One = { discussion: DiscussionDto };
type Err = { error: { id: string; field?: string } };

describe('discussion moderation: close, reopen, pin, unpin, move', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const path = (d: { _id: unknown }, action: string) =>
    `/api/discussions/${String(d._id)}/${action}`;
  const kinds = async (d: { _id: Types.ObjectId }) =>
    (await EventModel.find({ discussionId: d._id }).sort({ sequence: 1 }).lean()).map(
      (e) => e.kind,
    );

  describe('close and reopen', () => {
    it('closes and reopens with events; repeating either changes nothing', async () => {
      const group = await buildGroup();
      const author = await addMember(group);
      const discussion = await buildDiscussion({ group, author });
      const closed = await app.post<One>(path(discussion, 'close'), {}, { as: author });
      expect(closed.status).to.equal(200);
      expect(closed.body.discussion).to.include({ closed: true });
      expect(closed.body.discussion.abilities.canComment).to.equal(false);
      expect((await app.post(path(discussion, 'close'), {}, { as: author })).status).to.equal(200);
      expect((await DiscussionModel.findById(discussion._id))!.closedAt).to.be.instanceOf(Date);
      const reopened = await app.post<One>(
        path(discussion, 'reopen'),
        {},
        { as: group.coordinator },
      );
      expect(reopened.body.discussion.closed).to.equal(false);
      expect(await kinds(discussion)).to.deep.equal(['discussion_closed', 'discussion_reopened']);
    });

    it('answers 401, 404 to outsiders, 403 to members who did not start it', async () => {
      const discussion = await buildDiscussion();
      expect((await app.post(path(discussion, 'close'), {})).status).to.equal(401);
      expect(
        (await app.post(path(discussion, 'close'), {}, { as: await buildUser() })).status,
      ).to.equal(404);
      const res = await app.post<Err>(
        path(discussion, 'close'),
        {},
        { as: await addMember(discussion.group) },
      );
      expect(res.status).to.equal(403);
      expect(
        (
          await app.post(
            path(discussion, 'reopen'),
            { $where: '1' },
            { as: discussion.group.coordinator },
          )
        ).status,
      ).to.equal(400);
      expect((await DiscussionModel.findById(discussion._id))!.closedAt).to.equal(null);
    });
  });

  describe('pin and unpin', () => {
    it('lets coordinators pin and unpin; members get 403, outsiders 404, visitors 401', async () => {
      const discussion = await buildDiscussion();
      const pinned = await app.post<One>(
        path(discussion, 'pin'),
        {},
        { as: discussion.group.coordinator },
      );
      expect(pinned.status).to.equal(200);
      expect(pinned.body.discussion.pinned).to.equal(true);
      expect((await DiscussionModel.findById(discussion._id))!.pinnedAt).to.be.instanceOf(Date);
      expect(
        (await app.post(path(discussion, 'unpin'), {}, { as: await addMember(discussion.group) }))
          .status,
      ).to.equal(403);
      expect(
        (await app.post(path(discussion, 'unpin'), {}, { as: await buildUser() })).status,
      ).to.equal(404);
      expect((await app.post(path(discussion, 'unpin'), {})).status).to.equal(401);
      const unpinned = await app.post<One>(
        path(discussion, 'unpin'),
        {},
        { as: discussion.group.coordinator },
      );
      expect(unpinned.body.discussion.pinned).to.equal(false);
      expect(
        (
          await app.post(
            path(discussion, 'pin'),
            { x: { $gt: 1 } },
            { as: discussion.group.coordinator },
          )
        ).status,
      ).to.equal(400);
    });
  });

  describe('move', () => {
    it('moves between groups both coordinated by the viewer, re-deriving privacy, with an event', async () => {
      const coordinator = await buildUser();
      const open = await buildGroup({ privacy: 'open', coordinator });
      const closed = await buildGroup({ privacy: 'closed', coordinator });
      const discussion = await buildDiscussion({ group: open, private: false });
      const poll = await PollModel.create({
        discussionId: discussion._id,
        groupId: open._id,
        authorId: coordinator._id,
        kind: 'proposal',
        title: 'Travel with it',
      });
      const res = await app.post<One>(
        path(discussion, 'move'),
        { groupId: String(closed._id) },
        { as: coordinator },
      );
      expect(res.status).to.equal(200);
      expect(res.body.discussion.group!.id).to.equal(String(closed._id));
      expect(res.body.discussion.private).to.equal(true);
      const stored = (await DiscussionModel.findById(discussion._id))!;
      expect(String(stored.groupId)).to.equal(String(closed._id));
      expect(stored.private).to.equal(true);
      expect(await kinds(discussion)).to.deep.equal(['discussion_moved']);
      expect(String((await PollModel.findById(poll._id))!.groupId)).to.equal(String(closed._id));
      // Back into an open group it stays private: a move never publishes anything.
      const back = await app.post<One>(
        path(discussion, 'move'),
        { groupId: String(open._id) },
        { as: coordinator },
      );
      expect(back.body.discussion.private).to.equal(true);
      // Visitors no longer see it.
      expect((await app.get(`/api/discussions/${String(discussion._id)}`)).status).to.equal(404);
    });

    it('answers 400, 401, 403 (not coordinating both), 404 (invisible target)', async () => {
      const discussion = await buildDiscussion();
      const coordinator = discussion.group.coordinator;
      const p = path(discussion, 'move');
      expect(
        (await app.post<Err>(p, { groupId: 'x' }, { as: coordinator })).body.error.field,
      ).to.equal('groupId');
      expect((await app.post(p, { groupId: { $ne: null } }, { as: coordinator })).status).to.equal(
        400,
      );
      expect(
        (await app.post<Err>(p, { groupId: String(discussion.group._id) }, { as: coordinator }))
          .status,
      ).to.equal(400);
      const other = await buildGroup({ privacy: 'closed' });
      expect((await app.post(p, { groupId: String(other._id) })).status).to.equal(401);
      expect(
        (await app.post(p, { groupId: String(other._id) }, { as: coordinator })).status,
      ).to.equal(403);
      await addMember(other, coordinator);
      expect(
        (await app.post(p, { groupId: String(other._id) }, { as: coordinator })).status,
      ).to.equal(403);
      const secret = await buildGroup({ privacy: 'secret' });
      expect(
        (await app.post(p, { groupId: String(secret._id) }, { as: coordinator })).status,
      ).to.equal(404);
      expect(
        (await app.post(p, { groupId: String(other._id) }, { as: other.coordinator })).status,
      ).to.equal(404);
      expect(
        (
          await app.post(
            p,
            { groupId: String(other._id) },
            { as: await addMember(discussion.group) },
          )
        ).status,
      ).to.equal(403);
      expect(String((await DiscussionModel.findById(discussion._id))!.groupId)).to.equal(
        String(discussion.group._id),
      );
    });
  });
});
