import { expect } from 'chai';
import type { MeetingDto } from '../../../shared/meetings.js';
import { timerRemainingMs } from '../../../shared/meetings.js';
import type { UserDocument } from '../models/user.js';
import { PollModel } from '../models/poll.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from '../test/factories.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { record, TestClients, watch } from '../realtime/test-clients.js';
import { commandsOf } from '../test/driver-commands.js';
import {
  act,
  buildMeeting,
  clientId,
  hiddenQuickVote,
  sampleOffset,
  stateWhere,
  states,
  watchMeeting,
} from './test-meetings.js';

/**
 * A facilitator and five participants run a meeting over real sockets, with
 * a visitor watching (the group is open): three agenda items, hands of every
 * kind, a quick vote that closes on time and reveals on command, temperature
 * checks.
 */
describe('meetings live', function () {
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

  async function joined(user: UserDocument | null, meetingId: string) {
    const socket = await clients.connect(user);
    const seen = states(socket);
    const all = record(socket);
    const reply = await watchMeeting(socket, meetingId);
    if (!('data' in reply)) throw new Error(`watch refused: ${reply.error.id}`);
    return { socket, seen, all, first: reply.data };
  }

  it('runs three items with hands in priority order, a timed hidden quick vote and temperature counts', async () => {
    const group = await buildGroup({ privacy: 'open' });
    const facilitator = group.coordinator;
    const people: UserDocument[] = [];
    for (let i = 0; i < 5; i++) people.push(await addMember(group));
    const discussion = await buildDiscussion({ group, private: false });
    const meeting = await buildMeeting(app, {
      group,
      as: facilitator,
      discussion,
      items: ['Budget', 'Garden shed', 'Any other business'],
    });
    const f = await joined(facilitator, meeting.id);
    const ps: Awaited<ReturnType<typeof joined>>[] = [];
    for (const person of people) ps.push(await joined(person, meeting.id));
    const v = await joined(null, meeting.id);
    // Someone reading the discussion (not the meeting) sees the poll as polls are seen.
    const reader = await clients.connect(people[4]);
    const readerSeen = record(reader);
    await watch(reader, String(discussion._id));
    expect(f.first.view).to.equal('facilitator');
    expect(ps[0].first.view).to.equal('participant');
    expect(v.first.view).to.equal('visitor');
    expect(v.first.abilities).to.deep.equal({ canFacilitate: false, canParticipate: false });

    await act(f.socket, meeting.id, { type: 'meeting.start' });
    const [budget, shed, aob] = meeting.agenda.map((item) => item.id);
    for (const who of [f, ...ps, v])
      await stateWhere(who.seen, (s) => s.state === 'live' && s.currentItemId === budget);

    // Hands: a speaker, a direct reply, a point of order, another speaker.
    const [p1, p2, p3, p4, p5] = ps;
    await act(p1.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    await act(p2.socket, meeting.id, {
      type: 'hand.raise',
      kind: 'direct_reply',
      clientId: clientId(),
    });
    const poo = clientId();
    await act(p3.socket, meeting.id, { type: 'hand.raise', kind: 'point_of_order', clientId: poo });
    // A double click raises once.
    await act(p3.socket, meeting.id, { type: 'hand.raise', kind: 'point_of_order', clientId: poo });
    await act(p4.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    const id = (u: UserDocument) => String(u._id);
    const queued = await stateWhere(f.seen, (s) => s.queue.length === 4);
    expect(queued.queue.map((h) => h.user?.id)).to.deep.equal(
      [people[2], people[1], people[0], people[3]].map(id),
    );
    expect(queued.queue.map((h) => h.kind)).to.deep.equal([
      'point_of_order',
      'direct_reply',
      'speak',
      'speak',
    ]);
    // The visitor sees the queue, but not who raised the point of order.
    const visitorQueue = await stateWhere(v.seen, (s) => s.queue.length === 4);
    expect(visitorQueue.queue[0]).to.include({ kind: 'point_of_order', user: null });
    expect(JSON.stringify(v.seen)).not.to.include(id(people[2]));

    // Calling goes in that order; a called point of order is named to everyone.
    let speaker: string | null = null;
    for (const expected of [people[2], people[1], people[0]]) {
      await act(f.socket, meeting.id, { type: 'speaker.next', from: speaker });
      const s = await stateWhere(v.seen, (x) => x.speaker?.user.id === id(expected));
      speaker = s.speaker!.handId;
    }
    // Progressive stack: p1 spoke, so p5 (not yet spoken) goes before p1's second hand.
    await act(p1.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    await act(p5.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    const progressive = await stateWhere(
      f.seen,
      (s) => s.queue.length === 3 && s.queue.some((h) => h.user?.id === id(people[4])),
    );
    expect(progressive.queue.map((h) => h.user?.id)).to.deep.equal(
      [people[3], people[4], people[0]].map(id),
    );
    expect(progressive.queue[2].spokeOnItem).to.equal(true);
    // A second "next" from the same click calls once.
    await Promise.all([
      act(f.socket, meeting.id, { type: 'speaker.next', from: speaker }),
      act(f.socket, meeting.id, { type: 'speaker.next', from: speaker }),
    ]);
    const once = await stateWhere(f.seen, (s) => s.speaker?.user.id === id(people[3]));
    expect(once.queue).to.have.length(2);

    // Item 2: the queue and any speaker are gone; temperature checks are counts for facilitators only.
    await act(f.socket, meeting.id, { type: 'agenda.next', from: budget });
    const second = await stateWhere(f.seen, (s) => s.currentItemId === shed);
    expect(second.speaker).to.equal(null);
    expect(second.queue).to.deep.equal([]);
    expect(second.agenda[0].endedAt).to.be.a('string');
    await act(p1.socket, meeting.id, { type: 'temperature', signal: 'agree' });
    await act(p2.socket, meeting.id, { type: 'temperature', signal: 'agree' });
    await act(p3.socket, meeting.id, { type: 'temperature', signal: 'disagree' });
    const warm = await stateWhere(
      f.seen,
      (s) => s.temperature?.disagree === 1 && s.temperature.agree === 2,
    );
    expect(warm.temperature).to.deep.equal({
      agree: 2,
      unsure: 0,
      disagree: 1,
      slow_down: 0,
      louder: 0,
    });
    for (const p of ps) expect(p.seen.every((s) => s.temperature === null)).to.equal(true);
    expect(v.seen.every((s) => s.temperature === null)).to.equal(true);

    // A quick vote of 3 s, results hidden until revealed.
    const opened = Date.now();
    await act(f.socket, meeting.id, {
      type: 'vote.open',
      clientId: clientId(),
      kind: 'proposal',
      title: 'Build the shed?',
      durationSeconds: 3,
      hidden: true,
    });
    const voting = await stateWhere(
      p1.seen,
      (s) => s.quickVote?.poll !== null && s.quickVote !== null,
    );
    const pollId = voting.quickVote!.pollId;
    const positions = ['agree', 'agree', 'disagree', 'agree', 'abstain'];
    for (const [i, person] of people.entries()) {
      const res = await app.request('PUT', `/api/polls/${pollId}/vote`, {
        as: person,
        body: { choices: [{ optionId: positions[i], value: 1 }] },
      });
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    }
    const counted = await stateWhere(f.seen, (s) => s.quickVote?.ballots === 5);
    expect(counted.quickVote!.poll).not.to.have.property('results');
    // Closed by the server at its closing time, to the second.
    const closed = await stateWhere(
      v.seen,
      (s) => (s.quickVote?.poll?.closedAt ?? null) !== null,
      6000,
    );
    const poll = await PollModel.findById(pollId).lean();
    expect(poll!.closedAt!.getTime()).to.equal(poll!.closesAt!.getTime());
    // The closed poll reached screens well within a second of its closing time.
    expect(Date.now() - poll!.closesAt!.getTime()).to.be.below(1000);
    expect(Date.now() - opened).to.be.below(5000);
    expect(closed.quickVote!.revealed).to.equal(false);
    const late = await app.request('PUT', `/api/polls/${pollId}/vote`, {
      as: people[0],
      body: { choices: [{ optionId: 'block', value: 1 }] },
    });
    expect(late.status).to.equal(409);
    // No result reached anyone, in any event, before the reveal; nor through REST.
    const everything = () => [f, ...ps, v].flatMap((w) => w.all).concat(readerSeen);
    for (const [, payload] of everything())
      expect(JSON.stringify(payload)).not.to.match(/"results"|"voterCount"/);
    const early = await app.get<{ poll: Record<string, unknown> }>(`/api/polls/${pollId}`, {
      as: people[0],
    });
    expect(early.body.poll).not.to.have.property('results');
    expect((await app.get(`/api/polls/${pollId}/votes`, { as: facilitator })).status).to.equal(403);

    await act(f.socket, meeting.id, { type: 'vote.reveal' });
    for (const who of [f, ...ps, v]) {
      const revealed = await stateWhere(who.seen, (s) => s.quickVote?.revealed === true);
      expect(revealed.quickVote!.poll!.results).to.be.an('object');
    }

    // Item 3, then the end.
    await act(f.socket, meeting.id, { type: 'agenda.next', from: shed });
    const third = await stateWhere(f.seen, (s) => s.currentItemId === aob);
    expect(third.temperature).to.deep.equal({
      agree: 0,
      unsure: 0,
      disagree: 0,
      slow_down: 0,
      louder: 0,
    });
    await act(f.socket, meeting.id, { type: 'meeting.end' });
    const ended = await stateWhere(p1.seen, (s) => s.state === 'ended');
    expect(ended.agenda.every((item) => item.startedAt && item.endedAt)).to.equal(true);
    expect(ended.abilities.canParticipate).to.equal(false);
    // Names of signalers never appear next to a signal in anything anyone received.
    for (const [event, payload] of everything())
      if (event === 'meeting:state') expect((payload as MeetingDto).mySignal).to.equal(null);
  });

  it('drops a removed member out at once: their socket leaves and their hand leaves the queue', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const other = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    const f = await joined(group.coordinator, meeting.id);
    const m = await joined(member, meeting.id);
    const o = await joined(other, meeting.id);
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await act(m.socket, meeting.id, { type: 'hand.raise', kind: 'speak', clientId: clientId() });
    await stateWhere(o.seen, (s) => s.queue.length === 1);
    const revoked = new Promise((resolve) => m.socket.once('access:revoked', resolve));
    const res = await app.delete(`/api/groups/${String(group._id)}/members/${String(member._id)}`, {
      as: group.coordinator,
    });
    expect(res.status).to.be.oneOf([200, 204]);
    expect(await revoked).to.deep.equal({ meetingId: meeting.id, reason: 'access_removed' });
    await stateWhere(o.seen, (s) => s.queue.length === 0);
    const before = m.seen.length;
    await act(f.socket, meeting.id, { type: 'timer.pause', target: 'item' });
    await stateWhere(o.seen, (s) => s.itemTimer?.runningSince === null);
    expect(m.seen.length).to.equal(before);
  });

  it('shows a quick vote revealed from the poll the change feed delivered, not read again, and closed as stored', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const discussion = await buildDiscussion({ group });
    const meeting = await buildMeeting(app, {
      group,
      as: group.coordinator,
      discussion,
      items: ['One'],
    });
    const f = await joined(group.coordinator, meeting.id);
    const m = await joined(member, meeting.id);
    await act(f.socket, meeting.id, { type: 'meeting.start' });
    await act(f.socket, meeting.id, hiddenQuickVote());
    const pollId = (await stateWhere(m.seen, (s) => (s.quickVote?.poll ?? null) !== null))
      .quickVote!.pollId;
    const vote = await app.request('PUT', `/api/polls/${pollId}/vote`, {
      as: member,
      body: { choices: [{ optionId: 'agree', value: 1 }] },
    });
    expect(vote.status, JSON.stringify(vote.body)).to.be.oneOf([200, 201]);
    await stateWhere(f.seen, (s) => s.quickVote?.ballots === 1);
    const { result: revealed, commands } = await commandsOf(async () => {
      await act(f.socket, meeting.id, { type: 'vote.reveal' });
      return stateWhere(m.seen, (s) => s.quickVote?.revealed === true);
    });
    // The poll comes with its change: the one read is the minutes' result block's (minutes-blocks.ts).
    expect(commands['find polls'], JSON.stringify(commands)).to.equal(1);
    expect(revealed.quickVote!.poll!.results).to.be.an('object');
    expect(revealed.quickVote!.poll!.voterCount).to.equal(1);
    await act(f.socket, meeting.id, { type: 'vote.close' });
    const closed = await stateWhere(m.seen, (s) => (s.quickVote?.poll?.closedAt ?? null) !== null);
    // Closed (its change carries the outcome of a transaction), as a fresh read shows it.
    const fresh = await app.get<{ meeting: MeetingDto }>(`/api/meetings/${meeting.id}`, {
      as: member,
    });
    expect(fresh.body.meeting.quickVote!.poll!.closedAt).to.equal(closed.quickVote!.poll!.closedAt);
  });

  it('gives two clients with different clocks the same remaining time, within 250 ms', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['Timed'] });
    const a = await joined(group.coordinator, meeting.id);
    const b = await joined(member, meeting.id);
    await act(a.socket, meeting.id, { type: 'meeting.start' });
    const sa = await stateWhere(a.seen, (s) => s.itemTimer !== null);
    const sb = await stateWhere(b.seen, (s) => s.itemTimer !== null);
    // B's clock runs 7 s fast and A's 3 s slow; each estimates the server's clock from samples.
    const offsetA = await sampleOffset(a.socket, -3000);
    const offsetB = await sampleOffset(b.socket, 7000);
    const now = Date.now();
    const remainingA = timerRemainingMs(sa.itemTimer!, now - 3000 + offsetA)!;
    const remainingB = timerRemainingMs(sb.itemTimer!, now + 7000 + offsetB)!;
    expect(Math.abs(remainingA - remainingB)).to.be.below(250);
    expect(remainingA).to.be.within(290_000, 300_000);
  });

  it('answers bad input, strangers and wrong states with stable errors', async () => {
    const group = await buildGroup();
    const member = await addMember(group);
    const meeting = await buildMeeting(app, { group, as: group.coordinator, items: ['One'] });
    const url = `/api/meetings/${meeting.id}/actions`;
    const bad = await app.post<{ error: { id: string; field: string } }>(
      url,
      { action: { type: 'hand.raise', kind: 'shout', clientId: clientId() } },
      { as: member },
    );
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include({ id: 'validation_error', field: 'action.kind' });
    expect((await app.post(url, { action: { type: 'meeting.start' } })).status).to.equal(401);
    const stranger = await app.post(
      url,
      { action: { type: 'meeting.start' } },
      {
        as: await buildUser(),
      },
    );
    expect(stranger.status).to.equal(404);
    const notYours = await app.post<{ error: { id: string } }>(
      url,
      { action: { type: 'meeting.start' } },
      { as: member },
    );
    expect(notYours.status).to.equal(403);
    const early = await app.post<{ error: { id: string } }>(
      url,
      { action: { type: 'hand.raise', kind: 'speak', clientId: clientId() } },
      { as: member },
    );
    expect(early.status).to.equal(409);
    expect(early.body.error.id).to.equal('meeting_state');
    expect(
      (await app.post(url, { action: { type: 'meeting.start' } }, { as: group.coordinator }))
        .status,
    ).to.equal(200);
    const noDiscussion = await app.post<{ error: { id: string } }>(
      url,
      {
        action: {
          type: 'vote.open',
          clientId: clientId(),
          kind: 'proposal',
          title: 'Now?',
          durationSeconds: 30,
          hidden: false,
        },
      },
      { as: group.coordinator },
    );
    expect(noDiscussion.body.error.id).to.equal('meeting_no_discussion');
    const socket = await clients.connect(member);
    const reply = await new Promise<unknown>((resolve) =>
      socket.emit(
        'meeting:act',
        { meetingId: meeting.id, action: { type: 'nope' } } as never,
        resolve,
      ),
    );
    expect(reply).to.have.nested.property('error.id', 'validation_error');
  });
});
