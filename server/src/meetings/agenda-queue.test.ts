import { expect } from 'chai';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { buildPoll } from '../test/factories-polls.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { TestClients } from '../realtime/test-clients.js';
import { act, buildMeeting, clientId, joinMeeting, stateWhere } from './test-meetings.js';

/**
 * What the web client's agenda editor and queue controls send: editing,
 * linking, removing and reordering items before and during a meeting, and
 * reordering, removing and capping speakers, each seen live by a
 * participant's socket.
 */
describe('meetings: editing the agenda and ordering the speakers', function () {
  this.timeout(30_000);
  let app: TestApp;
  let clients: TestClients;
  before(async () => {
    app = await startTestApp();
    await app.server.realtime.ready;
    clients = new TestClients(app);
  });
  afterEach(() => clients.closeAll());
  after(() => app.close());

  const joined = (user: UserDocument, meetingId: string) => joinMeeting(clients, user, meetingId);

  it('edits, links, removes and reorders items, scheduled and live, seen live by participants', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const poll = await buildPoll({ discussion });
    const elsewhere = await buildDiscussion();
    const meeting = await buildMeeting(app, {
      group,
      as: group.coordinator,
      items: ['Minutes', 'Budget', 'Garden', 'Other business'],
    });
    const [minutes, budget, garden, other] = meeting.agenda.map((i) => i.id);
    const f = await joined(group.coordinator, meeting.id);
    const p = await joined(member, meeting.id);

    await act(f.socket, meeting.id, {
      type: 'agenda.edit',
      itemId: budget,
      title: 'Budget 2025',
      notes: 'Treasurer presents',
      timeboxSeconds: 900,
      discussionId: String(discussion._id),
      pollId: String(poll._id),
    });
    const edited = await stateWhere(p.seen, (s) => s.agenda[1]?.title === 'Budget 2025');
    expect(edited.agenda[1]).to.include({
      notes: 'Treasurer presents',
      timeboxSeconds: 900,
      discussionId: String(discussion._id),
      pollId: String(poll._id),
    });
    // Leaving a link out keeps it; null unlinks.
    await act(f.socket, meeting.id, { type: 'agenda.edit', itemId: budget, pollId: null });
    const unlinked = await stateWhere(
      p.seen,
      (s) => s.agenda[1]?.title === 'Budget 2025' && s.agenda[1].pollId === null,
    );
    expect(unlinked.agenda[1].discussionId).to.equal(String(discussion._id));

    await act(f.socket, meeting.id, { type: 'agenda.remove', itemId: other });
    await act(f.socket, meeting.id, {
      type: 'agenda.reorder',
      itemIds: [garden, minutes, budget],
    });
    const reordered = await stateWhere(p.seen, (s) => s.agenda[0]?.id === garden);
    expect(reordered.agenda.map((i) => i.title)).to.deep.equal([
      'Garden',
      'Minutes',
      'Budget 2025',
    ]);

    // Live: the first item in the new order starts; the agenda can still change around it.
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await stateWhere(p.seen, (s) => s.currentItemId === garden);
    await act(f.socket, meeting.id, {
      type: 'agenda.add',
      clientId: clientId(),
      title: 'Late addition',
      timeboxSeconds: 120,
    });
    const late = await stateWhere(p.seen, (s) => s.agenda[3]?.title === 'Late addition');
    const added = late.agenda[3].id;
    await act(f.socket, meeting.id, {
      type: 'agenda.reorder',
      itemIds: [garden, added, minutes, budget],
    });
    await stateWhere(p.seen, (s) => s.agenda[1]?.id === added);
    // The running item's time box follows an edit.
    await act(f.socket, meeting.id, { type: 'agenda.edit', itemId: garden, timeboxSeconds: 1200 });
    await stateWhere(p.seen, (s) => s.itemTimer?.durationMs === 1_200_000);

    const refused = (action: Parameters<typeof act>[2]) =>
      act(f.socket, meeting.id, action).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    expect(await refused({ type: 'agenda.remove', itemId: garden })).to.match(
      /^validation_error: action.itemId is the current item/,
    );
    expect(await refused({ type: 'agenda.reorder', itemIds: [garden, minutes] })).to.match(
      /^validation_error: action.itemIds/,
    );
    expect(
      await refused({
        type: 'agenda.edit',
        itemId: minutes,
        discussionId: String(elsewhere._id),
      }),
    ).to.equal('validation_error: action.discussionId is not a discussion of this group');
    expect(
      await refused({ type: 'agenda.add', clientId: clientId(), title: '', timeboxSeconds: 60 }),
    ).to.equal('validation_error: action.title must not be empty');
    expect(
      await refused({ type: 'agenda.add', clientId: clientId(), title: 'Zero', timeboxSeconds: 0 }),
    ).to.equal('validation_error: action.timeboxSeconds must be at least 10 seconds');
    // Participants may not edit the agenda.
    expect(
      await act(p.socket, meeting.id, { type: 'agenda.reorder', itemIds: [] }).then(
        () => 'accepted',
        (e: Error) => e.message.split(':')[0],
      ),
    ).to.equal('authorization_error');
  });

  it('reorders and removes waiting hands and caps the current speaker, seen live', async () => {
    const group = await buildGroup();
    const people: UserDocument[] = [];
    for (let i = 0; i < 4; i++) people.push(await addMember(group));
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    const f = await joined(group.coordinator, meeting.id);
    const ps = [];
    for (const person of people) ps.push(await joined(person, meeting.id));
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await stateWhere(f.seen, (s) => s.state === 'live' && s.currentItemId !== null);
    for (const p of ps.slice(0, 3))
      await act(p.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    const id = (u: UserDocument) => String(u._id);
    const raised = await stateWhere(f.seen, (s) => s.queue.length === 3);
    const [h0, h1, h2] = raised.queue.map((h) => h.id);
    expect(raised.queue.map((h) => h.user?.id)).to.deep.equal(people.slice(0, 3).map(id));

    // Move the last up twice: the facilitator sends the whole order each time.
    await act(f.socket, meeting.id, { type: 'queue.reorder', handIds: [h0, h2, h1] });
    await act(f.socket, meeting.id, { type: 'queue.reorder', handIds: [h2, h0, h1] });
    const watcher = ps[3];
    const moved = await stateWhere(watcher.seen, (s) => s.queue[0]?.id === h2);
    expect(moved.queue.map((h) => h.id)).to.deep.equal([h2, h0, h1]);

    // A point of order still goes first; a newly raised hand after the facilitator's order.
    await act(ps[3].socket, meeting.id, {
      type: 'hand.raise',
      kind: 'point_of_order',
      clientId: clientId(),
    });
    const withPoo = await stateWhere(watcher.seen, (s) => s.queue.length === 4);
    expect(withPoo.queue.map((h) => h.id).slice(1)).to.deep.equal([h2, h0, h1]);

    await act(f.socket, meeting.id, { type: 'hand.remove', handId: h0 });
    const removed = await stateWhere(
      watcher.seen,
      (s) => s.queue.length === 3 && s.queue.every((h) => h.id !== h0),
    );
    expect(removed.queue.map((h) => h.id).slice(1)).to.deep.equal([h2, h1]);
    expect(
      await act(f.socket, meeting.id, { type: 'queue.reorder', handIds: [h0, h1] }).then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    ).to.match(/^validation_error: action.handIds/);

    // A cap set while someone speaks applies to their turn at once; lifting it counts up.
    await act(f.socket, meeting.id, { type: 'speaker.next', from: null });
    const speaking = await stateWhere(watcher.seen, (s) => s.speaker !== null);
    expect(speaking.speaker!.timer.durationMs).to.equal(null);
    await act(f.socket, meeting.id, { type: 'settings', speakingCapSeconds: 90 });
    const capped = await stateWhere(watcher.seen, (s) => s.speaker?.timer.durationMs === 90_000);
    expect(capped.speakingCapSeconds).to.equal(90);
    expect(capped.speaker!.handId).to.equal(speaking.speaker!.handId);
    await act(f.socket, meeting.id, { type: 'settings', speakingCapSeconds: null });
    await stateWhere(
      watcher.seen,
      (s) => s.speakingCapSeconds === null && s.speaker?.timer.durationMs === null,
    );
  });
});
