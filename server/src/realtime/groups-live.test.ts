import { expect } from 'chai';
import type { AckResponse, GroupWatch } from '../../../shared/events.js';
import type { GroupDocument } from '../models/group.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { arrival, record, TestClients, watchGroup, type Client } from './test-clients.js';

describe('group lists and inboxes live', () => {
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  async function watchingGroup(user: UserDocument | null, group: GroupDocument) {
    const socket = await clients.connect(user);
    const seen = record(socket);
    const reply = await watchGroup(socket, String(group._id));
    if (!('data' in reply)) throw new Error(`group:watch refused: ${reply.error.id}`);
    return { socket, seen, view: reply.data.view };
  }

  const start = (group: GroupDocument, as: UserDocument, extra: Record<string, unknown> = {}) =>
    app.post<{ discussion: { id: string } }>(
      '/api/discussions',
      { groupId: String(group._id), title: 'Where next?', ...extra },
      { as },
    );

  const upserted = (id: string) => (event: string, p: Record<string, unknown>) =>
    event === 'discussion:upserted' && p.id === id;

  it('answers group:watch with the view, validates like REST and hides secret groups (not_found)', async () => {
    const group = await buildGroup({ privacy: 'secret' });
    const member = await addMember(group);
    const member_ = await watchingGroup(member, group);
    expect(member_.view).to.equal('member');
    expect((await watchingGroup(group.coordinator, group)).view).to.equal('coordinator');
    const outsider = await clients.connect(await buildUser());
    expect(await watchGroup(outsider, String(group._id))).to.deep.equal({
      error: { id: 'not_found', message: 'Group not found' },
    });
    const malformed = await new Promise<AckResponse<GroupWatch>>((resolve) =>
      outsider.emit('group:watch', { groupId: { $gt: '' } } as never, resolve),
    );
    expect(malformed).to.have.nested.property('error.id', 'validation_error');
    expect(malformed).to.have.nested.property('error.field', 'groupId');
    const extra = await new Promise<AckResponse<GroupWatch>>((resolve) =>
      outsider.emit(
        'group:watch',
        { groupId: String(group._id), view: 'coordinator' } as never,
        resolve,
      ),
    );
    expect(extra).to.have.nested.property('error.id', 'validation_error');
  });

  it('brings a new discussion to the group views that may read it and to the members’ inboxes', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const member = await addMember(group);
    const inboxOnly = await addMember(group);
    const watcher = await watchingGroup(member, group);
    const visitor = await watchingGroup(null, group);
    const inbox = record(await clients.connect(inboxOnly));
    const outsider = record(await clients.connect(await buildUser()));

    const secret = await start(group, group.coordinator, { private: true });
    expect(secret.status).to.equal(201);
    const open = await start(group, group.coordinator, { private: false });
    const [, seen] = await arrival(watcher.seen, upserted(secret.body.discussion.id));
    expect(seen).to.include({ private: true, readState: null });
    await arrival(watcher.seen, upserted(open.body.discussion.id));
    await arrival(inbox, upserted(secret.body.discussion.id));
    // The visitor view gets the public one only, and it arrives after the private one would have.
    const [, shown] = await arrival(visitor.seen, upserted(open.body.discussion.id));
    expect(shown.abilities).to.include({ canComment: false, canEdit: false });
    expect(visitor.seen.map(([, p]) => (p as { id?: string }).id)).not.to.include(
      secret.body.discussion.id,
    );
    expect(outsider).to.deep.equal([]);
  });

  it('gives the author of a new discussion their own abilities in their inbox', async () => {
    const group = await buildGroup();
    const author = await addMember(group);
    const mine = record(await clients.connect(author));
    const other = record(await clients.connect(await addMember(group)));
    const res = await start(group, author);
    const [, own] = await arrival(mine, upserted(res.body.discussion.id));
    expect(own.abilities).to.include({ canEdit: true });
    const [, theirs] = await arrival(other, upserted(res.body.discussion.id));
    expect(theirs.abilities).to.include({ canEdit: false, canComment: true });
  });

  it('announces a moved discussion: gone from the old group’s list, new in the other’s and its members’ inboxes', async () => {
    const coordinator = await buildUser();
    const from = await buildGroup({ coordinator });
    const to = await buildGroup({ coordinator });
    const fromMember = await addMember(from);
    const toMember = await addMember(to);
    const discussion = await buildDiscussion({ group: from });
    const id = String(discussion._id);
    const leaving = await watchingGroup(fromMember, from);
    const arriving = await watchingGroup(toMember, to);
    const inbox = record(await clients.connect(await addMember(to)));
    const moved = await app.post(
      `/api/discussions/${id}/move`,
      { groupId: String(to._id) },
      { as: coordinator },
    );
    expect(moved.status).to.equal(200);
    const [, removal] = await arrival(leaving.seen, (e) => e === 'discussion:removed');
    expect(removal).to.deep.equal({ discussionId: id, groupId: String(from._id) });
    const [, arrived] = await arrival(arriving.seen, upserted(id));
    expect(arrived.group).to.include({ id: String(to._id) });
    await arrival(inbox, upserted(id));
  });

  it('sends membership changes per view: emails in the coordinator view only', async () => {
    const group = await buildGroup({ privacy: 'open', membershipPolicy: 'open' });
    const member = await addMember(group);
    const coordinatorView = await watchingGroup(group.coordinator, group);
    const memberView = await watchingGroup(member, group);
    const visitorView = await watchingGroup(null, group);
    const newcomer = await buildUser();
    const joined = await app.post(`/api/groups/${String(group._id)}/join`, {}, { as: newcomer });
    expect(joined.status).to.equal(201);
    const isNewcomer = (e: string, p: Record<string, unknown>) =>
      e === 'member:upserted' && (p.member as { id: string }).id === String(newcomer._id);
    const [, forCoordinator] = await arrival(coordinatorView.seen, isNewcomer);
    expect(forCoordinator).to.nested.include({
      groupId: String(group._id),
      'member.email': newcomer.email,
      'member.role': 'member',
    });
    for (const view of [memberView, visitorView]) {
      const [, payload] = await arrival(view.seen, isNewcomer);
      expect(JSON.stringify(payload)).not.to.include(newcomer.email);
      expect(payload.member).not.to.have.property('email');
    }

    const promoted = await app.post(
      `/api/groups/${String(group._id)}/members/${String(newcomer._id)}/promote`,
      {},
      { as: group.coordinator },
    );
    expect(promoted.status).to.equal(200);
    await arrival(
      memberView.seen,
      (e, p) => isNewcomer(e, p) && (p.member as { role: string }).role === 'coordinator',
    );

    const removed = await app.delete(
      `/api/groups/${String(group._id)}/members/${String(newcomer._id)}`,
      { as: group.coordinator },
    );
    expect(removed.status).to.equal(204);
    for (const view of [coordinatorView, memberView, visitorView]) {
      const [, removal] = await arrival(view.seen, (e) => e === 'member:removed');
      expect(removal).to.deep.equal({ groupId: String(group._id), userId: String(newcomer._id) });
    }
  });

  it('sends nothing about members of a closed group to a non-member watching it', async () => {
    const group = await buildGroup({ privacy: 'closed' });
    const outside = await watchingGroup(await buildUser(), group);
    expect(outside.view).to.equal('visitor');
    const inside = await watchingGroup(group.coordinator, group);
    await addMember(group);
    await start(group, group.coordinator);
    // Both changes reached the coordinator view; the visitor view, later in the same fan-out, got neither.
    await arrival(inside.seen, (e) => e === 'member:upserted');
    await arrival(inside.seen, (e) => e === 'discussion:upserted');
    expect(outside.seen).to.deep.equal([]);
  });

  it('moves a demoted coordinator to the member view (no more emails) and evicts a removed member of a secret group', async () => {
    const group = await buildGroup({ privacy: 'secret' });
    const second = await addMember(group, undefined, 'coordinator');
    const member = await addMember(group);
    const demoted = await watchingGroup(second, group);
    const removedMember = await watchingGroup(member, group);
    expect(demoted.view).to.equal('coordinator');
    const res = await app.post(
      `/api/groups/${String(group._id)}/members/${String(second._id)}/demote`,
      {},
      { as: group.coordinator },
    );
    expect(res.status).to.equal(200);
    await arrival(
      demoted.seen,
      (e, p) => e === 'member:upserted' && p.groupId === String(group._id),
    );
    const newcomer = await addMember(group);
    const [, later] = await arrival(
      demoted.seen,
      (e, p) => e === 'member:upserted' && (p.member as { id: string }).id === String(newcomer._id),
    );
    expect(later.member).not.to.have.property('email');

    const removed = await app.delete(
      `/api/groups/${String(group._id)}/members/${String(member._id)}`,
      { as: group.coordinator },
    );
    expect(removed.status).to.equal(204);
    const [, notice] = await arrival(removedMember.seen, (e) => e === 'access:revoked');
    expect(notice).to.deep.equal({ groupId: String(group._id), reason: 'access_removed' });
    const [, own] = await arrival(removedMember.seen, (e) => e === 'member:removed');
    expect(own).to.deep.equal({ groupId: String(group._id), userId: String(member._id) });
    // Evicted: a later change in the group does not reach it (the demoted member's view proves it was sent).
    const after = await start(group, group.coordinator);
    await arrival(demoted.seen, upserted(after.body.discussion.id));
    const evicted: Client = removedMember.socket;
    expect(evicted.connected).to.equal(true);
    expect(removedMember.seen.some(([e]) => e === 'discussion:upserted')).to.equal(false);
  });

  it('stops sending a group’s changes after group:unwatch', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const gone = await watchingGroup(null, group);
    const reply = await new Promise<AckResponse<null>>((resolve) =>
      gone.socket.emit('group:unwatch', { groupId: String(group._id) }, resolve),
    );
    expect(reply).to.deep.equal({ data: null });
    const staying = await watchingGroup(null, group);
    const res = await start(group, group.coordinator, { private: false });
    await arrival(staying.seen, upserted(res.body.discussion.id));
    expect(gone.seen).to.deep.equal([]);
  });
});
