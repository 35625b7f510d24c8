import { expect } from 'chai';
import { applyQueuePatch, diffQueue } from './meeting-patch.js';
import type { HandDto } from './meetings.js';

const hand = (id: string, kind: HandDto['kind'] = 'speak'): HandDto => ({
  id,
  kind,
  user: null,
  raisedAt: '2024-01-01T00:00:00.000Z',
  spokeOnItem: false,
});

describe('meeting patches: queue edits', () => {
  it('reproduces any change of a queue, in few edits for a raise', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let round = 0; round < 300; round++) {
      const pool = Array.from({ length: 12 }, (_, i) =>
        hand(`h${i}`, random() < 0.2 ? 'direct_reply' : 'speak'),
      );
      const before = pool.filter(() => random() < 0.6).sort(() => random() - 0.5);
      const after = pool.filter(() => random() < 0.6).sort(() => random() - 0.5);
      const patch = diffQueue(before, after);
      expect(applyQueuePatch(before, patch).map((h) => h.id)).to.deep.equal(after.map((h) => h.id));
    }
    const queue = ['a', 'b', 'c', 'd'].map((id) => hand(id));
    const raised = [...queue.slice(0, 2), hand('x'), ...queue.slice(2)];
    expect(diffQueue(queue, raised)).to.deep.equal({
      removed: [],
      placed: [{ after: 'b', hand: hand('x') }],
    });
    expect(diffQueue(raised, queue)).to.deep.equal({ removed: ['x'], placed: [] });
  });
});
