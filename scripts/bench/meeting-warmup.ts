/**
 * The meeting bench's warm-up (`--warmup K`), not measured: a server's first
 * raises and votes run on code not yet compiled, once per process lifetime.
 * K participants raise and lower a hand twice, within a second each time;
 * then they vote in a quick vote of its own (the measured vote is a poll the
 * server has not seen, as a meeting's next vote is), closed and revealed.
 */
import type { MeetingAction } from '../../shared/meetings.js';
import { sleep, until, type Client } from './meeting-clients.js';

/** What the warm-up needs of each screen's bookkeeping (see meeting.ts). */
interface Seen {
  queueLength: number;
  pollId: string | null;
  ballots: Array<{ ballots: number }>;
  revealedAt: number | null;
}

export async function warmUp(bench: {
  count: number;
  participants: Client[];
  seen: Seen[];
  facilitator: Client;
  act: (socket: Client, action: MeetingAction) => Promise<void>;
  /** Participant `i` (0-based, as seeded) votes in the poll. */
  vote: (pollId: string, i: number) => Promise<void>;
  openVote: (title: string) => Promise<void>;
}): Promise<void> {
  const { count, participants, seen, facilitator, act } = bench;
  console.log(`warm-up: ${count} hands raised and lowered, not measured…`);
  const some = participants.slice(-count);
  for (const kind of ['speak', 'direct_reply'] as const)
    await Promise.all(
      some.map(async (socket, i) => {
        await sleep(Math.random() * 1000);
        await act(socket, { type: 'hand.raise', kind, clientId: `bench-warm-${kind}-${i}` });
        await act(socket, { type: 'hand.lower' });
      }),
    );
  await until(() => seen.every((x) => x.queueLength === 0), 30_000, 'warm-up hands lowered');
  console.log(`warm-up: a quick vote, ${count} ballots, closed and revealed, not measured…`);
  await bench.openVote('Warm-up');
  await until(() => seen.every((x) => x.pollId !== null), 30_000, 'warm-up vote open');
  const poll = seen[0].pollId!;
  await Promise.all(
    some.map(async (_, k) => {
      await sleep(Math.random() * 1000);
      await bench.vote(poll, participants.length - count + k);
    }),
  );
  await until(() => seen[0].ballots.at(-1)?.ballots === count, 30_000, 'warm-up ballots');
  await act(facilitator, { type: 'vote.close' });
  await act(facilitator, { type: 'vote.reveal' });
  await until(() => seen.every((x) => x.revealedAt !== null), 30_000, 'warm-up reveal');
}
