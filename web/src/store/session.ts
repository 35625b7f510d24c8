import type { StateCreator } from 'zustand';
import type { SelfDto } from '../../../shared/dto.js';
import type { Store } from './index.js';

export type SessionStatus = 'unknown' | 'signed_in' | 'signed_out';

export interface SessionSlice {
  me: SelfDto | null;
  sessionStatus: SessionStatus;
  setMe: (me: SelfDto | null) => void;
}

export const sessionSlice: StateCreator<Store, [], [], SessionSlice> = (set) => ({
  me: null,
  sessionStatus: 'unknown',
  setMe: (me) => set({ me, sessionStatus: me ? 'signed_in' : 'signed_out' }),
});
