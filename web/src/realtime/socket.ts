/**
 * The client's one Socket.IO connection. Every event goes into the store
 * through the same upserts API responses use. The connection state drives the
 * banner; on every (re)connect each open discussion is watched again from the
 * last sequence this client holds, so missed events arrive exactly once.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.js';
import { useStore } from '../store/index.js';
import { catchUp, resyncAll } from './catch-up.js';
import { resendWhenBack } from './resend.js';
import { checkServerHealth, followServerHealth } from './server-health.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | null = null;
let connectedOnce = false;
/** The server said why it is about to disconnect this socket (`connection:closing`). */
let closingNotice: { retryAfterMs: number } | null = null;
/** Open discussions, with how many screens hold each open. */
const watched = new Map<string, number>();
/** The latest watch of each open discussion (collaborative editors open their documents after it). */
const watching = new Map<string, Promise<void>>();

function track(discussionId: string, caughtUp: Promise<void>): Promise<void> {
  watching.set(discussionId, caughtUp);
  return caughtUp;
}

/** Resolves once this connection watches the discussion (the server lets only watchers open its documents). */
export function whenWatching(discussionId: string): Promise<void> {
  return watching.get(discussionId) ?? Promise.resolve();
}

function bind(s: ClientSocket): void {
  const store = useStore.getState;
  s.on('connect', () => {
    const reconnect = connectedOnce;
    connectedOnce = true;
    closingNotice = null;
    store().setConnection('live', reconnect && watched.size > 0);
    checkServerHealth();
    void Promise.all(
      [...watched.keys()].map((id) => track(id, catchUp(s, id, { reconnect }))),
    ).finally(() => store().setConnection(s.connected ? 'live' : store().connection, false));
  });
  s.on('connection:closing', ({ retryAfterMs }) => (closingNotice = { retryAfterMs }));
  s.on('disconnect', (reason) => {
    store().setConnection(navigator.onLine ? 'reconnecting' : 'offline');
    // Disconnected on purpose (too many events): Socket.IO will not reconnect by itself.
    if (reason === 'io server disconnect' && closingNotice)
      window.setTimeout(() => s.connect(), closingNotice.retryAfterMs);
  });
  s.on('connect_error', () => {
    store().setConnection(navigator.onLine ? 'reconnecting' : 'offline');
  });
  s.on('timeline:event', (e) => store().receiveLiveEvent(e));
  s.on('comment:upserted', (c) => store().upsertComments([c]));
  s.on('discussion:upserted', (d) => store().upsertDiscussions([d]));
  s.on('poll:upserted', (p) => store().upsertPolls([p]));
  s.on('vote:mine', ({ pollId, vote }) => store().setMyVote(pollId, vote));
  s.on('notification:new', (n) => store().upsertNotifications([n]));
  s.on('presence:changed', (p) => store().setPresence(p));
  s.on('presence:diff', (d) => store().applyPresence(d));
  s.on('typing:changed', (t) => store().setTyping(t));
  s.on('access:revoked', (notice) => {
    if (notice.discussionId) store().markRevoked(notice.discussionId);
    if (notice.reason === 'signed_out') store().setMe(null);
  });
  s.on('feed:resync', () => void resyncAll([...watched.keys()]));
}

/** Opens the connection (once); later calls return the same socket. */
export function connectRealtime(): ClientSocket {
  if (socket) return socket;
  const s: ClientSocket = io({ withCredentials: true, transports: ['websocket', 'polling'] });
  socket = s;
  bind(s);
  followServerHealth();
  resendWhenBack();
  window.addEventListener('offline', () => useStore.getState().setConnection('offline'));
  window.addEventListener('online', () => {
    // The connection may have survived a short outage: then it is live again as it is.
    if (s.connected) return useStore.getState().setConnection('live');
    useStore.getState().setConnection('reconnecting');
    s.connect();
  });
  return s;
}

/** After signing in or out the handshake must carry the new session: connect afresh. */
export function reconnectRealtime(): void {
  if (!socket) return;
  socket.disconnect();
  socket.connect();
}

/** Watches a discussion live while a screen shows it; returns the function that stops. */
export function watchDiscussion(discussionId: string): () => void {
  const s = connectRealtime();
  const count = watched.get(discussionId) ?? 0;
  watched.set(discussionId, count + 1);
  if (count === 0 && s.connected)
    void track(discussionId, catchUp(s, discussionId, { reconnect: false }));
  return () => {
    const left = (watched.get(discussionId) ?? 1) - 1;
    if (left > 0) {
      watched.set(discussionId, left);
      return;
    }
    watched.delete(discussionId);
    if (s.connected) s.emit('discussion:unwatch', { discussionId }, () => undefined);
  };
}

/** Says whether the person is typing in a discussion (the server lapses it after 5 s). */
export function sendTyping(discussionId: string, typing: boolean): void {
  if (socket?.connected)
    socket.emit('discussion:typing', { discussionId, typing }, () => undefined);
}
