import { expect } from 'chai';
import type { MeetingDto } from '../../../shared/meetings.js';
import { MeetingHandModel } from '../models/meeting-hand.js';
import { MeetingModel } from '../models/meeting.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { LiveMeetingCache, liveQueues } from './live-cache.js';
import { buildMeeting, clientId, storedRecords } from './test-meetings.js';

/**
 * Calling the next speaker where the process presents the meeting live: the
 * first in line comes from the queue it holds when that is the stored one,
 * without reading 300 hands. Here the cache is fed by nobody, so each test
 * is the moment between a write and the feed bringing it.
 */
describe('meetings: the next speaker from the queue this process holds', function () {
  this.timeout(30_000);
  let app: TestApp;
  let cache: LiveMeetingCache;
  let detach: () => void;
  before(async () => {
    app = await startTestApp();
  });
  beforeEach(() => {
    cache = new LiveMeetingCache();
    detach = liveQueues.attach(cache);
  });
  afterEach(() => detach());
  after(() => app.close());

  const records = storedRecords;

  const perform = (meeting: MeetingDto, as: UserDocument, action: Record<string, unknown>) =>
    app.post(`/api/meetings/${meeting.id}/actions`, { action }, { as });

  /** A live meeting of `n` members, the first `raised` with a hand up, held as a live presentation holds it. */
  async function heldMeeting(n: number, raised = n) {
    const group = await buildGroup();
    const people: UserDocument[] = [];
    for (let i = 0; i < n; i++) people.push(await addMember(group));
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    expect((await perform(meeting, group.coordinator, { type: 'meeting.start' })).status).to.equal(
      200,
    );
    for (const person of people.slice(0, raised))
      await perform(meeting, person, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    const parts = await cache.parts(meeting.id, records);
    expect(parts!.queue.map((h) => String(h.userId))).to.deep.equal(
      people.slice(0, raised).map((p) => String(p._id)),
    );
    const next = async (from: string | null = null) => {
      const res = await perform(meeting, group.coordinator, { type: 'speaker.next', from });
      expect(res.status).to.equal(200);
      const speaking = await MeetingHandModel.find({ meetingId: meeting.id, state: 'speaking' });
      expect(speaking).to.have.length(1);
      return speaking[0];
    };
    return { meeting, people, group, parts: parts!, next };
  }

  it('decides from the held queue: a point of order stored elsewhere a moment ago waits for the feed', async () => {
    const { meeting, people, parts, next } = await heldMeeting(3, 2);
    // Another process stores a point of order; this one has not heard of it yet.
    const order = await MeetingHandModel.create({
      meetingId: meeting.id,
      itemId: parts.meeting.currentItemId,
      userId: people[2]._id,
      kind: 'point_of_order',
      clientId: clientId(),
      position: Date.now(),
      raisedAt: new Date(),
    });
    const first = await next();
    expect(String(first.userId)).to.equal(String(people[0]._id));
    // The feed brings it: the queue is read until a presentation holds it, and it goes first.
    cache.handChanged(meeting.id, { hand: order.toObject(), inserted: true });
    const second = await next(String(first._id));
    expect(String(second._id)).to.equal(String(order._id));
  });

  it('a raise this process answered as stored is in the next call, before the feed brings it', async () => {
    const { meeting, people, next } = await heldMeeting(3, 2);
    const res = await perform(meeting, people[2], {
      type: 'hand.raise',
      kind: 'point_of_order',
      clientId: clientId(),
    });
    expect(res.status).to.equal(200);
    const called = await next();
    expect(String(called.userId)).to.equal(String(people[2]._id));
    expect(called.kind).to.equal('point_of_order');
  });

  it('never calls a hand lowered elsewhere a moment ago, though the held queue still shows it', async () => {
    const { people, parts, next } = await heldMeeting(3);
    await MeetingHandModel.updateOne(
      { _id: parts.queue[0]._id },
      { $set: { state: 'lowered', doneAt: new Date() } },
    );
    const called = await next();
    expect(String(called._id)).to.equal(String(parts.queue[1]._id));
    expect(String(called.userId)).to.equal(String(people[1]._id));
    const meeting = await MeetingModel.findById(parts.meeting._id).lean();
    expect(String(meeting!.speaker!.handId)).to.equal(String(parts.queue[1]._id));
  });

  it('a raise that lowers one hand and stores another waits for the new one, not the first change fed', async () => {
    const { meeting, people, parts, next } = await heldMeeting(3);
    // The last in line asks for a point of order: their hand to speak is lowered, a new one stored.
    const res = await perform(meeting, people[2], {
      type: 'hand.raise',
      kind: 'point_of_order',
      clientId: clientId(),
    });
    expect(res.status).to.equal(200);
    // The feed brings the lowering first, and a presentation takes it; the new hand is on its way.
    const lowered = await MeetingHandModel.findById(parts.queue[2]._id).lean();
    expect(lowered!.state).to.equal('lowered');
    cache.handChanged(meeting.id, { hand: lowered!, inserted: false });
    const held = await cache.parts(meeting.id, records);
    expect(held!.queue).to.have.length(2);
    const called = await next();
    expect(String(called.userId)).to.equal(String(people[2]._id));
    expect(called.kind).to.equal('point_of_order');
  });

  it('a call decided on a held meeting another process moved on writes nothing of the old item', async () => {
    const { meeting, parts, group } = await heldMeeting(2);
    // Another process moves to the next item: this one still holds the meeting as it was.
    const moved = await MeetingModel.updateOne(
      { _id: parts.meeting._id, revision: parts.meeting.revision },
      { $set: { currentItemId: 'another-item' }, $inc: { revision: 1 } },
    );
    expect(moved.modifiedCount).to.equal(1);
    const res = await perform(meeting, group.coordinator, { type: 'speaker.next', from: null });
    expect(res.status).to.equal(200);
    const hands = await MeetingHandModel.find({ meetingId: meeting.id }).lean();
    expect(hands.map((h) => h.state)).to.deep.equal(['waiting', 'waiting']);
    const stored = await MeetingModel.findById(parts.meeting._id).lean();
    expect(stored!.speaker).to.equal(null);
  });
});
