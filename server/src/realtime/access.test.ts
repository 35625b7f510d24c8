import { expect } from 'chai';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { nextComment, record, TestClients, watch } from './test-clients.js';

describe('live access follows rights as they change', () => {
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

  function within<T>(promise: Promise<T>, ms = 3000): Promise<T> {
    return Promise.race([
      promise,
      new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms)),
    ]);
  }

  it('takes a removed member out of the discussion at once, tells them why, and sends them nothing more', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const socket = await watching(member, id);
    const revoked = new Promise<unknown>((resolve) => socket.once('access:revoked', resolve));
    let leaked = false;
    const removed = await app.delete(
      `/api/groups/${String(group._id)}/members/${String(member._id)}`,
      { as: group.coordinator },
    );
    expect(removed.status).to.equal(204);
    expect(await within(revoked)).to.deep.equal({ discussionId: id, reason: 'access_removed' });
    socket.on('comment:upserted', () => (leaked = true));
    socket.on('timeline:event', () => (leaked = true));
    await app.post(
      `/api/discussions/${id}/comments`,
      { body: 'after the removal' },
      { as: group.coordinator },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(leaked).to.equal(false);
  });

  it('moves a promoted member to the coordinator view', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const author = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const id = String(discussion._id);
    const socket = await watching(member, id);
    const promoted = await app.post(
      `/api/groups/${String(group._id)}/members/${String(member._id)}/promote`,
      {},
      { as: group.coordinator },
    );
    expect(promoted.status).to.equal(200);
    // The promotion reaches this process through the feed; wait until a comment shows moderator abilities.
    const deadline = Date.now() + 3000;
    let canDelete = false;
    while (!canDelete && Date.now() < deadline) {
      const next = nextComment(socket);
      await app.post(`/api/discussions/${id}/comments`, { body: 'moderate me' }, { as: author });
      canDelete = (await within(next)).abilities.canDelete;
    }
    expect(canDelete).to.equal(true);
  });

  it('disconnects every socket of a user who signs out everywhere', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const socket = await watching(member, String(discussion._id));
    const notice = new Promise<unknown>((resolve) => socket.once('access:revoked', resolve));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const res = await app.post('/api/auth/signout-everywhere', {}, { as: member });
    expect(res.status).to.equal(204);
    expect(await within(notice)).to.deep.equal({ reason: 'signed_out' });
    expect(await within(closed)).to.equal('io server disconnect');
  });

  it('evicts visitors when a public discussion becomes private by moving to a closed group', async () => {
    const coordinator = await buildUser();
    const open = await buildGroup({ privacy: 'open', coordinator });
    const closed = await buildGroup({ privacy: 'closed', coordinator });
    const discussion = await buildDiscussion({ group: open, private: false });
    const id = String(discussion._id);
    const visitor = await clients.connect(null);
    await watch(visitor, id);
    const revoked = new Promise<unknown>((resolve) => visitor.once('access:revoked', resolve));
    const moved = await app.post(
      `/api/discussions/${id}/move`,
      { groupId: String(closed._id) },
      { as: coordinator },
    );
    expect(moved.status).to.equal(200);
    expect(await within(revoked)).to.deep.equal({ discussionId: id, reason: 'access_removed' });
  });
  it('evicts visitors and non-members from every discussion of an open group that turns closed, before any poll update or presence reaches them', async () => {
    const coordinator = await buildUser();
    const group = await buildGroup({ privacy: 'open', coordinator });
    const outsider = await buildUser();
    const discussions = [
      await buildDiscussion({ group, private: false }),
      await buildDiscussion({ group, private: false }),
    ];
    const ids = discussions.map((d) => String(d._id));
    const poll = await buildPoll({ discussion: discussions[1] });
    const visitor = await clients.connect(null);
    const nonMember = await clients.connect(outsider);
    for (const id of ids) {
      expect(await watch(visitor, id)).to.have.property('data');
      expect(await watch(nonMember, id)).to.have.property('data');
    }
    const seenByVisitor = record(visitor);
    const seenByOutsider = record(nonMember);
    const changed = await app.patch(
      `/api/groups/${String(group._id)}`,
      { privacy: 'closed' },
      { as: coordinator },
    );
    expect(changed.status).to.equal(200);
    await app.server.realtime.barrier();
    // Both discussions at once, with no comment passing: the group's change alone decides.
    for (const seen of [seenByVisitor, seenByOutsider]) {
      const revoked = seen.filter(([event]) => event === 'access:revoked').map(([, p]) => p);
      expect(revoked).to.deep.include.members(
        ids.map((discussionId) => ({ discussionId, reason: 'access_removed' })),
      );
    }
    seenByVisitor.length = 0;
    seenByOutsider.length = 0;
    // A poll change and a member arriving (presence) reach neither socket any more.
    const edited = await app.patch(
      `/api/polls/${String(poll._id)}`,
      { title: 'Now for members only' },
      { as: coordinator },
    );
    expect(edited.status).to.equal(200);
    const member = await addMember(group);
    await clients.watching(member, ids[1]);
    await app.server.realtime.barrier();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seenByVisitor).to.deep.equal([]);
    expect(seenByOutsider).to.deep.equal([]);
  });
});
