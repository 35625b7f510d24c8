import type { StateCreator } from 'zustand';
import type { OwnVoteDto, PollDto } from '../../../shared/dto.js';
import { upsertAll, type ById } from './records.js';
import type { Store } from './index.js';

export interface PollsSlice {
  /** Polls as the viewer's view presents them; `myVote` is kept apart in `myVotes`. */
  polls: ById<PollDto>;
  /** The viewer's own vote per poll (null: has not voted). Only from the API or `vote:mine`. */
  myVotes: ById<OwnVoteDto | null>;
  upsertPolls: (polls: readonly PollDto[], options?: { withOwnVotes?: boolean }) => void;
  setMyVote: (pollId: string, vote: OwnVoteDto | null) => void;
}

/**
 * Whether `incoming` is an older tally of the poll held: votes do not change
 * a poll's `updatedAt`, and are never taken back, so of two tallies of one
 * version the one with fewer voters was read first (a vote's response
 * arriving after the live entry of a later vote).
 */
export function isOlderTally(held: PollDto | undefined, incoming: PollDto): boolean {
  return (
    held !== undefined &&
    held.updatedAt === incoming.updatedAt &&
    held.voterCount !== undefined &&
    incoming.voterCount !== undefined &&
    incoming.voterCount < held.voterCount
  );
}

export const pollsSlice: StateCreator<Store, [], [], PollsSlice> = (set) => ({
  polls: {},
  myVotes: {},
  upsertPolls: (polls, options = {}) =>
    set((s) => {
      const fresh = polls.filter((p) => !isOlderTally(s.polls[p.id], p));
      if (!options.withOwnVotes) return { polls: upsertAll(s.polls, fresh) };
      const myVotes = { ...s.myVotes };
      for (const p of polls) myVotes[p.id] = p.myVote;
      return { polls: upsertAll(s.polls, fresh), myVotes };
    }),
  setMyVote: (pollId, vote) => set((s) => ({ myVotes: { ...s.myVotes, [pollId]: vote } })),
});
