import { expect } from 'chai';
import * as Y from 'yjs';
import type { AckResponse } from '../../../shared/events.js';
import type { RestrictionDto } from '../../../shared/moderation.js';
import { RestrictionModel } from '../models/restriction.js';
import { buildUser } from '../test/factories.js';
import { buildInvitation } from '../test/factories-groups.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { arrival, record, TestClients, type Client } from '../realtime/test-clients.js';
import { discussionRoom } from '../realtime/rooms.js';
import { openEditor, paragraphText, syncMessage, type Editor } from '../collab/test-editors.js';
import { buildMeeting, clientId, watchMeeting } from '../meetings/test-meetings.js';
import { act, moderationWorld, onlookers, postAs } from './test-support.js';

/**
 * Mutes and bans over real sockets: what the person restricted is told live,
 * which of their writes are refused (REST and socket alike, with a stable id
 * and the end time), and how a restriction ends, early or by itself.
 */
describe('mutes and bans, live', () => {
  let app: TestApp;
  let clients: TestClients;
  const editors: Editor[] = [];

  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => {
    clients.closeAll();
    for (const editor of editors.splice(0)) editor.close();
  });
  after(() => app.close());

  type Reply = AckResponse<unknown>;
  const raiseHand = (socket: Client, meetingId: string) =>
    new Promise<Reply>((resolve) =>
      socket.emit(
        'meeting:act',
        { meetingId, action: { type: 'hand.raise', kind: 'speak', clientId: clientId() } },
        resolve,
      ),
    );
  /** Sends one edit of the document by hand, as the editor's provider would, and answers the reply. */
  const typeInto = (editor: Editor, key: string, text: string) => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(editor.doc));
    const before = Y.encodeStateVector(copy);
    paragraphText(copy).insert(0, text);
    const sync = syncMessage(Y.encodeStateAsUpdate(copy, before));
    return new Promise<Reply>((resolve) =>
      editor.socket.emit('collab:sync', { doc: key, sync }, resolve),
    );
  };
  const errorOf = (reply: Reply) => ('error' in reply ? reply.error : null);
  const settled = async () => {
    await app.server.realtime.barrier();
    await app.server.collab.barrier();
  };

  it('a mute refuses the member’s writes by REST and socket with `muted` and the end time, reaches their composer live, and lifts early', async () => {
    const w = await moderationWorld();
    // The muted member started a discussion of their own, and edits its context live.
    const own = await app.post<{ discussion: { id: string } }>(
      '/api/discussions',
      { groupId: w.groupId, title: 'My proposal', context: 'Draft' },
      { as: w.author },
    );
    expect(own.status, JSON.stringify(own.body)).to.equal(201);
    const ownId = own.body.discussion.id;
    const poll = await app.post<{ poll: { id: string } }>(
      `/api/discussions/${ownId}/polls`,
      { kind: 'proposal', title: 'Shall we?' },
      { as: w.author },
    );
    expect(poll.status, JSON.stringify(poll.body)).to.equal(201);
    const pollId = poll.body.poll.id;
    const key = `discussion:${ownId}:context`;
    const editor = await openEditor({
      url: app.url,
      token: app.tokenFor(w.author),
      discussionId: ownId,
      key,
    });
    editors.push(editor);
    expect(editor.provider.canEdit).to.equal(true);
    const meeting = await buildMeeting(app, { group: w.group, as: w.coordinator });
    const started = await app.post(
      `/api/meetings/${meeting.id}/actions`,
      { action: { type: 'meeting.start' } },
      { as: w.coordinator },
    );
    expect(started.status).to.equal(200);
    const authorSocket = await clients.connect(w.author);
    expect(await watchMeeting(authorSocket, meeting.id)).to.have.property('data');
    const authorSeen = record(authorSocket);
    const { seen } = await onlookers(clients, w);

    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'mute',
      reason: 'Take a breather',
      minutes: 30,
    });
    const [, change] = await arrival(
      authorSeen,
      (e, p) => e === 'restriction:changed' && Array.isArray(p) && p.length === 1,
    );
    const [mute] = change as unknown as RestrictionDto[];
    expect(mute).to.include({ kind: 'mute', groupId: w.groupId, reason: 'Take a breather' });
    await arrival(
      authorSeen,
      (e, p) => e === 'moderation:notice' && p.action === 'mute' && p.until === mute.until,
    );
    await settled();

    // Socket writes: a hand in a meeting, an edit of a collaborative document.
    for (const reply of [
      await raiseHand(authorSocket, meeting.id),
      await typeInto(editor, key, 'muted words '),
    ])
      expect(errorOf(reply)).to.include({ id: 'muted', until: mute.until });
    // REST writes: comment, edit a discussion or a poll, close a poll, start a poll or a meeting.
    const refused = [
      await app.post(
        `/api/discussions/${w.discussionId}/comments`,
        { body: 'x' },
        { as: w.author },
      ),
      await app.patch(`/api/polls/${pollId}`, { title: 'Shall we not?' }, { as: w.author }),
      await app.post(`/api/polls/${pollId}/close`, {}, { as: w.author }),
      await app.post(
        `/api/discussions/${ownId}/polls`,
        { kind: 'proposal', title: 'Another' },
        { as: w.author },
      ),
      await app.patch(`/api/discussions/${ownId}`, { title: 'Renamed' }, { as: w.author }),
      await app.post(
        `/api/groups/${w.groupId}/meetings`,
        { title: 'Mine', scheduledAt: new Date().toISOString(), expectedMinutes: 30 },
        { as: w.author },
      ),
      await app.post(
        `/api/meetings/${meeting.id}/actions`,
        { action: { type: 'hand.raise', kind: 'speak', clientId: clientId() } },
        { as: w.author },
      ),
    ];
    for (const res of refused) {
      expect(res.status, JSON.stringify(res.body)).to.equal(403);
      expect(res.body).to.have.nested.property('error.id', 'muted');
      expect(res.body).to.have.nested.property('error.until', mute.until);
    }
    // Nobody else hears of the mute or its reason.
    await settled();
    for (const who of ['member', 'visitor', 'coordinator'] as const)
      expect(JSON.stringify(seen[who])).not.to.include('Take a breather');
    // Others write as before.
    await postAs(app, w.reporter, w.discussionId, 'I can still talk');

    const listed = await app.get<{ items: Array<{ id: string; kind: string }> }>(
      `/api/groups/${w.groupId}/moderation/restrictions`,
      { as: w.coordinator },
    );
    const lifted = await app.request(
      'DELETE',
      `/api/groups/${w.groupId}/moderation/restrictions/${listed.body.items[0].id}`,
      { body: { reason: 'Calmer now' }, as: w.coordinator },
    );
    expect(lifted.status).to.equal(204);
    await arrival(
      authorSeen,
      (e, p) => e === 'restriction:changed' && Array.isArray(p) && p.length === 0,
    );
    await arrival(
      authorSeen,
      (e, p) => e === 'moderation:notice' && p.action === 'unmute' && p.reason === 'Calmer now',
    );
    await settled();
    expect(await raiseHand(authorSocket, meeting.id)).to.have.property('data');
    expect(await typeInto(editor, key, 'free again ')).to.have.property('data');
    await postAs(app, w.author, w.discussionId, 'Thanks');
    // Lifting again finds nothing in force.
    const again = await app.request(
      'DELETE',
      `/api/groups/${w.groupId}/moderation/restrictions/${listed.body.items[0].id}`,
      { body: { reason: 'twice' }, as: w.coordinator },
    );
    expect(again.status).to.equal(404);
  });

  it('a mute ends by itself at its time, for REST and for an editor whose session knew of it', async () => {
    const w = await moderationWorld();
    const own = await app.post<{ discussion: { id: string } }>(
      '/api/discussions',
      { groupId: w.groupId, title: 'Timed', context: 'Text' },
      { as: w.author },
    );
    const ownId = own.body.discussion.id;
    const key = `discussion:${ownId}:context`;
    const editor = await openEditor({
      url: app.url,
      token: app.tokenFor(w.author),
      discussionId: ownId,
      key,
    });
    editors.push(editor);
    // A mute that ends in a moment (the shortest a moderator can give is a minute).
    const until = new Date(Date.now() + 1500);
    await RestrictionModel.create({
      kind: 'mute',
      groupId: w.group._id,
      userId: w.author._id,
      until,
      reason: 'Short',
      byId: w.coordinator._id,
    });
    await settled();
    expect(errorOf(await typeInto(editor, key, 'a '))).to.include({
      id: 'muted',
      until: until.toISOString(),
    });
    const refused = await app.post(
      `/api/discussions/${w.discussionId}/comments`,
      { body: 'early' },
      { as: w.author },
    );
    expect(refused.body).to.have.nested.property('error.id', 'muted');
    while (Date.now() <= until.getTime()) await new Promise((r) => setTimeout(r, 50));
    // No change marks the end: the session reads again once the time it knew has passed.
    expect(await typeInto(editor, key, 'b ')).to.have.property('data');
    await postAs(app, w.author, w.discussionId, 'on time');
    const mine = await app.get<{ restrictions: unknown[] }>('/api/moderation/me', { as: w.author });
    expect(mine.body.restrictions).to.deep.equal([]);
  });

  it('a ban takes the member out at once and refuses joining and invitations until lifted', async () => {
    const w = await moderationWorld({ membershipPolicy: 'open' });
    const { invitation, token } = await buildInvitation({
      group: w.group,
      email: w.author.email,
    });
    const { sockets, seen } = await onlookers(clients, w);
    await act(app, w.coordinator, w.groupId, {
      target: { kind: 'person', id: String(w.author._id) },
      action: 'ban',
      reason: 'Threats',
    });
    await arrival(seen.author, (e, p) => e === 'member:removed' && p.groupId === w.groupId);
    await arrival(
      seen.author,
      (e, p) => e === 'moderation:notice' && p.action === 'ban' && p.until === null,
    );
    const memberRoom = discussionRoom(w.discussionId, 'member');
    const rooms = app.server.realtime.io.of('/').adapter.rooms;
    expect(rooms.get(memberRoom)?.has(sockets.author.id ?? '')).to.not.equal(true);
    expect(rooms.get(memberRoom)?.has(sockets.member.id ?? '')).to.equal(true);
    // A ban is not the person's to watch (they lost access): no restriction event for it.
    await app.server.realtime.barrier();
    expect(seen.author.filter(([e]) => e === 'restriction:changed')).to.deep.equal([]);

    for (const res of [
      await app.post(`/api/groups/${w.groupId}/join`, {}, { as: w.author }),
      await app.post(`/api/invitations/${token}/accept`, {}, { as: w.author }),
    ]) {
      expect(res.status, JSON.stringify(res.body)).to.equal(403);
      expect(res.body).to.have.nested.property('error.id', 'banned');
    }
    // Other people are not affected.
    const newcomer = await app.post(`/api/groups/${w.groupId}/join`, {}, { as: await buildUser() });
    expect(newcomer.status).to.be.oneOf([200, 201]);

    const listed = await app.get<{ items: Array<{ id: string; kind: string }> }>(
      `/api/groups/${w.groupId}/moderation/restrictions`,
      { as: w.coordinator },
    );
    const ban = listed.body.items.find((r) => r.kind === 'ban')!;
    const lifted = await app.request(
      'DELETE',
      `/api/groups/${w.groupId}/moderation/restrictions/${ban.id}`,
      { body: { reason: 'Apology accepted' }, as: w.coordinator },
    );
    expect(lifted.status).to.equal(204);
    const accepted = await app.post(`/api/invitations/${token}/accept`, {}, { as: w.author });
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    expect(String(invitation.groupId)).to.equal(w.groupId);
    const group = await app.get(`/api/groups/${w.groupId}`, { as: w.author });
    expect(group.body).to.have.nested.property('group.role', 'member');
  });
});
