import type { StateCreator } from 'zustand';
import type { TimelineEventDto } from '../../../shared/dto.js';
import type { LiveTimelineEvent } from '../../../shared/events.js';
import type { ById } from './records.js';
import type { Store } from './index.js';

export interface TimelineSlice {
  /** Timeline events per discussion, by sequence number (a sequence is never reused). */
  timelines: ById<ById<TimelineEventDto>>;
  /** The highest sequence this client holds per discussion: what a reconnect asks to continue from. */
  lastSequence: ById<number>;
  /**
   * Adds events; `through` is how far the server read for them (a catch-up's
   * `lastSequence`), which can be past the last event given: a view does not
   * get every sequence (a vote whose results it may not see), and a reconnect
   * continues from what was read, not from before a gap.
   */
  addEvents: (discussionId: string, events: readonly TimelineEventDto[], through?: number) => void;
  /**
   * A live `timeline:event`: the new comment it may carry is filed like any
   * comment (settling an optimistic one), a vote's tally like any poll, and
   * the entry without them.
   */
  receiveLiveEvent: (event: LiveTimelineEvent) => void;
  /** Forget a discussion's timeline (before reloading it from scratch). */
  resetTimeline: (discussionId: string) => void;
}

export const timelineSlice: StateCreator<Store, [], [], TimelineSlice> = (set, get) => ({
  timelines: {},
  lastSequence: {},
  addEvents: (discussionId, events, through = 0) =>
    set((s) => {
      const held = s.timelines[discussionId] ?? {};
      const fresh = events.filter((e) => !(e.sequence in held));
      const before = s.lastSequence[discussionId] ?? 0;
      if (fresh.length === 0 && through <= before) return {};
      const next: Record<string, TimelineEventDto> = { ...held };
      let last = Math.max(before, through);
      for (const e of fresh) {
        next[e.sequence] = e;
        last = Math.max(last, e.sequence);
      }
      return {
        timelines: { ...s.timelines, [discussionId]: next },
        lastSequence: { ...s.lastSequence, [discussionId]: last },
      };
    }),
  receiveLiveEvent: ({ comment, poll, ...event }) => {
    if (comment) get().upsertComments([comment]);
    if (poll) get().upsertPolls([poll]);
    get().addEvents(event.discussionId, [event]);
  },
  resetTimeline: (discussionId) =>
    set((s) => {
      const timelines = { ...s.timelines };
      const lastSequence = { ...s.lastSequence };
      delete timelines[discussionId];
      delete lastSequence[discussionId];
      return { timelines, lastSequence };
    }),
});
