/**
 * The order of the speakers' queue, as a pure function of the waiting hands:
 * points of order first, then the facilitator's own order where they set one,
 * then direct replies, then (progressive stack) people who have not yet spoken
 * on this item before those who have, and within each the earlier hand (a
 * skipped hand counts as raised when it was skipped).
 */
import { HAND_KINDS, type HandKind } from '../../../shared/meetings.js';

export interface QueuedHand {
  kind: HandKind;
  userId: unknown;
  position: number;
  rank: number | null;
}

const kindRank = (kind: HandKind) => HAND_KINDS.indexOf(kind);

/** The hands in speaking order (a new array). */
export function orderQueue<H extends QueuedHand>(
  hands: readonly H[],
  spoken: ReadonlySet<string>,
  progressiveStack: boolean,
): H[] {
  const key = (hand: H): number[] => [
    hand.kind === 'point_of_order' ? 0 : 1,
    hand.rank ?? Number.MAX_SAFE_INTEGER,
    kindRank(hand.kind),
    progressiveStack && spoken.has(String(hand.userId)) ? 1 : 0,
    hand.position,
  ];
  // Each hand's key once, not once per comparison (a raise among 300 sorts them again).
  const keyed = hands.map((hand) => ({ hand, key: key(hand) }));
  keyed.sort(({ key: ka }, { key: kb }) => {
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
  return keyed.map(({ hand }) => hand);
}
