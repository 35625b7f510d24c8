/**
 * The client's one zustand store, in slices per entity. API responses and
 * socket events write through the same upsert actions; components read with
 * selectors. Permissions are never derived here: records carry abilities.
 */
import { create } from 'zustand';
import { commentsSlice, type CommentsSlice } from './comments.js';
import { discussionsSlice, type DiscussionsSlice } from './discussions.js';
import { groupsSlice, type GroupsSlice } from './groups.js';
import { liveSlice, type LiveSlice } from './live.js';
import { moderationSlice, type ModerationSlice } from './moderation.js';
import { meetingsSlice, type MeetingsSlice } from './meetings.js';
import { pollsSlice, type PollsSlice } from './polls.js';
import { sessionSlice, type SessionSlice } from './session.js';
import { timelineSlice, type TimelineSlice } from './timeline.js';

export type Store = SessionSlice &
  GroupsSlice &
  DiscussionsSlice &
  CommentsSlice &
  TimelineSlice &
  PollsSlice &
  LiveSlice &
  ModerationSlice &
  MeetingsSlice;

/** Builds a fresh store (tests build their own; the app uses `useStore`). */
export function createStore() {
  return create<Store>()((...a) => ({
    ...sessionSlice(...a),
    ...groupsSlice(...a),
    ...discussionsSlice(...a),
    ...commentsSlice(...a),
    ...timelineSlice(...a),
    ...pollsSlice(...a),
    ...liveSlice(...a),
    ...moderationSlice(...a),
    ...meetingsSlice(...a),
  }));
}

export const useStore = createStore();
