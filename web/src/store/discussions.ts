import type { StateCreator } from 'zustand';
import type { DiscussionDto, ReadStateDto } from '../../../shared/dto.js';
import { removeOne, upsertAll, type ById } from './records.js';
import type { Store } from './index.js';

export interface DiscussionsSlice {
  discussions: ById<DiscussionDto>;
  /** Read state is personal: kept apart so live (per-view) discussion payloads never erase it. */
  readStates: ById<ReadStateDto>;
  upsertDiscussions: (discussions: readonly DiscussionDto[]) => void;
  removeDiscussion: (id: string) => void;
  setReadState: (discussionId: string, readState: ReadStateDto) => void;
}

export const discussionsSlice: StateCreator<Store, [], [], DiscussionsSlice> = (set) => ({
  discussions: {},
  readStates: {},
  upsertDiscussions: (discussions) =>
    set((s) => {
      const readStates = { ...s.readStates };
      let readChanged = false;
      for (const d of discussions) {
        if (d.readState) {
          readStates[d.id] = d.readState;
          readChanged = true;
        }
      }
      return {
        discussions: upsertAll(s.discussions, discussions),
        ...(readChanged ? { readStates } : {}),
      };
    }),
  removeDiscussion: (id) => set((s) => ({ discussions: removeOne(s.discussions, id) })),
  setReadState: (discussionId, readState) =>
    set((s) => ({ readStates: { ...s.readStates, [discussionId]: readState } })),
});
