import { expect } from 'chai';
import type { CommentDto, DiscussionDto } from '../../../shared/dto.js';
import type { QueueItemDto } from '../../../shared/moderation.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { addMember, buildDiscussion, buildUser } from '../test/factories.js';
import { arrival, record, TestClients } from '../realtime/test-clients.js';
import { discussionRoom } from '../realtime/rooms.js';
import {
  act,
  meaningful,
  moderationWorld,
  onlookers,
  postAs,
  reportAs,
  watchQueue,
} from './test-support.js';

/**
 * Each action of a group's moderators, over real sockets: what a member, the
 * coordinator, the author and a signed-out visitor of a public group receive
 * at once, and what nobody else hears.
 */
describe('moderation actions, live for everyone affected', () => {
  let app: TestApp;
  let clients: TestClients;

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const isComment = (id: string, test: (c: CommentDto) => boolean) => (event: string, p: unknown) =>
    event === 'comment:upserted' && (p as CommentDto).id === id && test(p as CommentDto);
  const queue = async (groupId: string, as: Parameters<TestApp['get']>[1]) =>
    (await app.get<{ items: QueueItemDto[] }>(`/api/groups/${groupId}/moderation/queue`, as)).body
      .items;
  const inRoom = (socketId: string | undefined, room: string) =>
    app.server.realtime.io
      .of('/')
      .adapter.rooms.get(room)
      ?.has(socketId ?? '') ?? false;

  it("dismiss closes the reports (the reporter hears 'handled', the queue empties), brings a hidden comment back to everyone, and tells the author nothing", async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'Borderline remark');
    const { sockets, seen } = await onlookers(clients, w);
    expect(await watchQueue(sockets.coordinator, w.groupId)).to.deep.equal({
      data: { groupId: w.groupId, open: 0 },
    });
    await reportAs(app, w.reporter, { kind: 'comment', id: commentId }, { reason: 'spam' });
    await arrival(seen.coordinator, (e, p) => e === 'moderation:queue' && p.open === 1);
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'hide',
      reason: 'Checking',
    });
    await arrival(
      seen.visitor,
      isComment(commentId, (c) => c.moderation === 'hidden'),
    );

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'dismiss',
      reason: 'Fine after all',
    });
    for (const who of ['member', 'visitor', 'coordinator'] as const)
      await arrival(
        seen[who],
        isComment(commentId, (c) => !c.moderation && c.body === 'Borderline remark'),
      );
    await arrival(seen.coordinator, (e, p) => e === 'moderation:queue' && p.open === 0);
    await arrival(seen.member, (e, p) => e === 'report:updated' && p.status === 'handled');
    expect(await queue(w.groupId, { as: w.coordinator })).to.deep.equal([]);
    await app.server.realtime.barrier();
    const notices = meaningful(seen.author).filter(([e]) => e === 'moderation:notice');
    expect(notices.map(([, p]) => (p as { action: string }).action)).to.deep.equal(['hide']);
    // The reporter learns that it was handled, not what was done or by whom.
    const [, handled] = seen.member.find(
      ([e, p]) => e === 'report:updated' && (p as { status: string }).status === 'handled',
    )!;
    expect(JSON.stringify(handled)).not.to.include('dismiss').and.not.to.include('Fine after');
  });

  it('delete removes the comment for everyone at once and tells its author why', async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'Doxxing someone');
    const { seen } = await onlookers(clients, w);
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'delete',
      reason: 'Personal data of others',
    });
    for (const who of ['member', 'visitor', 'coordinator', 'author'] as const)
      await arrival(
        seen[who],
        isComment(commentId, (c) => c.deleted && c.body === ''),
      );
    await arrival(
      seen.author,
      (e, p) =>
        e === 'moderation:notice' &&
        p.action === 'delete' &&
        p.reason === 'Personal data of others' &&
        p.commentId === commentId,
    );
    const listed = await app.get(`/api/discussions/${w.discussionId}/comments`, { as: null });
    expect(JSON.stringify(listed.body)).not.to.include('Doxxing someone');
    await app.server.realtime.barrier();
    for (const who of ['member', 'visitor', 'coordinator'] as const)
      expect(JSON.stringify(seen[who])).not.to.include('Personal data of others');
  });

  it('warn reaches the author alone, privately, with the reason; members and visitors receive nothing, the queue watchers a count', async () => {
    const w = await moderationWorld();
    const commentId = await postAs(app, w.author, w.discussionId, 'Sharp words');
    const { sockets, seen } = await onlookers(clients, w);
    await watchQueue(sockets.coordinator, w.groupId);
    // A second coordinator, not the one acting, watching the discussion and the queue.
    const colleague = await addMember(w.group, undefined, 'coordinator');
    const colleagueSocket = await clients.watching(colleague, w.discussionId);
    await watchQueue(colleagueSocket, w.groupId);
    const colleagueSeen = record(colleagueSocket);

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'warn',
      reason: 'Mind your tone, warning 7',
    });
    const [, notice] = await arrival(seen.author, (e) => e === 'moderation:notice');
    expect(notice).to.include({ action: 'warn', reason: 'Mind your tone, warning 7' });
    expect(notice).to.include({ commentId, groupId: w.groupId });
    expect(JSON.stringify(notice)).not.to.include(String(w.coordinator._id));
    await app.server.realtime.barrier();
    for (const other of [seen.member, seen.visitor]) expect(meaningful(other)).to.deep.equal([]);
    // The coordinators watching the queue hear only that it may have changed: a count.
    for (const other of [seen.coordinator, colleagueSeen])
      expect(meaningful(other).map(([e]) => e)).to.satisfy((events: string[]) =>
        events.every((e) => e === 'moderation:queue'),
      );
    // The comment itself is untouched, and the author's own notices list it.
    const mine = await app.get<{ notices: Array<{ action: string; reason: string }> }>(
      '/api/moderation/me',
      { as: w.author },
    );
    expect(mine.body.notices[0]).to.include({
      action: 'warn',
      reason: 'Mind your tone, warning 7',
    });
    const others = await app.get<{ notices: unknown[] }>('/api/moderation/me', { as: w.reporter });
    expect(others.body.notices).to.deep.equal([]);
  });

  it('lock closes the discussion live for everyone and refuses new comments', async () => {
    const w = await moderationWorld();
    const { seen } = await onlookers(clients, w);
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'discussion', id: w.discussionId },
      action: 'lock',
      reason: 'Going in circles',
    });
    const closed = (e: string, p: Record<string, unknown>) =>
      e === 'discussion:upserted' &&
      (p as unknown as DiscussionDto).id === w.discussionId &&
      (p as unknown as DiscussionDto).closedAt !== null;
    for (const who of ['member', 'visitor', 'coordinator', 'author'] as const)
      await arrival(seen[who], closed);
    const refused = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'one more thing' },
      { as: w.author },
    );
    expect(refused.status).to.equal(403);
    const audit = await app.get<{ items: Array<{ action: string; reason: string }> }>(
      `/api/groups/${w.groupId}/audit`,
      { as: w.coordinator },
    );
    expect(audit.body.items.find((e) => e.action === 'moderation_lock')).to.include({
      reason: 'Going in circles',
    });
  });

  it('remove takes the member out of the group: their member rooms drop at once, they are told, and their writes are refused', async () => {
    const w = await moderationWorld();
    const privateDiscussion = await buildDiscussion({ group: w.group, private: true });
    const privateId = String(privateDiscussion._id);
    const { sockets, seen } = await onlookers(clients, w);
    const authorOnPrivate = await clients.watching(w.author, privateId);
    const privateSeen = record(authorOnPrivate);
    expect(inRoom(sockets.author.id, discussionRoom(w.discussionId, 'member'))).to.equal(true);

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'remove',
      reason: 'Not part of the co-op any more',
    });
    // The private discussion is gone for them; the public one is still theirs to read, as a visitor.
    await arrival(privateSeen, (e, p) => e === 'access:revoked' && p.discussionId === privateId);
    await arrival(seen.author, (e, p) => e === 'member:removed' && p.groupId === w.groupId);
    await arrival(
      seen.author,
      (e, p) => e === 'moderation:notice' && p.action === 'remove' && p.groupId === w.groupId,
    );
    expect(inRoom(sockets.author.id, discussionRoom(w.discussionId, 'member'))).to.equal(false);
    expect(inRoom(sockets.author.id, discussionRoom(w.discussionId, 'visitor'))).to.equal(true);
    expect(inRoom(authorOnPrivate.id, discussionRoom(privateId, 'member'))).to.equal(false);
    const refused = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'still here?' },
      { as: w.author },
    );
    expect(refused.status).to.equal(403);
    // The others keep their rooms and hear of the removal as a roster change, nothing of the reason.
    expect(inRoom(sockets.member.id, discussionRoom(w.discussionId, 'member'))).to.equal(true);
    await app.server.realtime.barrier();
    for (const who of ['member', 'visitor', 'coordinator'] as const)
      expect(JSON.stringify(seen[who])).not.to.include('Not part of the co-op');
  });

  it("escalate sends the report to the site's administrators, keeps it in the group's queue marked escalated, and tells no one else", async () => {
    const w = await moderationWorld();
    const admin = await buildUser({ isAdmin: true });
    const commentId = await postAs(app, w.author, w.discussionId, 'Threatening words');
    const { sockets, seen } = await onlookers(clients, w);
    await watchQueue(sockets.coordinator, w.groupId);
    await reportAs(
      app,
      w.reporter,
      { kind: 'comment', id: commentId },
      { reason: 'harassment', note: 'escalation note 3' },
    );
    await arrival(seen.coordinator, (e, p) => e === 'moderation:queue' && p.open === 1);
    const siteBefore = await app.get<{ items: QueueItemDto[] }>('/api/moderation/site/reports', {
      as: admin,
    });
    expect(siteBefore.body.items.map((i) => i.target.id)).not.to.include(commentId);

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'escalate',
      reason: 'May be a crime',
    });
    const site = await app.get<{ items: QueueItemDto[] }>('/api/moderation/site/reports', {
      as: admin,
    });
    const item = site.body.items.find((i) => i.target.id === commentId);
    expect(item).to.include({ escalated: true });
    expect(item!.target.text).to.equal('Threatening words');
    const [groupItem] = await queue(w.groupId, { as: w.coordinator });
    expect(groupItem).to.include({ escalated: true });
    await app.server.realtime.barrier();
    for (const who of ['member', 'visitor', 'author'] as const)
      expect(JSON.stringify(seen[who])).not.to.include('May be a crime');
    expect(
      meaningful(seen.author).filter(([e]) => e === 'moderation:notice' || e === 'report:updated'),
    ).to.deep.equal([]);
    // The reporter's report stays 'received' until someone handles it.
    const mine = await app.get<{ items: Array<{ status: string }> }>(
      '/api/moderation/reports/mine',
      {
        as: w.reporter,
      },
    );
    expect(mine.body.items[0]).to.include({ status: 'received' });
  });
});
