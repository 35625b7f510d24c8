import { expect } from 'chai';
import { Types } from 'mongoose';
import type { MeetingDto } from '../../../shared/meetings.js';
import { MeetingHandModel } from '../models/meeting-hand.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { TestClients } from '../realtime/test-clients.js';
import { act, buildMeeting, clientId, joinMeeting, stateWhere } from './test-meetings.js';
import { handKey, liveQueues } from './live-cache.js';

/**
 * Hands as the live path keeps them: checked against the meeting the process
 * holds (never older than its own last write), stored in one write, and
 * applied to the live queue from the change feed's documents instead of read
 * again. What every screen shows must be what a fresh read shows.
 */
describe('meetings: hands kept live from the change feed', function () {
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

  /** The queue as `GET /api/meetings/:id` reads it now, as the given person sees it. */
  async function freshQueue(meetingId: string, as: UserDocument) {
    const res = await app.get(`/api/meetings/${meetingId}`, { as });
    expect(res.status).to.equal(200);
    return (res.body as { meeting: MeetingDto }).meeting.queue;
  }
  const queueOf = (state: MeetingDto) => state.queue.map((h) => `${h.user?.id}:${h.kind}`);

  it('a hand raised the moment the next item starts belongs to the new item', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['A', 'B'] });
    const [a, b] = meeting.agenda.map((i) => i.id);
    const f = await joined(group.coordinator, meeting.id);
    const p = await joined(member, meeting.id);
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await stateWhere(p.seen, (s) => s.currentItemId === a);
    // The participant acts on the meeting as held before the change: the change drops it.
    await act(p.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    await act(f.socket, meeting.id, { type: 'agenda.next', from: a });
    await act(p.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    const hands = await MeetingHandModel.find({ userId: member._id, state: 'waiting' }).lean();
    expect(hands.map((h) => h.itemId).sort()).to.deep.equal([a, b].sort());
    const onB = await stateWhere(p.seen, (s) => s.currentItemId === b && s.queue.length === 1);
    expect(onB.queue[0].user?.id).to.equal(String(member._id));
  });

  it('two raises from two tabs at once make one waiting hand', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    const f = await joined(group.coordinator, meeting.id);
    const tabs = [await joined(member, meeting.id), await joined(member, meeting.id)];
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await stateWhere(f.seen, (s) => s.state === 'live');
    await Promise.all(
      tabs.map((tab, i) =>
        act(tab.socket, meeting.id, {
          type: 'hand.raise',
          kind: i === 0 ? 'speak' : 'direct_reply',
          clientId: clientId(),
        }),
      ),
    );
    const waiting = await MeetingHandModel.countDocuments({ userId: member._id, state: 'waiting' });
    expect(waiting).to.equal(1);
    const shown = await stateWhere(f.seen, (s) => s.queue.length === 1);
    expect(shown.queue[0].user?.id).to.equal(String(member._id));
  });

  it('after raises, lowers, changes of kind, calls, skips and removals, every screen shows what a fresh read shows', async () => {
    const group = await buildGroup();
    const people: UserDocument[] = [];
    for (let i = 0; i < 6; i++) people.push(await addMember(group));
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    const f = await joined(group.coordinator, meeting.id);
    const ps: Array<Awaited<ReturnType<typeof joined>>> = [];
    for (const person of people) ps.push(await joined(person, meeting.id));
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await stateWhere(f.seen, (s) => s.state === 'live');
    const raise = (i: number, kind: 'speak' | 'direct_reply' | 'point_of_order') =>
      act(ps[i].socket, meeting.id, { type: 'hand.raise', kind, clientId: clientId() });

    await Promise.all([raise(0, 'speak'), raise(1, 'speak'), raise(2, 'direct_reply')]);
    await Promise.all([
      raise(3, 'speak'),
      raise(1, 'direct_reply'), // a change of kind keeps the hand
      act(ps[0].socket, meeting.id, { type: 'hand.lower' }),
      raise(4, 'point_of_order'),
    ]);
    let shown = await stateWhere(f.seen, (s) => s.queue.length === 4);
    await act(f.socket, meeting.id, { type: 'speaker.next', from: null });
    shown = await stateWhere(f.seen, (s) => s.speaker !== null && s.queue.length === 3);
    await Promise.all([
      raise(0, 'speak'),
      raise(5, 'point_of_order'),
      act(f.socket, meeting.id, { type: 'hand.skip', handId: shown.queue[0].id }),
    ]);
    shown = await stateWhere(f.seen, (s) => s.queue.length === 5);
    await act(f.socket, meeting.id, { type: 'hand.remove', handId: shown.queue[1].id });
    await act(f.socket, meeting.id, { type: 'speaker.next', from: shown.speaker!.handId });

    // Every change is stored: the screens settle on what a fresh read shows (or never do).
    const fresh = await freshQueue(meeting.id, group.coordinator);
    const ids = (queue: MeetingDto['queue']) => queue.map((h) => h.id).join();
    expect(fresh).to.have.length(3);
    const last = await stateWhere(
      f.seen,
      (s) => s.speaker?.handId !== shown.speaker!.handId && ids(s.queue) === ids(fresh),
    );
    expect(queueOf(last)).to.deep.equal(fresh.map((h) => `${h.user?.id}:${h.kind}`));
    // A participant's screen shows the same hands in the same order.
    await stateWhere(ps[3].seen, (s) => ids(s.queue) === ids(fresh));
    expect(f.seen.gaps + ps[3].seen.gaps).to.equal(0);
  });

  describe('a burst of raises on this process', () => {
    const gatherMs = () => app.server.realtime.meetings.gatherMs;
    let saved: number;
    beforeEach(() => (saved = gatherMs()));
    afterEach(() => void (app.server.realtime.meetings.gatherMs = saved));
    /** Long enough for a presentation that did not wait to have reached the screens. */
    const aMoment = () => new Promise((resolve) => setTimeout(resolve, 300));

    /** A live meeting with a facilitator and two members watching, and a hand of the second's made ready. */
    async function burst() {
      const group = await buildGroup();
      const [first, second] = [await addMember(group), await addMember(group)];
      const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
      const f = await joined(group.coordinator, meeting.id);
      const p = await joined(first, meeting.id);
      await act(f.socket, meeting.id, { type: 'meeting.start' });
      const live = await stateWhere(f.seen, (s) => s.state === 'live');
      const hand = {
        _id: new Types.ObjectId(),
        meetingId: new Types.ObjectId(meeting.id),
        itemId: live.currentItemId,
        userId: second._id,
        kind: 'speak' as const,
        clientId: clientId(),
        position: Date.now(),
        raisedAt: new Date(),
      };
      // The second raise, as the speakers' command makes it: marked as on its way, then written.
      const unmark = liveQueues.writing(meeting.id, [handKey(hand._id)]);
      const raiseFirst = () =>
        act(p.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
      const shows = (id: unknown) => (s: MeetingDto) =>
        s.queue.some((h) => h.user?.id === String(id));
      return { f, first, second, hand, unmark, raiseFirst, shows };
    }

    it('a raise waits for the one already on its way, and both reach screens in one change', async () => {
      app.server.realtime.meetings.gatherMs = 5_000;
      const { f, first, hand, raiseFirst, shows } = await burst();
      await raiseFirst();
      await aMoment();
      expect(f.seen.some(shows(first._id)), 'shown before the other hand came').to.equal(false);
      await MeetingHandModel.create(hand);
      const shown = await stateWhere(f.seen, shows(first._id));
      // The first screen state with the first hand already has the second: one presentation.
      expect(f.seen.find(shows(first._id))).to.equal(shown);
      expect(shown.queue.map((h) => h.user?.id)).to.have.members([
        String(first._id),
        String(hand.userId),
      ]);
      expect(f.seen.gaps).to.equal(0);
    });

    it('a write that never comes back holds a raise back for the window, no longer', async () => {
      app.server.realtime.meetings.gatherMs = 600;
      const { f, first, second, unmark, raiseFirst, shows } = await burst();
      try {
        const raised = Date.now();
        await raiseFirst();
        const shown = await stateWhere(f.seen, shows(first._id));
        const waited = Date.now() - raised;
        expect(waited, 'held back').to.be.at.least(550);
        expect(waited, 'then let through').to.be.below(4_000);
        expect(shown.queue.map((h) => h.user?.id)).to.deep.equal([String(first._id)]);
        expect(f.seen.some(shows(second._id))).to.equal(false);
      } finally {
        unmark();
      }
    });

    it('a write that changed nothing (its mark taken back) lets a waiting raise through at once', async () => {
      app.server.realtime.meetings.gatherMs = 60_000;
      const { f, first, unmark, raiseFirst, shows } = await burst();
      await raiseFirst();
      await aMoment();
      expect(f.seen.some(shows(first._id)), 'waiting').to.equal(false);
      unmark();
      const shown = await stateWhere(f.seen, shows(first._id), 2_000);
      expect(shown.queue).to.have.length(1);
    });
  });
});
