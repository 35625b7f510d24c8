import { expect } from 'chai';
import { DiscussionModel } from '../../models/discussion.js';
import { EventModel } from '../../models/event.js';
import {
  addGuest,
  addMember,
  buildDiscussion,
  buildGroup,
  buildUser,
} from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { DiscussionDto } from '../../presenters/discussion.js';

type One = { discussion: DiscussionDto };
type List = { items: DiscussionDto[]; nextCursor: string | null };
type Err = { error: { id: string; field?: string } };

describe('discussions: start, list, read, edit', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  describe('POST /api/discussions', () => {
    it('starts a discussion with its first timeline event and the author abilities', async () => {
      const group = await buildGroup({ privacy: 'open' });
      const member = await addMember(group);
      const res = await app.post<One>(
        '/api/discussions',
        { groupId: String(group._id), title: ' Lunch? ', context: '**Where**' },
        { as: member },
      );
      expect(res.status).to.equal(201);
      const d = res.body.discussion;
      expect(d).to.include({
        title: 'Lunch?',
        context: '**Where**',
        private: false,
        lastSequence: 1,
        closed: false,
        pinned: false,
      });
      expect(d.author).to.deep.equal({
        id: String(member._id),
        name: member.name,
        handle: member.handle,
        avatarUrl: null,
        status: 'active',
      });
      expect(d.group).to.deep.equal({
        id: String(group._id),
        handle: group.handle,
        name: group.name,
        privacy: 'open',
      });
      expect(d.abilities).to.include({
        canComment: true,
        canEdit: true,
        canPin: false,
        canMove: false,
        canMarkRead: true,
      });
      expect(d.readState).to.deep.equal({ lastReadSequence: 0, unreadCount: 1 });
      const events = await EventModel.find({ discussionId: d.id }).lean();
      expect(events.map((e) => [e.kind, e.sequence])).to.deep.equal([['discussion_started', 1]]);
    });

    it('derives privacy: always private in closed and secret groups, the author chooses in open ones', async () => {
      for (const privacy of ['closed', 'secret'] as const) {
        const group = await buildGroup({ privacy });
        const res = await app.post<One>(
          '/api/discussions',
          { groupId: String(group._id), title: 'T', private: false },
          { as: group.coordinator },
        );
        expect(res.status).to.equal(201);
        expect(res.body.discussion.private).to.equal(true);
      }
      const open = await buildGroup({ privacy: 'open' });
      const chosen = await app.post<One>(
        '/api/discussions',
        { groupId: String(open._id), title: 'T', private: true },
        { as: open.coordinator },
      );
      expect(chosen.body.discussion.private).to.equal(true);
      expect((await DiscussionModel.findById(chosen.body.discussion.id))!.private).to.equal(true);
    });

    it('answers 400 for bad input, naming the field, including operator keys', async () => {
      const group = await buildGroup();
      const as = { as: group.coordinator };
      const cases: [unknown, string][] = [
        [{ groupId: String(group._id), title: '' }, 'title'],
        [{ groupId: String(group._id), title: 'x'.repeat(201) }, 'title'],
        [{ groupId: String(group._id), title: 'T', context: 'x'.repeat(100_001) }, 'context'],
        [{ groupId: 'nope', title: 'T' }, 'groupId'],
        [{ groupId: String(group._id), title: { $gt: '' } }, 'title.$gt'],
        [{ groupId: String(group._id), title: 'T', extra: 1 }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await app.post<Err>('/api/discussions', body, as);
        expect(res.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
        expect(res.body.error.id).to.equal('validation_error');
        if (field !== 'body') expect(res.body.error.field).to.equal(field);
      }
      expect(await DiscussionModel.countDocuments({ groupId: group._id })).to.equal(0);
    });

    it('answers 401 to visitors, 404 for a secret group one does not belong to, 403 without the permission', async () => {
      const secret = await buildGroup({ privacy: 'secret' });
      expect(
        (await app.post('/api/discussions', { groupId: String(secret._id), title: 'T' })).status,
      ).to.equal(401);
      const outsider = await buildUser();
      expect(
        (
          await app.post(
            '/api/discussions',
            { groupId: String(secret._id), title: 'T' },
            { as: outsider },
          )
        ).status,
      ).to.equal(404);
      const closed = await buildGroup({ privacy: 'closed' });
      expect(
        (
          await app.post(
            '/api/discussions',
            { groupId: String(closed._id), title: 'T' },
            { as: outsider },
          )
        ).status,
      ).to.equal(403);
      const strict = await buildGroup({
        permissions: { membersCanStartDiscussions: false } as never,
      });
      const member = await addMember(strict);
      const res = await app.post<Err>(
        '/api/discussions',
        { groupId: String(strict._id), title: 'T' },
        { as: member },
      );
      expect(res.status).to.equal(403);
      expect(res.body.error.id).to.equal('authorization_error');
      expect(
        await DiscussionModel.countDocuments({
          groupId: { $in: [secret._id, closed._id, strict._id] },
        }),
      ).to.equal(0);
    });
  });

  describe('GET /api/discussions/:id', () => {
    it('shows a public discussion to visitors, without read state, abilities all off', async () => {
      const group = await buildGroup({ privacy: 'open' });
      const discussion = await buildDiscussion({ group, private: false });
      const res = await app.get<One>(`/api/discussions/${String(discussion._id)}`);
      expect(res.status).to.equal(200);
      expect(res.body.discussion.id).to.equal(String(discussion._id));
      expect(res.body.discussion.readState).to.equal(null);
      expect(Object.values(res.body.discussion.abilities).every((v) => v === false)).to.equal(true);
    });

    it('answers 404 (not 403) to visitors and outsiders for private discussions, and for malformed ids', async () => {
      const open = await buildGroup({ privacy: 'open' });
      const privateInOpen = await buildDiscussion({ group: open, private: true });
      const closed = await buildDiscussion({ group: await buildGroup({ privacy: 'closed' }) });
      const secret = await buildDiscussion({ group: await buildGroup({ privacy: 'secret' }) });
      const outsider = await buildUser();
      for (const d of [privateInOpen, closed, secret]) {
        const visitor = await app.get<Err>(`/api/discussions/${String(d._id)}`);
        expect(visitor.status).to.equal(404);
        expect(visitor.body.error.id).to.equal('not_found');
        expect(
          (await app.get(`/api/discussions/${String(d._id)}`, { as: outsider })).status,
        ).to.equal(404);
      }
      expect((await app.get('/api/discussions/not-an-id')).status).to.equal(404);
      expect((await app.get('/api/discussions/0123456789abcdef01234567')).status).to.equal(404);
    });

    it('lets a guest read the discussion they were invited to, but not its siblings', async () => {
      const group = await buildGroup({ privacy: 'closed' });
      const invited = await buildDiscussion({ group });
      const sibling = await buildDiscussion({ group });
      const guest = await addGuest(invited);
      const res = await app.get<One>(`/api/discussions/${String(invited._id)}`, { as: guest });
      expect(res.status).to.equal(200);
      expect(res.body.discussion.abilities).to.include({
        canComment: true,
        canPin: false,
        canModerate: false,
      });
      expect(res.body.discussion.readState).to.deep.equal({ lastReadSequence: 0, unreadCount: 0 });
      expect(
        (await app.get(`/api/discussions/${String(sibling._id)}`, { as: guest })).status,
      ).to.equal(404);
    });
  });

  describe('GET /api/discussions?groupId=', () => {
    it('lists pinned first, then newest activity first, across pages', async () => {
      const group = await buildGroup({ privacy: 'closed' });
      const member = await addMember(group);
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          await buildDiscussion({ group, lastActivityAt: new Date(Date.UTC(2024, 0, 1 + i)) }),
        );
      }
      await DiscussionModel.updateOne({ _id: made[1]._id }, { pinnedAt: new Date() });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: List } = await app.get<List>(
          `/api/discussions?groupId=${String(group._id)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { as: member },
        );
        expect(res.status).to.equal(200);
        expect(res.body.items.length).to.be.at.most(2);
        seen.push(...res.body.items.map((d) => d.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).to.deep.equal(
        [made[1], made[4], made[3], made[2], made[0]].map((d) => String(d._id)),
      );
    });

    it('lists only what the viewer may read', async () => {
      const open = await buildGroup({ privacy: 'open' });
      const pub = await buildDiscussion({ group: open, private: false });
      const priv = await buildDiscussion({ group: open, private: true });
      const guest = await addGuest(priv);
      const ids = async (as?: Parameters<TestApp['get']>[1]) =>
        (await app.get<List>(`/api/discussions?groupId=${String(open._id)}`, as)).body.items.map(
          (d) => d.id,
        );
      expect(await ids()).to.deep.equal([String(pub._id)]);
      expect(await ids({ as: guest })).to.have.members([String(pub._id), String(priv._id)]);
      expect(await ids({ as: open.coordinator })).to.have.members([
        String(pub._id),
        String(priv._id),
      ]);

      const closed = await buildGroup({ privacy: 'closed' });
      await buildDiscussion({ group: closed });
      expect(
        (await app.get<List>(`/api/discussions?groupId=${String(closed._id)}`)).body.items,
      ).to.deep.equal([]);
    });

    it('answers 404 for a secret group the viewer cannot see and 400 for bad queries', async () => {
      const secret = await buildGroup({ privacy: 'secret' });
      await buildDiscussion({ group: secret });
      expect((await app.get(`/api/discussions?groupId=${String(secret._id)}`)).status).to.equal(
        404,
      );
      expect(
        (await app.get(`/api/discussions?groupId=${String(secret._id)}`, { as: await buildUser() }))
          .status,
      ).to.equal(404);
      expect(
        (
          await app.get(`/api/discussions?groupId=${String(secret._id)}`, {
            as: secret.coordinator,
          })
        ).status,
      ).to.equal(200);
      expect((await app.get<Err>('/api/discussions')).body.error.field).to.equal('groupId');
      expect(
        (
          await app.get(`/api/discussions?groupId=${String(secret._id)}&cursor=zzz`, {
            as: secret.coordinator,
          })
        ).status,
      ).to.equal(400);
      expect((await app.get(`/api/discussions?groupId[$ne]=x`)).status).to.equal(400);
    });
  });

  describe('PATCH /api/discussions/:id', () => {
    it('lets the author edit title and context, with a discussion_edited event', async () => {
      const group = await buildGroup();
      const author = await addMember(group);
      const discussion = await buildDiscussion({ group, author });
      const res = await app.patch<One>(
        `/api/discussions/${String(discussion._id)}`,
        { title: 'New', context: 'More' },
        { as: author },
      );
      expect(res.status).to.equal(200);
      expect(res.body.discussion).to.include({ title: 'New', context: 'More', lastSequence: 1 });
      expect((await DiscussionModel.findById(discussion._id))!.title).to.equal('New');
      expect((await EventModel.findOne({ discussionId: discussion._id }))!.kind).to.equal(
        'discussion_edited',
      );
    });

    it('answers 400, 401, 404 and 403 as it should', async () => {
      const group = await buildGroup();
      const discussion = await buildDiscussion({ group });
      const path = `/api/discussions/${String(discussion._id)}`;
      expect((await app.patch(path, {}, { as: group.coordinator })).status).to.equal(400);
      expect(
        (await app.patch(path, { title: { $set: 'x' } }, { as: group.coordinator })).status,
      ).to.equal(400);
      expect((await app.patch(path, { title: 'x' })).status).to.equal(401);
      expect((await app.patch(path, { title: 'x' }, { as: await buildUser() })).status).to.equal(
        404,
      );
      expect(
        (await app.patch(path, { title: 'x' }, { as: await addMember(group) })).status,
      ).to.equal(403);
      expect((await DiscussionModel.findById(discussion._id))!.title).to.equal(discussion.title);
    });
  });
});
