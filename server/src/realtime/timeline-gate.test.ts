import { expect } from 'chai';
import type { LiveTimelineEvent } from '../../../shared/events.js';
import type { PollDto } from '../../../shared/dto.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { TimelineGate } from './timeline-gate.js';

const DISCUSSION = 'a'.repeat(24);

/** A socket that records what is emitted to it, and a server whose rooms the gate never needs here. */
function setUp() {
  const io = { of: () => ({ adapter: { on: () => undefined } }) } as unknown as QuorumServer;
  const sent: Array<[string, unknown]> = [];
  const socket = {
    data: {},
    emit: (event: string, payload: unknown) => sent.push([event, payload]),
  } as unknown as QuorumSocket;
  return { gate: new TimelineGate(io), socket, sent };
}

const entry = (sequence: number, votes: number): LiveTimelineEvent =>
  ({
    discussionId: DISCUSSION,
    sequence,
    kind: 'vote_cast',
    poll: { id: 'p1', voterCount: votes } as PollDto,
  }) as LiveTimelineEvent;

describe('timeline gate', () => {
  it('sends the tally of a vote entry its catch-up already gave, and the entries after it whole', async () => {
    const { gate, socket, sent } = setUp();
    gate.begin(socket, DISCUSSION);
    gate.deliver(socket, entry(4, 1)); // arrives while the catch-up is read: waits
    gate.settle(socket, DISCUSSION, 5);
    expect(sent).to.deep.equal([]);
    await new Promise((resolve) => setImmediate(resolve));
    // The catch-up covered 4 and 5: their entries are not sent again, their tallies are.
    gate.deliver(socket, entry(5, 2));
    gate.deliver(socket, entry(6, 3));
    expect(sent).to.deep.equal([
      ['poll:upserted', { id: 'p1', voterCount: 1 }],
      ['poll:upserted', { id: 'p1', voterCount: 2 }],
      ['timeline:event', entry(6, 3)],
    ]);
  });
});
