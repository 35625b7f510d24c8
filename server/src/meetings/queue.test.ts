import { expect } from 'chai';
import { timerRemainingMs } from '../../../shared/meetings.js';
import { orderQueue, type QueuedHand } from './queue.js';
import { addMinute, pauseTimer, presentTimer, resumeTimer, startTimer } from './timers.js';

const hand = (
  userId: string,
  kind: QueuedHand['kind'],
  position: number,
  rank: number | null = null,
) => ({
  userId,
  kind,
  position,
  rank,
});

describe('the speakers’ queue order', () => {
  it('puts points of order first, then direct replies, then those who have not spoken', () => {
    const hands = [
      hand('a', 'speak', 1),
      hand('b', 'speak', 2),
      hand('c', 'direct_reply', 3),
      hand('d', 'point_of_order', 4),
    ];
    const order = (progressive: boolean) =>
      orderQueue(hands, new Set(['a']), progressive).map((h) => h.userId);
    expect(order(true)).to.deep.equal(['d', 'c', 'b', 'a']);
    expect(order(false)).to.deep.equal(['d', 'c', 'a', 'b']);
  });

  it('follows the facilitator’s order where set, points of order still first', () => {
    const hands = [
      hand('a', 'speak', 1, 1),
      hand('b', 'speak', 2, 0),
      hand('c', 'direct_reply', 3),
      hand('d', 'point_of_order', 4),
    ];
    expect(orderQueue(hands, new Set(), true).map((h) => h.userId)).to.deep.equal([
      'd',
      'b',
      'a',
      'c',
    ]);
  });
});

describe('server-authoritative timers', () => {
  it('pause, resume and add a minute from stored times only', () => {
    const t0 = new Date('2026-01-01T10:00:00Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    let timer = startTimer(120_000, t0);
    timer = pauseTimer(timer, at(30));
    expect(timerRemainingMs(presentTimer(timer), at(100).getTime())).to.equal(90_000);
    timer = resumeTimer(timer, at(100));
    timer = addMinute(timer);
    expect(timerRemainingMs(presentTimer(timer), at(130).getTime())).to.equal(120_000);
    expect(timerRemainingMs(presentTimer(timer), at(300).getTime())).to.equal(-50_000);
    expect(timerRemainingMs(presentTimer(startTimer(null, t0)), at(5).getTime())).to.equal(null);
  });
});
