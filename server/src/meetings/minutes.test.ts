import { expect } from 'chai';
import type { TimelineEventDto } from '../../../shared/dto.js';
import { minutesDocKey, type MeetingDto } from '../../../shared/meetings.js';
import { meetingPath } from '../../../shared/routes.js';
import type { Editor } from '../collab/test-editors.js';
import { syncMessage, until } from '../collab/test-editors.js';
import { afterWindow, runJobs } from '../jobs/mail-test-helpers.js';
import { EventModel } from '../models/event.js';
import { MeetingAttendanceModel } from '../models/meeting-attendance.js';
import { MeetingModel } from '../models/meeting.js';
import { NotificationModel } from '../models/notification.js';
import type { UserDocument } from '../models/user.js';
import { TestClients, watch, type Client } from '../realtime/test-clients.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { Types } from 'mongoose';
import * as Y from 'yjs';
import { act, buildMeeting, clientId, stateWhere, states, watchMeeting } from './test-meetings.js';
import { insertAttendance } from './minutes-blocks.js';
import { blocksOf, openMinutes, typeParagraph } from './test-minutes.js';

/**
 * Meeting minutes over real sockets: who writes and who only reads, the
 * blocks the server inserts (decisions, attendance), publishing them (the
 * meeting's record, the discussion's timeline, email) and rights that change
 * while the minutes are open.
 */
