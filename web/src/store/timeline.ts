import type { StateCreator } from 'zustand';
import type { TimelineEventDto } from '../../../shared/dto.js';
import type { ById } from './records.js';
import type { Store } from './index.js';

export interface TimelineSlice {
  /** Timeline events per discussion, by sequence number (a sequence is never reused). */
  timelines: ById<ById<TimelineEventDto>>;
  /** The highest sequence this client holds per discussion: what a reconnect asks to continue from. */
  lastSequence: ById<number>;
  addEvents: (discussionId: string, events: readonly TimelineEventDto[]) => void;
  /** Forget a discussion's timeline (before reloading it from scratch). */
  resetTimeline: (discussionId: string) => void;
}

export const timelineSlice: StateCreator<Store, [], [], TimelineSlice> = (set) => ({
  timelines: {},
  lastSequence: {},
  addEvents: (discussionId, events) =>
    set((s) => {
      const held = s.timelines[discussionId] ?? {};
      const fresh = events.filter((e) => !(e.sequence in held));
      if (fresh.length === 0) return {};
      const next: Record<string, TimelineEventDto> = { ...held };
      let last = s.lastSequence[discussionId] ?? 0;
      for (const e of fresh) {
        next[e.sequence] = e;
        last = Math.max(last, e.sequence);
      }
      return {
        timelines: { ...s.timelines, [discussionId]: next },
        lastSequence: { ...s.lastSequence, [discussionId]: last },
      };
    }),
  resetTimeline: (discussionId) =>
    set((s) => {
      const timelines = { ...s.timelines };
      const lastSequence = { ...s.lastSequence };
      delete timelines[discussionId];
      delete lastSequence[discussionId];
      return { timelines, lastSequence };
    }),
});
