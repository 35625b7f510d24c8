import { expect } from 'chai';
import type { CommentDto, DiscussionDto, GroupDto } from '../../../shared/dto.js';
import type { QueueItemDto } from '../../../shared/moderation.js';
import type { UserDocument } from '../models/user.js';
import { addMember } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { arrival, record, TestClients, watch } from '../realtime/test-clients.js';
import {
  act,
  moderationWorld,
  postAs,
  reportAs,
  watchQueue,
  type ModerationWorld,
} from './test-support.js';

/**
 * Moderators a group's coordinators name: members with the moderation rights
 * and none of the rest. They work the queue beside the coordinators, see
 * what is withheld from members live, and each sees the other's actions at once.
 */
describe('named moderators, live', () => {
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

  /** The world with a fourth member named moderator by the coordinator. */
  async function withModerator(w: ModerationWorld): Promise<UserDocument> {
    const moderator = await addMember(w.group);
    const named = await app.request(
      'PUT',
      `/api/groups/${w.groupId}/moderators/${String(moderator._id)}`,
      { body: {}, as: w.coordinator },
    );
    expect(named.status).to.equal(204);
    return moderator;
  }

  it("a colleague's action reaches the other moderators' queues at once (report, hide, dismiss)", async () => {
    const w = await moderationWorld();
    const moderator = await withModerator(w);
    const commentId = await postAs(app, w.author, w.discussionId, 'Buy cheap watches');
    const coordinator = await clients.connect(w.coordinator);
    const colleague = await clients.connect(moderator);
    for (const socket of [coordinator, colleague])
      expect(await watchQueue(socket, w.groupId)).to.deep.equal({
        data: { groupId: w.groupId, open: 0 },
      });
    const [coordinatorSeen, colleagueSeen] = [coordinator, colleague].map(record);

    await reportAs(app, w.reporter, { kind: 'comment', id: commentId }, { reason: 'spam' });
    for (const seen of [coordinatorSeen, colleagueSeen])
      await arrival(seen, (e, p) => e === 'moderation:queue' && p.open === 1);

    // The moderator hides it: the item stays open (pending review), but it changed.
    const afterHide = record(coordinator);
    await act(app, moderator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'hide',
      reason: 'Spam, checking',
    });
    await arrival(
      afterHide,
      (e, p) => e === 'moderation:queue' && p.groupId === w.groupId && p.open === 1,
    );
    const queue = await app.get<{ items: QueueItemDto[] }>(
      `/api/groups/${w.groupId}/moderation/queue`,
      { as: w.coordinator },
    );
    expect(queue.body.items[0].target).to.include({ hidden: true });
    expect(queue.body.items[0].authorHistory.map((h) => h.action)).to.include('hide');

    // The coordinator dismisses it: the moderator's queue empties.
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'dismiss',
      reason: 'Not spam',
    });
    await arrival(colleagueSeen, (e, p) => e === 'moderation:queue' && p.open === 0);
  });

  it('sees held and hidden comments live as the coordinators do, while the member beside them sees a placeholder or nothing', async () => {
    const w = await moderationWorld({ moderation: { holdPosts: 'first', holdDays: 3 } });
    const moderator = await withModerator(w);
    // The reporter posted before: their comments are not held.
    await postAs(app, w.coordinator, w.discussionId, 'Welcome all');
    const moderatorSeen = record(await clients.watching(moderator, w.discussionId));
    const memberSeen = record(await clients.watching(w.reporter, w.discussionId));
    const visitor = await clients.connect(null);
    await watch(visitor, w.discussionId);
    const visitorSeen = record(visitor);

    const authorSeen = record(await clients.watching(w.author, w.discussionId));
    const held = await postAs(app, w.author, w.discussionId, 'first words of a newcomer');
    for (const seen of [moderatorSeen, authorSeen])
      await arrival(
        seen,
        isComment(held, (c) => c.moderation === 'held' && c.body === 'first words of a newcomer'),
      );
    await app.server.realtime.barrier();
    for (const seen of [memberSeen, visitorSeen]) expect(JSON.stringify(seen)).not.to.include(held);
    const queue = await app.get<{ items: QueueItemDto[] }>(
      `/api/groups/${w.groupId}/moderation/queue`,
      { as: moderator },
    );
    expect(queue.body.items.find((i) => i.target.id === held)).to.include({ held: true });

    // The moderator approves: everyone gets it live.
    await act(app, moderator, w.groupId, {
      target: { kind: 'comment', id: held },
      action: 'approve',
      reason: 'Welcome',
    });
    for (const seen of [memberSeen, visitorSeen, moderatorSeen])
      await arrival(
        seen,
        isComment(held, (c) => !c.moderation && c.body === 'first words of a newcomer'),
      );

    // A hidden comment: the member and the visitor get the placeholder, the moderator the text, marked.
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: held },
      action: 'hide',
      reason: 'On second thought',
    });
    for (const seen of [memberSeen, visitorSeen])
      await arrival(
        seen,
        isComment(held, (c) => c.moderation === 'hidden' && c.body === ''),
      );
    await arrival(
      moderatorSeen,
      isComment(held, (c) => c.moderation === 'hidden' && c.body === 'first words of a newcomer'),
    );
    // The last copy the moderator received is the one with the text (clients keep the latest).
    const last = moderatorSeen.filter(([e, p]) => isComment(held, () => true)(e, p)).at(-1)!;
    expect(last[1]).to.include({ moderation: 'hidden', body: 'first words of a newcomer' });
  });

  it('reads and sets hold-first-posts and slow mode, takes every group action, but none of the coordinators’ own rights', async () => {
    const w = await moderationWorld();
    const moderator = await withModerator(w);
    const group = await app.get<{ group: GroupDto }>(`/api/groups/${w.groupId}`, {
      as: moderator,
    });
    expect(group.body.group.moderation).to.deep.equal({ holdPosts: 'off', holdDays: 3 });
    expect(group.body.group.abilities).to.include({ canModerate: true, canManage: false });
    const set = await app.request('PUT', `/api/groups/${w.groupId}/moderation/settings`, {
      body: { holdPosts: 'recent', holdDays: 7, reason: 'Spam wave' },
      as: moderator,
    });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect(set.body).to.deep.equal({ moderation: { holdPosts: 'recent', holdDays: 7 } });
    const refused = await app.request('PUT', `/api/groups/${w.groupId}/moderation/settings`, {
      body: { holdPosts: 'first', reason: 'x' },
      as: w.reporter,
    });
    expect(refused.status).to.equal(403);
    expect(refused.body).to.have.nested.property('error.id', 'authorization_error');
    // A member who joined today is held now; the moderator's own comments never are.
    const newcomer = await addMember(w.group);
    const heldId = await postAs(app, newcomer, w.discussionId, 'hello from a newcomer');
    const listed = await app.get(`/api/discussions/${w.discussionId}/comments`, { as: w.reporter });
    expect(JSON.stringify(listed.body)).not.to.include(heldId);
    const own = await app.post<{ comment: CommentDto }>(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'moderator speaking' },
      { as: moderator },
    );
    expect(own.body.comment.moderation).to.equal(undefined);

    const slow = await app.request(
      'PUT',
      `/api/moderation/discussions/${w.discussionId}/slow-mode`,
      { body: { seconds: 120, reason: 'Heated' }, as: moderator },
    );
    expect(slow.status).to.equal(200);
    expect((slow.body as { discussion: DiscussionDto }).discussion.slowModeSeconds).to.equal(120);
    // Moderators are exempt from slow mode, as coordinators are.
    await postAs(app, moderator, w.discussionId, 'again, at once');

    const commentId = await postAs(app, w.author, w.discussionId, 'reported words');
    for (const [action, extra] of [
      ['hide', {}],
      ['restore', {}],
      ['warn', {}],
      ['escalate', {}],
      ['delete', {}],
    ] as const)
      await act(app, moderator, w.groupId, {
        target: { kind: 'comment', id: commentId },
        action,
        reason: `moderator ${action}`,
        ...extra,
      });
    const person = { kind: 'person', id: String(w.author._id) };
    await act(app, moderator, w.groupId, {
      target: person,
      action: 'mute',
      reason: 'm',
      minutes: 5,
    });
    await act(app, moderator, w.groupId, { target: person, action: 'ban', reason: 'b' });
    const restrictions = await app.get<{ items: Array<{ id: string; kind: string }> }>(
      `/api/groups/${w.groupId}/moderation/restrictions`,
      { as: moderator },
    );
    expect(restrictions.body.items.map((r) => r.kind).sort()).to.deep.equal(['ban', 'mute']);
    for (const r of restrictions.body.items) {
      const lifted = await app.request(
        'DELETE',
        `/api/groups/${w.groupId}/moderation/restrictions/${r.id}`,
        { body: { reason: 'lifted by a moderator' }, as: moderator },
      );
      expect(lifted.status).to.equal(204);
    }
    await act(app, moderator, w.groupId, {
      target: { kind: 'person', id: String(w.reporter._id) },
      action: 'remove',
      reason: 'r',
    });
    await act(app, moderator, w.groupId, {
      target: { kind: 'discussion', id: w.discussionId },
      action: 'lock',
      reason: 'l',
    });

    // Not theirs: acting against a coordinator, naming moderators, managing the group and its
    // people, the audit log.
    const forbidden = [
      await app.post(
        `/api/groups/${w.groupId}/moderation/actions`,
        {
          target: { kind: 'person', id: String(w.coordinator._id) },
          action: 'mute',
          reason: 'coup',
          minutes: 5,
        },
        { as: moderator },
      ),
      await app.request('PUT', `/api/groups/${w.groupId}/moderators/${String(newcomer._id)}`, {
        body: {},
        as: moderator,
      }),
      await app.patch(`/api/groups/${w.groupId}`, { name: 'Taken over' }, { as: moderator }),
      await app.post(
        `/api/groups/${w.groupId}/members/${String(newcomer._id)}/promote`,
        {},
        { as: moderator },
      ),
      await app.delete(`/api/groups/${w.groupId}/members/${String(newcomer._id)}`, {
        as: moderator,
      }),
      await app.get(`/api/groups/${w.groupId}/audit`, { as: moderator }),
    ];
    for (const res of forbidden) {
      expect(res.status, JSON.stringify(res.body)).to.equal(403);
      expect(res.body).to.have.nested.property('error.id', 'authorization_error');
    }
    // Every one of their actions is in the audit log, for the coordinators.
    const audit = await app.get<{ items: Array<{ action: string; actor: { id: string } | null }> }>(
      `/api/groups/${w.groupId}/audit?limit=100`,
      { as: w.coordinator },
    );
    const theirs = audit.body.items.filter((e) => e.actor?.id === String(moderator._id));
    expect(theirs.map((e) => e.action)).to.include.members([
      'moderation_hold_posts_recent',
      'moderation_slow_mode',
      'moderation_hide',
      'moderation_restore',
      'moderation_warn',
      'moderation_escalate',
      'moderation_delete',
      'moderation_mute',
      'moderation_ban',
      'moderation_unmute',
      'moderation_unban',
      'moderation_remove',
      'moderation_lock',
    ]);
  });

  it('un-named, they lose the queue and the withheld text at once', async () => {
    const w = await moderationWorld();
    const moderator = await withModerator(w);
    const socket = await clients.watching(moderator, w.discussionId);
    expect(await watchQueue(socket, w.groupId)).to.have.property('data');
    const seen = record(socket);
    const unnamed = await app.request(
      'DELETE',
      `/api/groups/${w.groupId}/moderators/${String(moderator._id)}`,
      { body: {}, as: w.coordinator },
    );
    expect(unnamed.status).to.equal(204);
    await app.server.realtime.barrier();
    const commentId = await postAs(app, w.author, w.discussionId, 'after the change');
    await reportAs(app, w.reporter, { kind: 'comment', id: commentId });
    await app.server.realtime.barrier();
    expect(seen.filter(([e]) => e === 'moderation:queue')).to.deep.equal([]);
    const denied = await app.get(`/api/groups/${w.groupId}/moderation/queue`, { as: moderator });
    expect(denied.status).to.equal(403);
    expect(await watchQueue(socket, w.groupId)).to.have.nested.property(
      'error.id',
      'authorization_error',
    );
    // A comment hidden now reaches them as it reaches any member: a placeholder.
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'comment', id: commentId },
      action: 'hide',
      reason: 'Hidden after',
    });
    await arrival(
      seen,
      isComment(commentId, (c) => c.moderation === 'hidden' && c.body === ''),
    );
    await app.server.realtime.barrier();
    const copies = seen.filter(([e, p]) => isComment(commentId, (c) => !!c.moderation)(e, p));
    for (const [, copy] of copies) expect(copy).to.include({ body: '' });
  });
});
