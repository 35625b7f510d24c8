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

export const pollsSlice: StateCreator<Store, [], [], PollsSlice> = (set) => ({
  polls: {},
  myVotes: {},
  upsertPolls: (polls, options = {}) =>
    set((s) => {
      if (!options.withOwnVotes) return { polls: upsertAll(s.polls, polls) };
      const myVotes = { ...s.myVotes };
      for (const p of polls) myVotes[p.id] = p.myVote;
      return { polls: upsertAll(s.polls, polls), myVotes };
    }),
  setMyVote: (pollId, vote) => set((s) => ({ myVotes: { ...s.myVotes, [pollId]: vote } })),
});
