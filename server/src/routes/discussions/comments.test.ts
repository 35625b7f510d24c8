import { expect } from 'chai';
import { CommentModel } from '../../models/comment.js';
import { DiscussionModel } from '../../models/discussion.js';
import { EventModel } from '../../models/event.js';
import { NotificationModel } from '../../models/notification.js';
import type { CommentDto } from '../../presenters/comment.js';
import { buildComment } from '../../test/factories-discussions.js';
import {
  addGuest,
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';

type One = { comment: CommentDto };
type List = { items: CommentDto[]; nextCursor: string | null };
type Err = { error: { id: string; field?: string } };

describe('discussion comments: POST and GET /api/discussions/:id/comments', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const commentsPath = (d: { _id: unknown }) => `/api/discussions/${String(d._id)}/comments`;

  describe('POST', () => {
    it('creates the comment with the sequence of its comment_posted event', async () => {
      const discussion = await buildDiscussion();
      const member = await addMember(discussion.group);
      const res = await app.post<One>(commentsPath(discussion), { body: 'First!' }, { as: member });
      expect(res.status).to.equal(201);
      expect(res.body.comment).to.include({
        body: 'First!',
        deleted: false,
        edited: false,
        parentId: null,
        sequence: 1,
      });
      expect(res.body.comment.author.id).to.equal(String(member._id));
      expect(res.body.comment.abilities).to.deep.equal({
        canEdit: true,
        canDelete: true,
        canReact: true,
        canReply: true,
      });
      const event = await EventModel.findOne({ discussionId: discussion._id }).lean();
      expect(event).to.include({ kind: 'comment_posted', sequence: 1 });
      expect(String(event!.commentId)).to.equal(res.body.comment.id);
      expect((await DiscussionModel.findById(discussion._id))!.lastSequence).to.equal(1);
    });

    it('is idempotent with a clientId: two posts, one comment, one event, the retry answered 200', async () => {
      const discussion = await buildDiscussion();
      const as = { as: discussion.group.coordinator };
      const first = await app.post<One>(
        commentsPath(discussion),
        { body: 'Once', clientId: 'c-1' },
        as,
      );
      const retry = await app.post<One>(
        commentsPath(discussion),
        { body: 'Once', clientId: 'c-1' },
        as,
      );
      expect([first.status, retry.status]).to.deep.equal([201, 200]);
      expect(retry.body.comment.id).to.equal(first.body.comment.id);
      expect(retry.body.comment.clientId).to.equal('c-1');
      // The first answer is presented from memory, the retry's from the database: the same.
      expect(retry.body.comment).to.deep.equal(first.body.comment);
      expect(await CommentModel.countDocuments({ discussionId: discussion._id })).to.equal(1);
      expect(await EventModel.countDocuments({ discussionId: discussion._id })).to.equal(1);
      // The refused retry's transaction left no gap in the timeline.
      const next = await app.post<One>(commentsPath(discussion), { body: 'Next' }, as);
      expect(next.body.comment.sequence).to.equal(first.body.comment.sequence + 1);
    });

    it('refuses (409) a clientId its author already used in another discussion', async () => {
      const group = await buildGroup();
      const [one, two] = [await buildDiscussion({ group }), await buildDiscussion({ group })];
      const as = { as: group.coordinator };
      expect((await app.post(commentsPath(one), { body: 'a', clientId: 'k' }, as)).status).to.equal(
        201,
      );
      const res = await app.post<Err>(commentsPath(two), { body: 'a', clientId: 'k' }, as);
      expect(res.status).to.equal(409);
      expect(res.body.error.id).to.equal('conflict');
      expect(await CommentModel.countDocuments({ discussionId: two._id })).to.equal(0);
      // Another author may use the same client id.
      const member = await addMember(group);
      expect(
        (await app.post(commentsPath(two), { body: 'b', clientId: 'k' }, { as: member })).status,
      ).to.equal(201);
    });

    it('stays idempotent when the retries race', async () => {
      const discussion = await buildDiscussion();
      const as = { as: discussion.group.coordinator };
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          app.post<One>(commentsPath(discussion), { body: 'Race', clientId: 'same' }, as),
        ),
      );
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.comment.id)).size).to.equal(1);
      expect(await CommentModel.countDocuments({ discussionId: discussion._id })).to.equal(1);
      expect(await EventModel.countDocuments({ discussionId: discussion._id })).to.equal(1);
    });

    it('numbers 20 concurrent posts strictly increasing and without gaps', async () => {
      const discussion = await buildDiscussion();
      const members = await Promise.all(
        Array.from({ length: 4 }, () => addMember(discussion.group)),
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          app.post<One>(commentsPath(discussion), { body: `n${i}` }, { as: members[i % 4] }),
        ),
      );
      expect(results.every((r) => r.status === 201)).to.equal(true);
      const sequences = results.map((r) => r.body.comment.sequence).sort((a, b) => a - b);
      expect(sequences).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
      const events = await EventModel.find({ discussionId: discussion._id })
        .sort({ sequence: 1 })
        .lean();
      expect(events.map((e) => e.sequence)).to.deep.equal(sequences);
      const comments = await CommentModel.find({ discussionId: discussion._id }).lean();
      for (const comment of comments) {
        expect(String(events[comment.sequence - 1].commentId)).to.equal(String(comment._id));
      }
      expect((await DiscussionModel.findById(discussion._id))!.lastSequence).to.equal(20);
    });

    it('notifies mentioned readers and the parent author, and nobody who cannot read the discussion', async () => {
      const discussion = await buildDiscussion();
      const parentAuthor = await addMember(discussion.group);
      const mentioned = await addMember(discussion.group);
      const outsider = await buildUser();
      const writer = await addMember(discussion.group);
      const parent = await buildComment({ discussion, author: parentAuthor });
      const res = await app.post<One>(
        commentsPath(discussion),
        {
          body: `Yes @${mentioned.handle.toUpperCase()}, and @${outsider.handle} @${writer.handle} @nobody-here`,
          parentId: String(parent._id),
        },
        { as: writer },
      );
      expect(res.status).to.equal(201);
      expect(res.body.comment.parentId).to.equal(String(parent._id));
      const notes = await NotificationModel.find({ commentId: res.body.comment.id }).lean();
      expect(notes.map((n) => [String(n.userId), n.kind]).sort()).to.deep.equal(
        [
          [String(mentioned._id), 'mention'],
          [String(parentAuthor._id), 'reply'],
        ].sort(),
      );
      expect(notes.every((n) => String(n.actorId) === String(writer._id))).to.equal(true);
    });

    it('answers 400 for bad input, including operators, a foreign parent and a long clientId', async () => {
      const discussion = await buildDiscussion();
      const elsewhere = await buildComment();
      const as = { as: discussion.group.coordinator };
      const cases: [unknown, string][] = [
        [{ body: '' }, 'body'],
        [{ body: '   ' }, 'body'],
        [{ body: 'x'.repeat(20_001) }, 'body'],
        [{ body: { $ne: 1 } }, 'body.$ne'],
        [{ body: 'x', parentId: String(elsewhere._id) }, 'parentId'],
        [{ body: 'x', parentId: 'nope' }, 'parentId'],
        [{ body: 'x', clientId: 'c'.repeat(65) }, 'clientId'],
      ];
      for (const [body, field] of cases) {
        const res = await app.post<Err>(commentsPath(discussion), body, as);
        expect(res.status, field).to.equal(400);
        expect(res.body.error.field).to.equal(field);
      }
      expect(await CommentModel.countDocuments({ discussionId: discussion._id })).to.equal(0);
      expect((await DiscussionModel.findById(discussion._id))!.lastSequence).to.equal(0);
    });

    it('answers 413 payload_too_large to a 10 MB body, and keeps serving', async () => {
      const discussion = await buildDiscussion();
      const res = await app.request<Err>('POST', commentsPath(discussion), {
        raw: JSON.stringify({ body: 'x'.repeat(10 * 1024 * 1024) }),
        as: discussion.group.coordinator,
      });
      expect(res.status).to.equal(413);
      expect(res.body.error.id).to.equal('payload_too_large');
      expect(
        (
          await app.post(
            commentsPath(discussion),
            { body: 'still here' },
            { as: discussion.group.coordinator },
          )
        ).status,
      ).to.equal(201);
    });

    it('answers 401, 404 to outsiders, 403 to readers who do not take part and on closed discussions', async () => {
      const open = await buildGroup({ privacy: 'open' });
      const pub = await buildDiscussion({ group: open, private: false });
      const priv = await buildDiscussion({ group: await buildGroup({ privacy: 'closed' }) });
      expect((await app.post(commentsPath(pub), { body: 'x' })).status).to.equal(401);
      expect(
        (await app.post(commentsPath(priv), { body: 'x' }, { as: await buildUser() })).status,
      ).to.equal(404);
      expect(
        (await app.post(commentsPath(pub), { body: 'x' }, { as: await buildUser() })).status,
      ).to.equal(403);
      const closed = await buildDiscussion({ closedAt: new Date() });
      expect(
        (await app.post(commentsPath(closed), { body: 'x' }, { as: closed.group.coordinator }))
          .status,
      ).to.equal(403);
      const guest = await addGuest(priv);
      expect(
        (await app.post(commentsPath(priv), { body: 'guest here' }, { as: guest })).status,
      ).to.equal(201);
    });
  });

  describe('GET', () => {
    it('lists in sequence order after a sequence, threaded, with deleted comments keeping their place', async () => {
      const discussion = await buildDiscussion();
      const a = await buildComment({ discussion, body: 'a' });
      const b = await buildComment({ discussion, body: 'b', parent: a });
      await buildComment({ discussion, body: 'c' });
      await CommentModel.updateOne({ _id: b._id }, { deletedAt: new Date(), body: '' });
      const page1 = await app.get<List>(`${commentsPath(discussion)}?limit=2`, {
        as: discussion.group.coordinator,
      });
      expect(page1.status).to.equal(200);
      expect(page1.body.items.map((c) => [c.body, c.deleted, c.parentId])).to.deep.equal([
        ['a', false, null],
        ['', true, String(a._id)],
      ]);
      const page2 = await app.get<List>(
        `${commentsPath(discussion)}?limit=2&cursor=${page1.body.nextCursor}`,
        { as: discussion.group.coordinator },
      );
      expect(page2.body.items.map((c) => c.body)).to.deep.equal(['c']);
      expect(page2.body.nextCursor).to.equal(null);
      const after = await app.get<List>(`${commentsPath(discussion)}?after=2`, {
        as: discussion.group.coordinator,
      });
      expect(after.body.items.map((c) => c.sequence)).to.deep.equal([3]);
    });

    it('shows public discussions to visitors and hides private ones (404); 400 on a bad cursor', async () => {
      const open = await buildGroup({ privacy: 'open' });
      const pub = await buildDiscussion({ group: open, private: false });
      await buildComment({ discussion: pub });
      const res = await app.get<List>(commentsPath(pub));
      expect(res.status).to.equal(200);
      expect(res.body.items[0].abilities).to.deep.equal({
        canEdit: false,
        canDelete: false,
        canReact: false,
        canReply: false,
      });
      expect(res.body.items[0].clientId).to.equal(null);
      const priv = await buildDiscussion({ group: open, private: true });
      expect((await app.get(commentsPath(priv))).status).to.equal(404);
      expect((await app.get(`${commentsPath(pub)}?after=-1`)).status).to.equal(400);
      expect((await app.get(`${commentsPath(pub)}?cursor[$gt]=1`)).status).to.equal(400);
    });
  });
});
