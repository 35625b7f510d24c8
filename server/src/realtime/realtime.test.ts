import { expect } from 'chai';
import type { AckResponse, DiscussionCatchUp } from '../../../shared/events.js';
import { SESSION_COOKIE } from '../auth/session-token.js';
import mongoose, { Types } from 'mongoose';
import { appendTimelineEvent } from '../commands/timeline.js';
import { CommentModel } from '../models/comment.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { nextComment, nextEvent as next, record, TestClients, watch } from './test-clients.js';

describe('live updates over Socket.IO', () => {
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const socketFor = (user: UserDocument | null) => clients.connect(user);

  it("delivers a coordinator's new comment to a watching member on its timeline entry, presented for the member's view", async () => {
    const group = await buildGroup({ privacy: 'closed' });
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const memberSocket = await socketFor(member);
    const coordinatorSocket = await socketFor(group.coordinator);
    expect(await watch(memberSocket, String(discussion._id))).to.have.property('data');
    expect(await watch(coordinatorSocket, String(discussion._id))).to.have.property('data');

    const memberSeen = record(memberSocket);
    const memberEvent = next(memberSocket, 'timeline:event');
    const coordinatorComment = next(coordinatorSocket, 'comment:upserted');
    const posted = await app.post(
      `/api/discussions/${String(discussion._id)}/comments`,
      { body: 'Shall we start?' },
      { as: group.coordinator },
    );
    expect(posted.status).to.equal(201);

    const event = await memberEvent;
    const seen = event.comment!;
    expect(event).to.include({ kind: 'comment_posted', commentId: seen.id });
    expect(seen.body).to.equal('Shall we start?');
    expect(seen.abilities).to.include({ canEdit: false, canDelete: false, canReply: true });
    expect(JSON.stringify(event)).not.to.include(group.coordinator.email);
    // The author's own copy (their abilities) goes to their own sockets.
    expect((await coordinatorComment).abilities.canDelete).to.equal(true);
    // One message per watcher for a new comment: the entry carries it.
    await app.server.realtime.barrier();
    const about = memberSeen.filter(([name]) => !name.startsWith('presence:'));
    expect(about.map(([name]) => name)).to.deep.equal(['timeline:event']);
  });

  it('reads a comment written elsewhere only for a discussion someone here watches', async () => {
    const group = await buildGroup({ privacy: 'closed' });
    const member = await addMember(group);
    const [watched, unwatched] = [
      await buildDiscussion({ group }),
      await buildDiscussion({ group }),
    ];
    const memberSocket = await socketFor(member);
    expect(await watch(memberSocket, String(watched._id))).to.have.property('data');
    // As another process (or an import) writes them: this process never posted them.
    const writeElsewhere = async (discussion: typeof watched, body: string) => {
      const _id = new Types.ObjectId();
      await mongoose.connection.transaction(async (session) => {
        const event = await appendTimelineEvent(
          {
            discussionId: discussion._id,
            kind: 'comment_posted',
            actorId: group.coordinator._id,
            commentId: _id,
          },
          session,
        );
        await CommentModel.create(
          [
            {
              _id,
              discussionId: discussion._id,
              authorId: group.coordinator._id,
              body,
              sequence: event.sequence,
            },
          ],
          { session },
        );
      });
      return _id;
    };
    const asked: string[] = [];
    const findById = CommentModel.findById.bind(CommentModel);
    CommentModel.findById = ((id: unknown, ...rest: []) => {
      asked.push(String(id));
      return findById(id, ...rest);
    }) as typeof CommentModel.findById;
    try {
      const delivered = nextComment(memberSocket, (c) => c.body === 'Seen here');
      const [unseen, seen] = [
        await writeElsewhere(unwatched, 'Nobody here watches'),
        await writeElsewhere(watched, 'Seen here'),
      ];
      expect((await delivered).id).to.equal(String(seen));
      await app.server.realtime.barrier();
      expect(asked).to.include(String(seen));
      expect(asked, 'the unwatched discussion’s comment is not read').not.to.include(
        String(unseen),
      );
    } finally {
      delete (CommentModel as { findById?: unknown }).findById;
    }
  });

  it("keeps only ids and rights of a socket's person, never their document or password hash", async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    await socketFor(member);
    const [socket] = [...app.server.realtime.io.of('/').sockets.values()].filter(
      (s) => String(s.data.viewer.user?._id) === String(member._id),
    );
    const user = socket.data.viewer.user!;
    expect(Object.keys(user).sort()).to.deep.equal([
      '_id',
      'avatarId',
      'deactivatedAt',
      'deletedAt',
      'handle',
      'isAdmin',
      'name',
      'tokenVersion',
    ]);
    expect(user).not.to.have.property('passwordHash');
    expect(JSON.stringify(socket.data.viewer.user)).not.to.include(member.email);
    expect(socket.data.viewer.roles.get(String(group._id))).to.equal('member');
  });

  it('refuses to let an outsider or a visitor watch a private discussion (not_found), and delivers nothing to them', async () => {
    const discussion = await buildDiscussion({ group: await buildGroup({ privacy: 'closed' }) });
    const outsider = await socketFor(await buildUser());
    const visitor = await socketFor(null);
    for (const socket of [outsider, visitor]) {
      const reply = await watch(socket, String(discussion._id));
      expect(reply).to.deep.equal({ error: { id: 'not_found', message: 'Discussion not found' } });
    }
    let leaked = false;
    for (const socket of [outsider, visitor]) socket.onAny(() => (leaked = true));
    await app.post(
      `/api/discussions/${String(discussion._id)}/comments`,
      { body: 'members only' },
      { as: discussion.group.coordinator! },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(leaked).to.equal(false);
  });

  it('lets a signed-out visitor watch a public discussion live', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const discussion = await buildDiscussion({ group, private: false });
    const visitor = await socketFor(null);
    expect(await watch(visitor, String(discussion._id))).to.have.property('data');
    const received = nextComment(visitor);
    await app.post(
      `/api/discussions/${String(discussion._id)}/comments`,
      { body: 'Everyone welcome' },
      { as: group.coordinator },
    );
    const comment = await received;
    expect(comment.body).to.equal('Everyone welcome');
    expect(comment.abilities).to.deep.equal({
      canEdit: false,
      canDelete: false,
      canReact: false,
      canReply: false,
    });
  });

  it('catches a reconnecting client up with exactly what it missed, in order', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const first = await socketFor(member);
    const initial = await watch(first, String(discussion._id));
    const seenUpTo = (initial as { data: DiscussionCatchUp }).data.lastSequence;
    first.disconnect();
    for (const body of ['one', 'two', 'three']) {
      await app.post(
        `/api/discussions/${String(discussion._id)}/comments`,
        { body },
        { as: group.coordinator },
      );
    }
    const again = await socketFor(member);
    const reply = (await watch(again, String(discussion._id), seenUpTo)) as {
      data: DiscussionCatchUp;
    };
    expect(reply.data.events.map((e) => e.sequence)).to.deep.equal([
      seenUpTo + 1,
      seenUpTo + 2,
      seenUpTo + 3,
    ]);
    expect(reply.data.comments.map((c) => c.body)).to.deep.equal(['one', 'two', 'three']);
    expect(reply.data.lastSequence).to.equal(seenUpTo + 3);
    expect(reply.data.truncated).to.equal(false);
  });

  it('gives a client already at the last sequence (a page just loaded) an empty catch-up, then every later entry live once', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    for (const body of ['one', 'two'])
      await app.post(`/api/discussions/${id}/comments`, { body }, { as: group.coordinator });
    const loaded = (await app.get(`/api/discussions/${id}`, { as: member })).body as {
      discussion: { lastSequence: number };
    };
    const last = loaded.discussion.lastSequence;
    expect(last).to.be.greaterThan(0);
    const socket = await socketFor(member);
    const seen = record(socket);
    const reply = (await watch(socket, id, last)) as { data: DiscussionCatchUp };
    expect(reply.data).to.include({ lastSequence: last, truncated: false });
    expect(reply.data.events).to.deep.equal([]);
    expect(reply.data.comments).to.deep.equal([]);
    // A position past the discussion's (a restored database) continues from the discussion's.
    const ahead = (await watch(await socketFor(member), id, last + 50)) as {
      data: DiscussionCatchUp;
    };
    expect(ahead.data).to.include({ lastSequence: last, truncated: false });
    await app.post(`/api/discussions/${id}/comments`, { body: 'three' }, { as: group.coordinator });
    expect((await nextComment(socket)).body).to.equal('three');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const entries = seen.filter(([event]) => event === 'timeline:event');
    expect(entries.map(([, entry]) => (entry as { sequence: number }).sequence)).to.deep.equal([
      last + 1,
    ]);
  });

  it('answers malformed watch requests with a validation error naming the field', async () => {
    const socket = await socketFor(await buildUser());
    const reply = await new Promise<AckResponse<DiscussionCatchUp>>((resolve) =>
      socket.emit('discussion:watch', { discussionId: { $ne: null } } as never, resolve),
    );
    expect(reply).to.have.nested.property('error.id', 'validation_error');
    expect(reply).to.have.nested.property('error.field', 'discussionId');
  });

  it('accepts the session cookie in the handshake and refuses other origins', async () => {
    const user = await buildUser();
    const group = await buildGroup();
    await addMember(group, user);
    const discussion = await buildDiscussion({ group });
    const socket = await clients.connect(null, {
      headers: { cookie: `${SESSION_COOKIE}=${app.tokenFor(user)}` },
    });
    expect(await watch(socket, String(discussion._id))).to.have.property('data');
    const refused = await clients
      .connect(null, { headers: { origin: 'https://evil.example' } })
      .then(
        () => false,
        () => true,
      );
    expect(refused).to.equal(true);
  });

  it('carries reactions live', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const posted = await app.post<{ comment: { id: string } }>(
      `/api/discussions/${String(discussion._id)}/comments`,
      { body: 'React to me' },
      { as: group.coordinator },
    );
    const memberSocket = await socketFor(member);
    await watch(memberSocket, String(discussion._id));
    const updated = next(memberSocket, 'comment:upserted');
    const reacted = await app.request(
      'PUT',
      `/api/comments/${posted.body.comment.id}/reactions/${encodeURIComponent('👍')}`,
      {
        as: group.coordinator,
      },
    );
    expect(reacted.status).to.be.within(200, 204);
    const comment = await updated;
    expect(comment.reactions).to.have.length(1);
    expect(comment.reactions[0]).to.include({ emoji: '👍', count: 1 });
  });

  it('sends a closed discussion to its watchers, as their view sees it, without personal read state', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const memberSocket = await socketFor(member);
    await watch(memberSocket, String(discussion._id));
    const updated = next(memberSocket, 'discussion:upserted');
    const closed = await app.post(
      `/api/discussions/${String(discussion._id)}/close`,
      {},
      { as: group.coordinator },
    );
    expect(closed.status).to.equal(200);
    const seen = await updated;
    expect(seen).to.include({ id: String(discussion._id), closed: true, readState: null });
    expect(seen.abilities).to.include({ canComment: false, canModerate: false });
  });
});