describe('meetings: minutes written together, with decisions and attendance, then published', function () {
  this.timeout(60_000);
  let app: TestApp;
  let clients: TestClients;
  const open: Editor[] = [];
  before(async () => {
    app = await startTestApp({ MAIL_INTERVAL_MS: '3600000' });
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => {
    for (const editor of open.splice(0)) editor.close();
    clients.closeAll();
  });
  after(() => app.close());

  const minutes = async (user: UserDocument | null, meetingId: string) => {
    const editor = await openMinutes({
      url: app.url,
      token: user ? app.tokenFor(user) : null,
      meetingId,
    });
    open.push(editor);
    return editor;
  };
  /** A meeting of a group with a facilitator (the coordinator) and members. */
  const scene = async (privacy: 'open' | 'closed' = 'closed') => {
    const group = await buildGroup({ privacy });
    const ana = await addMember(group);
    const ben = await addMember(group);
    const discussion = await buildDiscussion({ group, private: privacy !== 'open' });
    const meeting = await buildMeeting(app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['Budget', 'Garden'],
    });
    const f = await clients.connect(group.coordinator);
    return { group, ana, ben, discussion, meeting, f, facilitator: group.coordinator };
  };
  const sendUpdate = (editor: Editor, update: Uint8Array) =>
    new Promise<unknown>((resolve) =>
      editor.socket.emit(
        'collab:sync',
        { doc: editor.provider.key, sync: syncMessage(update) },
        resolve,
      ),
    );

  it('the facilitator and the named minute-taker write at once; a participant reads live and its update is refused', async () => {
    const { meeting, ana, ben, f, facilitator, group } = await scene();
    const stranger = await buildUser();
    // Only facilitators name the minute-taker, and only a participant.
    const refused = await app.post<{ error: { id: string; field: string } }>(
      `/api/meetings/${meeting.id}/actions`,
      { action: { type: 'minutes.taker', userId: String(stranger._id) } },
      { as: facilitator },
    );
    expect(refused.status).to.equal(400);
    expect(refused.body.error).to.include({ id: 'validation_error', field: 'action.userId' });
    const notFacilitator = await app.post<{ error: { id: string } }>(
      `/api/meetings/${meeting.id}/actions`,
      { action: { type: 'minutes.taker', userId: String(ana._id) } },
      { as: ben },
    );
    expect(notFacilitator.status).to.equal(403);
    const named = await app.post<{ meeting: MeetingDto }>(
      `/api/meetings/${meeting.id}/actions`,
      { action: { type: 'minutes.taker', userId: String(ana._id) } },
      { as: facilitator },
    );
    expect(named.status).to.equal(200);
    expect(named.body.meeting.minutes).to.deep.include({
      doc: minutesDocKey(meeting.id),
      canNameMinuteTaker: true,
      canPublish: false,
      published: null,
    });
    expect(named.body.meeting.minutes.minuteTaker?.id).to.equal(String(ana._id));

    const writer = await minutes(facilitator, meeting.id);
    const taker = await minutes(ana, meeting.id);
    const reader = await minutes(ben, meeting.id);
    expect([
      writer.provider.canEdit,
      taker.provider.canEdit,
      reader.provider.canEdit,
    ]).to.deep.equal([true, true, false]);
    // Two writers at once; the participant sees both, live.
    typeParagraph(writer.doc, 'Chair: the coordinator.');
    typeParagraph(taker.doc, 'Minutes by Ana.');
    for (const e of [writer, taker, reader])
      await until(
        () =>
          e.markdown().includes('Chair: the coordinator.') &&
          e.markdown().includes('Minutes by Ana.'),
        5000,
        'both paragraphs everywhere',
      );
    // The participant's own update is refused and changes nothing.
    const before = reader.markdown();
    const sneaky = new Y.Doc();
    Y.applyUpdate(sneaky, Y.encodeStateAsUpdate(reader.doc));
    const vector = Y.encodeStateVector(sneaky);
    typeParagraph(sneaky, 'Ben rewrote the minutes.');
    const reply = await sendUpdate(reader, Y.encodeStateAsUpdate(sneaky, vector));
    expect(reply).to.have.nested.property('error.id', 'authorization_error');
    typeParagraph(writer.doc, 'Next line.');
    await until(() => taker.markdown().includes('Next line.'), 5000, 'later typing');
    expect(taker.markdown()).not.to.include('Ben rewrote');
    expect(reader.markdown()).to.equal(`${before}\n\nNext line.`);

    // Unnamed, the minute-taker is read-only at once, and still reads.
    await act(f, meeting.id, { type: 'minutes.taker', userId: null });
    await until(() => !taker.provider.canEdit, 5000, 'minute-taker read-only');
    expect(taker.provider.status).not.to.equal('closed');
    typeParagraph(writer.doc, 'After the change.');
    await until(() => taker.markdown().includes('After the change.'), 5000, 'still reading');
    void group;
  });

  it('inserts decisions (a hidden result only once revealed) and, at the end, attendance with join and leave times', async () => {
    const { meeting, ana, ben, f, facilitator } = await scene();
    const seen = states(f);
    await watchMeeting(f, meeting.id);
    const writer = await minutes(facilitator, meeting.id);
    const anaReads = await minutes(ana, meeting.id);
    const benReads = await minutes(ben, meeting.id);
    await act(f, meeting.id, { type: 'meeting.start' });
    typeParagraph(writer.doc, 'The chair opened the meeting.');

    // A quick vote with hidden results: its decision says so, without the result.
    await act(f, meeting.id, {
      type: 'vote.open',
      clientId: clientId(),
      kind: 'proposal',
      title: 'Adopt the budget',
      durationSeconds: null,
      hidden: true,
    });
    const voting = await stateWhere(seen, (s) => s.quickVote?.pollId !== undefined);
    const pollId = voting.quickVote!.pollId;
    for (const [person, position] of [
      [ana, 'agree'],
      [ben, 'disagree'],
    ] as const) {
      const res = await app.request('PUT', `/api/polls/${pollId}/vote`, {
        as: person,
        body: { choices: [{ optionId: position, value: 1 }] },
      });
      expect(res.status).to.be.oneOf([200, 201]);
    }
    await act(f, meeting.id, { type: 'vote.close' });
    await until(() => blocksOf(anaReads.doc).length === 1, 5000, 'the decision block');
    const [hidden] = blocksOf(anaReads.doc);
    expect(hidden).to.include({ kind: 'decision', ref: `poll:${pollId}` });
    expect(hidden.text).to.include('### Decision: Adopt the budget');
    expect(hidden.text).to.include('hidden until the facilitators reveal it');
    expect(hidden.text).not.to.match(/Agree \d|voter/);

    // Revealed: the result joins the decision, for everyone.
    await act(f, meeting.id, { type: 'vote.reveal' });
    await until(
      () => blocksOf(benReads.doc)[0]?.text.includes('Result, revealed at') ?? false,
      5000,
      'the revealed result',
    );
    expect(blocksOf(benReads.doc)[0].text).to.match(
      /Agree 1 · Abstain 0 · Disagree 1 · Block 0 \(2 voters\)/,
    );
    // Typing merged with the server's blocks: the paragraph typed before is still there.
    expect(anaReads.markdown()).to.include('The chair opened the meeting.');

    // A vote with visible results: its decision carries the result at once.
    await act(f, meeting.id, {
      type: 'vote.open',
      clientId: clientId(),
      kind: 'proposal',
      title: 'Plant tomatoes',
      durationSeconds: null,
      hidden: false,
    });
    const second = await stateWhere(
      seen,
      (s) => s.quickVote !== null && s.quickVote.pollId !== pollId,
    );
    await app.request('PUT', `/api/polls/${second.quickVote!.pollId}/vote`, {
      as: ana,
      body: { choices: [{ optionId: 'agree', value: 1 }] },
    });
    await act(f, meeting.id, { type: 'vote.close' });
    await until(() => blocksOf(writer.doc).length === 2, 5000, 'the second decision');
    expect(blocksOf(writer.doc)[1].text).to.match(/Plant tomatoes[\s\S]*Agree 1 · Abstain 0/);

    // Ben leaves before the end: his leave time is kept.
    benReads.close();
    const deadline = Date.now() + 8000;
    let benRow = await MeetingAttendanceModel.findOne({
      meetingId: meeting.id,
      userId: ben._id,
    }).lean();
    while (!benRow?.leftAt && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      benRow = await MeetingAttendanceModel.findOne({
        meetingId: meeting.id,
        userId: ben._id,
      }).lean();
    }
    expect(benRow?.leftAt, 'ben left').to.be.instanceOf(Date);

    await act(f, meeting.id, { type: 'meeting.end' });
    // Other processes (and a publish) may insert it at the same moment as the feed's: one goes in.
    const id = new Types.ObjectId(meeting.id);
    await Promise.all([insertAttendance(id), insertAttendance(id), insertAttendance(id)]);
    await app.server.realtime.barrier();
    await app.server.realtime.meetings.minutes.idle();
    await until(
      () => blocksOf(anaReads.doc).some((b) => b.kind === 'attendance'),
      5000,
      'attendance',
    );
    // Everything stored has been broadcast, and a round trip on the socket has passed it.
    await app.server.collab.barrier();
    await watchMeeting(anaReads.socket, meeting.id);
    expect(blocksOf(anaReads.doc).filter((b) => b.kind === 'attendance')).to.have.length(1);
    const attendance = blocksOf(anaReads.doc).find((b) => b.kind === 'attendance')!;
    expect(attendance.text).to.include('### Attendance (3 people)');
    for (const person of [facilitator, ana, ben]) expect(attendance.text).to.include(person.name);
    const ended = await MeetingModel.findById(meeting.id).lean();
    const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;
    expect(attendance.text).to.include(`${ben.name}: `);
    expect(attendance.text).to.include(`to ${hhmm(benRow!.leftAt!)}`);
    expect(attendance.text).to.include(`to ${hhmm(ended!.endedAt!)}`);
    // Each block once, whatever the feed delivered.
    expect(ended!.minutesBlocks.sort()).to.deep.equal(
      [
        'attendance',
        `decision:${pollId}`,
        `result:${pollId}`,
        `decision:${second.quickVote!.pollId}`,
        `result:${second.quickVote!.pollId}`,
      ].sort(),
    );
  });

  it('publishes once the meeting ended: the record, the discussion timeline per view, email to those who want it; twice is once', async () => {
    const { meeting, ana, ben, f, facilitator, discussion, group } = await scene('open');
    const carol = await addMember(group);
    const off = await app.request('PATCH', '/api/me/email-preferences', {
      as: carol,
      body: { kinds: { meeting_minutes: false } },
    });
    expect(off.status).to.equal(200);
    const writer = await minutes(facilitator, meeting.id);
    const visitorReads = await minutes(null, meeting.id);
    expect(visitorReads.provider.canEdit).to.equal(false);
    await act(f, meeting.id, { type: 'meeting.start' });
    typeParagraph(writer.doc, 'We agreed to repaint the shed.');
    await until(
      () => visitorReads.markdown().includes('repaint the shed'),
      5000,
      'visitor reads live',
    );

    // Not before the end.
    const early = await app.post<{ error: { id: string } }>(
      `/api/meetings/${meeting.id}/actions`,
      { action: { type: 'minutes.publish', clientId: clientId() } },
      { as: facilitator },
    );
    expect(early.status).to.equal(409);
    expect(early.body.error.id).to.equal('meeting_state');
    await act(f, meeting.id, { type: 'meeting.end' });

    // Watching the discussion: a member, a guest-less visitor (open group).
    const member: Client = await clients.watching(ana, String(discussion._id));
    const visitor = await clients.connect(null);
    expect('data' in (await watch(visitor, String(discussion._id)))).to.equal(true);
    const got = (socket: Client) =>
      new Promise<TimelineEventDto>((resolve) =>
        socket.on('timeline:event', (e) => e.kind === 'minutes_published' && resolve(e)),
      );
    const toMember = got(member);
    const toVisitor = got(visitor);

    const id = clientId();
    const publish = (cid: string) =>
      app.post<{ meeting: MeetingDto; error?: { id: string } }>(
        `/api/meetings/${meeting.id}/actions`,
        { action: { type: 'minutes.publish', clientId: cid } },
        { as: facilitator },
      );
    // At once after the end: the attendance block is in what is published all the same.
    const [first, again] = await Promise.all([publish(id), publish(id)]);
    expect([first.status, again.status]).to.deep.equal([200, 200]);
    const published = first.body.meeting.minutes.published!;
    expect(published.markdown).to.include('We agreed to repaint the shed.');
    expect(published.markdown).to.include('### Attendance');
    expect(published.publishedBy.id).to.equal(String(facilitator._id));
    expect(published.discussionId).to.equal(String(discussion._id));
    expect(first.body.meeting.minutes.canPublish).to.equal(false);
    const other = await publish(clientId());
    expect(other.status).to.equal(409);
    expect(other.body.error!.id).to.equal('minutes_published');

    for (const event of [await toMember, await toVisitor]) {
      expect(event.actor?.id).to.equal(String(facilitator._id));
      expect(event.minutes).to.deep.equal({
        meetingId: meeting.id,
        title: 'Board meeting',
        markdown: published.markdown,
      });
    }
    expect(await EventModel.countDocuments({ meetingId: meeting.id })).to.equal(1);
    const page = await app.get<{ items: TimelineEventDto[] }>(
      `/api/discussions/${String(discussion._id)}/events`,
    );
    expect(page.body.items.find((e) => e.kind === 'minutes_published')?.minutes?.markdown).to.equal(
      published.markdown,
    );

    // The document is read-only now, for everyone.
    await until(() => !writer.provider.canEdit, 5000, 'read-only once published');
    const after = await app.get<{ meeting: MeetingDto }>(`/api/meetings/${meeting.id}`);
    expect(after.body.meeting.minutes.published?.markdown).to.equal(published.markdown);

    // Email to members who want it, once; not to the publisher nor to carol (switched off).
    expect(
      await NotificationModel.countDocuments({ meetingId: meeting.id, kind: 'meeting_minutes' }),
    ).to.equal(3);
    // Minutes are group activity: emailed when the batch window ends (with whatever else came).
    await runJobs(app);
    await runJobs(app, afterWindow());
    for (const person of [ana, ben]) {
      const mails = app.server.mailer.to(person.email);
      expect(mails).to.have.length(1);
      expect(mails[0].subject).to.equal('Minutes of "Board meeting"');
      expect(mails[0].text).to.include('We agreed to repaint the shed.');
      expect(mails[0].text).to.include(`${app.url}${meetingPath(meeting.id)}`);
    }
    expect(app.server.mailer.to(carol.email)).to.deep.equal([]);
    expect(app.server.mailer.to(facilitator.email)).to.deep.equal([]);
  });

  it('a member removed while reading the minutes stops receiving them at once', async () => {
    const { meeting, ana, ben, f, facilitator, group } = await scene('closed');
    await act(f, meeting.id, { type: 'minutes.taker', userId: String(ana._id) });
    const writer = await minutes(facilitator, meeting.id);
    const taker = await minutes(ana, meeting.id);
    const reader = await minutes(ben, meeting.id);
    typeParagraph(writer.doc, 'Before.');
    await until(
      () => reader.markdown().includes('Before.') && taker.markdown().includes('Before.'),
    );
    for (const who of [ben, ana]) {
      const res = await app.delete(`/api/groups/${String(group._id)}/members/${String(who._id)}`, {
        as: facilitator,
      });
      expect(res.status).to.equal(204);
    }
    await until(() => reader.provider.status === 'closed', 5000, 'reader cut off');
    await until(() => taker.provider.status === 'closed', 5000, 'minute-taker cut off');
    const heard = reader.received.length + taker.received.length;
    typeParagraph(writer.doc, 'After.');
    await until(() => writer.provider.pending === 0, 5000, 'stored');
    await app.server.collab.barrier();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reader.received.length + taker.received.length).to.equal(heard);
    expect(reader.markdown()).not.to.include('After.');
    // Opening them again is refused: the meeting no longer exists for them.
    const socket = await clients.connect(ben);
    expect(await watchMeeting(socket, meeting.id)).to.have.nested.property('error.id', 'not_found');
    const reopened = await new Promise<unknown>((resolve) =>
      socket.emit(
        'collab:open',
        { doc: minutesDocKey(meeting.id), sync: new Uint8Array([0, 1, 0]) },
        resolve,
      ),
    );
    expect(reopened).to.have.nested.property('error.id', 'not_found');
  });
});
