import type { StateCreator } from 'zustand';
import type { SelfDto } from '../../../shared/dto.js';
import type { Store } from './index.js';

export type SessionStatus = 'unknown' | 'signed_in' | 'signed_out';

export interface SessionSlice {
  me: SelfDto | null;
  sessionStatus: SessionStatus;
  setMe: (me: SelfDto | null) => void;
}

export const sessionSlice: StateCreator<Store, [], [], SessionSlice> = (set, get) => ({
  me: null,
  sessionStatus: 'unknown',
  setMe: (me) => {
    const before = get().me;
    // Another person (or nobody) on this screen: meetings held for the one before, with their
    // own signal and what they lost access to, are not this one's.
    const other = (before?.id ?? null) !== (me?.id ?? null);
    set({
      me,
      sessionStatus: me ? 'signed_in' : 'signed_out',
      ...(other ? { meetings: {}, meetingRevoked: {} } : {}),
    });
  },
});
