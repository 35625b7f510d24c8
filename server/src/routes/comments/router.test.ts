import { expect } from 'chai';
import { CommentModel } from '../../models/comment.js';
import { EventModel } from '../../models/event.js';
import { GroupModel } from '../../models/group.js';
import { NotificationModel } from '../../models/notification.js';
import { ReactionModel } from '../../models/reaction.js';
import type { CommentDto, CommentRevisionDto } from '../../presenters/comment.js';
import { buildComment, buildReaction, reloadComment } from '../../test/factories-discussions.js';
import {
  addGuest,
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { isReactionEmoji } from './schema.js';

type One = { comment: CommentDto };
type History = { items: CommentRevisionDto[]; nextCursor: string | null };
type Err = { error: { id: string; field?: string } };

describe('comments: edit, history, delete, reactions', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const commentPath = (c: { _id: unknown }, rest = '') => `/api/comments/${String(c._id)}${rest}`;

  async function scene() {
    const group = await buildGroup();
    const discussion = await buildDiscussion({ group });
    const author = await addMember(group);
    const comment = await buildComment({ discussion, author, body: 'v1' });
    return { discussion, author, comment, group };
  }

  describe('PATCH /api/comments/:id', () => {
    it('edits, keeping the earlier text in a history readers can see, with a comment_edited event', async () => {
      const { discussion, author, comment } = await scene();
      const first = await app.patch<One>(commentPath(comment), { body: 'v2' }, { as: author });
      expect(first.status).to.equal(200);
      expect(first.body.comment).to.include({ body: 'v2', edited: true });
      await app.patch(commentPath(comment), { body: 'v3' }, { as: author });
      const reader = await addMember(discussion.group);
      const history = await app.get<History>(commentPath(comment, '/history'), { as: reader });
      expect(history.status).to.equal(200);
      expect(history.body.items.map((r) => r.body)).to.deep.equal(['v2', 'v1']);
      const paged = await app.get<History>(commentPath(comment, '/history?limit=1'), {
        as: reader,
      });
      expect(paged.body.items.map((r) => r.body)).to.deep.equal(['v2']);
      const next = await app.get<History>(
        commentPath(comment, `/history?limit=1&cursor=${paged.body.nextCursor}`),
        { as: reader },
      );
      expect(next.body).to.deep.include({ nextCursor: null });
      expect(next.body.items.map((r) => r.body)).to.deep.equal(['v1']);
      expect((await reloadComment(comment)).body).to.equal('v3');
      const kinds = (
        await EventModel.find({ discussionId: discussion._id }).sort({ sequence: 1 }).lean()
      ).map((e) => e.kind);
      expect(kinds).to.deep.equal(['comment_posted', 'comment_edited', 'comment_edited']);
    });

    it('notifies only people newly mentioned by an edit', async () => {
      const { discussion, author, comment } = await scene();
      const first = await addMember(discussion.group);
      const second = await addMember(discussion.group);
      await app.patch(commentPath(comment), { body: `hi @${first.handle}` }, { as: author });
      await app.patch(
        commentPath(comment),
        { body: `hi @${first.handle} and @${second.handle}` },
        { as: author },
      );
      const notes = await NotificationModel.find({
        commentId: comment._id,
        kind: 'mention',
      }).lean();
      expect(notes.map((n) => String(n.userId)).sort()).to.deep.equal(
        [String(first._id), String(second._id)].sort(),
      );
    });

    it('answers 400, 401, 404 to outsiders, 403 to others and when the group forbids editing', async () => {
      const { discussion, author, comment, group } = await scene();
      expect(
        (await app.patch<Err>(commentPath(comment), { body: '' }, { as: author })).body.error.field,
      ).to.equal('body');
      expect(
        (await app.patch(commentPath(comment), { body: { $set: 'x' } }, { as: author })).status,
      ).to.equal(400);
      expect(
        (await app.patch(commentPath(comment), { body: 'x'.repeat(20_001) }, { as: author }))
          .status,
      ).to.equal(400);
      expect((await app.patch(commentPath(comment), { body: 'x' })).status).to.equal(401);
      expect(
        (await app.patch(commentPath(comment), { body: 'x' }, { as: await buildUser() })).status,
      ).to.equal(404);
      expect(
        (await app.patch('/api/comments/nope', { body: 'x' }, { as: author })).status,
      ).to.equal(404);
      expect(
        (await app.patch(commentPath(comment), { body: 'x' }, { as: group.coordinator })).status,
      ).to.equal(403);
      await GroupModel.updateOne(
        { _id: group._id },
        { 'permissions.membersCanEditComments': false },
      );
      expect(
        (await app.patch(commentPath(comment), { body: 'x' }, { as: author })).status,
      ).to.equal(403);
      const own = await buildComment({ discussion, author: group.coordinator, body: 'mine' });
      expect(
        (
          await app.patch(
            commentPath(own),
            { body: 'coordinators still may' },
            { as: group.coordinator },
          )
        ).status,
      ).to.equal(200);
      expect((await reloadComment(comment)).body).to.equal('v1');
    });
  });

  describe('GET /api/comments/:id/history', () => {
    it('answers 404 to visitors of a private discussion and 400 for a bad cursor; public history is public', async () => {
      const { comment, author } = await scene();
      expect((await app.get(commentPath(comment, '/history'))).status).to.equal(404);
      expect(
        (await app.get(commentPath(comment, '/history?cursor=abc'), { as: author })).status,
      ).to.equal(400);
      const pub = await buildDiscussion({
        group: await buildGroup({ privacy: 'open' }),
        private: false,
      });
      const c = await buildComment({ discussion: pub, body: 'before' });
      await CommentModel.updateOne(
        { _id: c._id },
        { body: 'after', $push: { history: { body: 'before', editedAt: new Date() } } },
      );
      const res = await app.get<History>(commentPath(c, '/history'));
      expect(res.status).to.equal(200);
      expect(res.body.items.map((r) => r.body)).to.deep.equal(['before']);
    });
  });

  describe('DELETE /api/comments/:id', () => {
    it('erases text, history and reactions but keeps the place; repeat is harmless', async () => {
      const { discussion, author, comment } = await scene();
      await app.patch(commentPath(comment), { body: 'secret v2' }, { as: author });
      await buildReaction(comment, author);
      const reply = await buildComment({ discussion, parent: comment, body: 'reply' });
      const res = await app.delete<One>(commentPath(comment), { as: author });
      expect(res.status).to.equal(200);
      expect(res.body.comment).to.include({
        body: '',
        deleted: true,
        edited: false,
        editedAt: null,
        sequence: 1,
      });
      expect(res.body.comment.reactions).to.deep.equal([]);
      const stored = (await CommentModel.findById(comment._id).lean())!;
      expect(stored.body).to.equal('');
      expect(stored.history).to.deep.equal([]);
      expect(String(stored.deletedById)).to.equal(String(author._id));
      expect(JSON.stringify(stored)).not.to.contain('secret');
      expect(await ReactionModel.countDocuments({ commentId: comment._id })).to.equal(0);
      const history = await app.get<History>(commentPath(comment, '/history'), { as: author });
      expect(history.body.items).to.deep.equal([]);
      const list = await app.get<{ items: CommentDto[] }>(
        `/api/discussions/${String(discussion._id)}/comments`,
        { as: author },
      );
      expect(list.body.items.map((c) => [c.id, c.deleted, c.parentId])).to.deep.equal([
        [String(comment._id), true, null],
        [String(reply._id), false, String(comment._id)],
      ]);
      expect((await app.delete(commentPath(comment), { as: author })).status).to.equal(200);
      expect(
        await EventModel.countDocuments({ discussionId: discussion._id, kind: 'comment_deleted' }),
      ).to.equal(1);
      expect(
        (await app.patch(commentPath(comment), { body: 'back' }, { as: author })).status,
      ).to.equal(403);
    });

    it('lets moderators delete; 401, 404 to outsiders, 403 to other members', async () => {
      const { comment, group } = await scene();
      expect((await app.delete(commentPath(comment))).status).to.equal(401);
      expect((await app.delete(commentPath(comment), { as: await buildUser() })).status).to.equal(
        404,
      );
      expect(
        (await app.delete(commentPath(comment), { as: await addMember(group) })).status,
      ).to.equal(403);
      expect((await reloadComment(comment)).deletedAt).to.equal(null);
      const res = await app.delete<One>(commentPath(comment), { as: group.coordinator });
      expect(res.body.comment.deleted).to.equal(true);
      expect(String((await reloadComment(comment)).deletedById)).to.equal(
        String(group.coordinator._id),
      );
    });
  });

  describe('PUT and DELETE /api/comments/:id/reactions/:emoji', () => {
    it('adds idempotently, summarises with mine and the people, removes idempotently', async () => {
      const { discussion, comment } = await scene();
      const a = await addMember(discussion.group);
      const b = await addGuest(discussion);
      const thumbs = encodeURIComponent('👍🏽');
      expect(
        (await app.request<One>('PUT', commentPath(comment, `/reactions/${thumbs}`), { as: a }))
          .status,
      ).to.equal(200);
      await app.request('PUT', commentPath(comment, `/reactions/${thumbs}`), { as: a });
      await app.request('PUT', commentPath(comment, `/reactions/${thumbs}`), { as: b });
      const res = await app.request<One>('PUT', commentPath(comment, '/reactions/:tada:'), {
        as: b,
      });
      expect(res.body.comment.reactions).to.deep.equal([
        {
          emoji: '👍🏽',
          count: 2,
          mine: true,
          users: [
            {
              id: String(a._id),
              name: a.name,
              handle: a.handle,
              avatarUrl: null,
              status: 'active',
            },
            {
              id: String(b._id),
              name: b.name,
              handle: b.handle,
              avatarUrl: null,
              status: 'active',
            },
          ],
        },
        {
          emoji: ':tada:',
          count: 1,
          mine: true,
          users: [
            {
              id: String(b._id),
              name: b.name,
              handle: b.handle,
              avatarUrl: null,
              status: 'active',
            },
          ],
        },
      ]);
      expect(await ReactionModel.countDocuments({ commentId: comment._id })).to.equal(3);
      const removed = await app.delete<One>(commentPath(comment, `/reactions/${thumbs}`), {
        as: a,
      });
      expect(removed.body.comment.reactions[0]).to.include({ count: 1, mine: false });
      expect(
        (await app.delete(commentPath(comment, `/reactions/${thumbs}`), { as: a })).status,
      ).to.equal(200);
      expect(await ReactionModel.countDocuments({ commentId: comment._id })).to.equal(2);
    });

    it('answers 400 for non-emoji, 401, 404 to outsiders, 403 to readers who do not take part', async () => {
      const { author, comment } = await scene();
      for (const bad of ['a', 'ab', '👍👍', ':Not Ok:', `:${'x'.repeat(40)}:`, '$gt']) {
        const res = await app.request<Err>(
          'PUT',
          commentPath(comment, `/reactions/${encodeURIComponent(bad)}`),
          { as: author },
        );
        expect(res.status, bad).to.equal(400);
        expect(res.body.error.field).to.equal('emoji');
      }
      expect((await app.request('PUT', commentPath(comment, '/reactions/:ok:'))).status).to.equal(
        401,
      );
      expect(
        (
          await app.request('PUT', commentPath(comment, '/reactions/:ok:'), {
            as: await buildUser(),
          })
        ).status,
      ).to.equal(404);
      const pub = await buildDiscussion({
        group: await buildGroup({ privacy: 'open' }),
        private: false,
      });
      const c = await buildComment({ discussion: pub });
      expect(
        (await app.request('PUT', commentPath(c, '/reactions/:ok:'), { as: await buildUser() }))
          .status,
      ).to.equal(403);
      expect(
        await ReactionModel.countDocuments({ commentId: { $in: [comment._id, c._id] } }),
      ).to.equal(0);
    });

    it('recognises single emoji graphemes and short names', () => {
      for (const ok of ['👍', '👍🏽', '🇫🇷', '1️⃣', '👨‍👩‍👧', '❤️', ':+1:', ':tada:'])
        expect(isReactionEmoji(ok), ok).to.equal(true);
      for (const bad of ['', 'a', '👍👍', 'tada', '::', ':a b:'])
        expect(isReactionEmoji(bad), bad).to.equal(false);
    });
  });
});
