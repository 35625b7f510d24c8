import { expect } from 'chai';
import { startEngine, type RunningEngine } from '../engine/index.js';
import { PollModel } from '../models/poll.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { TestClients } from '../realtime/test-clients.js';
import { sharedSecret } from '../realtime/test-process.js';
import { act, buildMeeting, clientId, stateWhere, states, watchMeeting } from './test-meetings.js';

/**
 * A server restart in the middle of a meeting: the engine outlives the app,
 * which stops and starts again on it. Everything a screen shows comes back
 * the same: the item and its paused timer, the speaker and their timer, every
 * hand in its place, and a quick vote still closes at its time.
 */
describe('meetings across a restart', function () {
  this.timeout(60_000);
  let engine: RunningEngine;
  let app: TestApp | null = null;
  const secret = sharedSecret();
  const start = async () => {
    app = await startTestApp({ MONGODB_URI: engine.uri, JWT_SECRET: secret });
    await app.server.realtime.ready;
    return app;
  };
  before(async () => {
    engine = await startEngine({ host: '127.0.0.1', port: 0, dataDir: null });
  });
  after(async () => {
    await app?.close();
    await engine?.close();
  });

  it('loses nothing: item, timers, speaker, queue, and the quick vote closes on time', async () => {
    const first = await start();
    const group = await buildGroup();
    const people = [await addMember(group), await addMember(group), await addMember(group)];
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(first, {
      group,
      as: group.coordinator,
      discussion,
      items: ['Before', 'During'],
    });
    let clients = new TestClients(first);
    const f = await clients.connect(group.coordinator);
    const seen = states(f);
    await watchMeeting(f, meeting.id);
    await act(f, meeting.id, { type: 'meeting.start' });
    await act(f, meeting.id, { type: 'settings', speakingCapSeconds: 120 });
    for (const [i, person] of people.entries()) {
      const socket = await clients.connect(person);
      await act(socket, meeting.id, {
        type: 'hand.raise',
        kind: i === 2 ? 'direct_reply' : 'speak',
        clientId: clientId(),
      });
    }
    await stateWhere(seen, (s) => s.queue.length === 3);
    await act(f, meeting.id, { type: 'speaker.next', from: null });
    await act(f, meeting.id, { type: 'timer.pause', target: 'item' });
    await act(f, meeting.id, {
      type: 'vote.open',
      clientId: clientId(),
      kind: 'proposal',
      title: 'Across the restart?',
      durationSeconds: 4,
      hidden: true,
    });
    const before = await stateWhere(
      seen,
      (s) =>
        (s.quickVote?.poll ?? null) !== null &&
        s.itemTimer?.runningSince === null &&
        s.speaker !== null,
    );
    clients.closeAll();
    await first.close();
    app = null;

    const second = await start();
    clients = new TestClients(second);
    const again = await clients.connect(group.coordinator);
    const reply = await watchMeeting(again, meeting.id);
    if (!('data' in reply)) throw new Error(reply.error.id);
    const after = reply.data;
    for (const field of [
      'state',
      'currentItemId',
      'itemTimer',
      'speaker',
      'queue',
      'agenda',
    ] as const)
      expect(after[field], field).to.deep.equal(before[field]);
    expect(after.quickVote?.pollId).to.equal(before.quickVote?.pollId);
    expect(after.speaker!.timer.durationMs).to.equal(120_000);

    const seenAgain = states(again);
    seenAgain.push(after);
    const closed = await stateWhere(
      seenAgain,
      (s) => (s.quickVote?.poll?.closedAt ?? null) !== null,
      8000,
    );
    const poll = await PollModel.findById(closed.quickVote!.pollId).lean();
    expect(poll!.closedAt!.getTime()).to.equal(poll!.closesAt!.getTime());
    expect(Date.now() - poll!.closesAt!.getTime()).to.be.below(1000);
    clients.closeAll();
  });
});
