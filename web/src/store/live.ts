import type { StateCreator } from 'zustand';
import type { NotificationDto } from '../../../shared/dto.js';
import type { DiscussionPresence, DiscussionTyping, PresenceDiff } from '../../../shared/events.js';
import { applyPresenceDiff } from '../../../shared/presence.js';
import { removeOne, upsertAll, type ById } from './records.js';
import type { Store } from './index.js';

/**
 * connecting: first connection under way; live: connected and caught up;
 * reconnecting: lost, trying again (then catching up); offline: the browser has no network.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveSlice {
  connection: ConnectionStatus;
  /** Set while a reconnect's catch-up is being applied. */
  catchingUp: boolean;
  /**
   * Requests to the server fail (no answer, or a 5xx) although the socket may
   * still look connected: the page must not claim to be live. Cleared by the
   * next request that gets an answer (see realtime/server-health.ts).
   */
  requestsFailing: boolean;
  presence: ById<DiscussionPresence>;
  typing: ById<DiscussionTyping>;
  notifications: ById<NotificationDto>;
  unreadNotifications: number;
  /** Discussions this client lost access to while watching (removed, made private). */
  revoked: ById<true>;
  setConnection: (connection: ConnectionStatus, catchingUp?: boolean) => void;
  setRequestsFailing: (failing: boolean) => void;
  setPresence: (presence: DiscussionPresence) => void;
  /** Applies a change of who is viewing to the picture this client has. */
  applyPresence: (diff: PresenceDiff) => void;
  setTyping: (typing: DiscussionTyping) => void;
  upsertNotifications: (items: readonly NotificationDto[], unreadCount?: number) => void;
  markRevoked: (discussionId: string) => void;
  /** Access came back (the discussion loaded again): forget the revocation. */
  clearRevoked: (discussionId: string) => void;
}

export const liveSlice: StateCreator<Store, [], [], LiveSlice> = (set) => ({
  connection: 'connecting',
  catchingUp: false,
  requestsFailing: false,
  presence: {},
  typing: {},
  notifications: {},
  unreadNotifications: 0,
  revoked: {},
  setConnection: (connection, catchingUp = false) => set({ connection, catchingUp }),
  setRequestsFailing: (requestsFailing) => set({ requestsFailing }),
  setPresence: (p) => set((s) => ({ presence: { ...s.presence, [p.discussionId]: p } })),
  applyPresence: (d) =>
    set((s) => ({
      presence: {
        ...s.presence,
        [d.discussionId]: applyPresenceDiff(s.presence[d.discussionId], d),
      },
    })),
  setTyping: (t) => set((s) => ({ typing: { ...s.typing, [t.discussionId]: t } })),
  upsertNotifications: (items, unreadCount) =>
    set((s) => {
      const fresh = items.filter((n) => !(n.id in s.notifications) && !n.read).length;
      return {
        notifications: upsertAll(s.notifications, items),
        unreadNotifications: unreadCount ?? s.unreadNotifications + fresh,
      };
    }),
  markRevoked: (discussionId) => set((s) => ({ revoked: { ...s.revoked, [discussionId]: true } })),
  clearRevoked: (discussionId) => set((s) => ({ revoked: removeOne(s.revoked, discussionId) })),
});
