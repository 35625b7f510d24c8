/**
 * Moderation live: one's own reports (`report:updated`), restrictions
 * (`restriction:changed`) and notices (`moderation:notice`) go into the store;
 * while a screen shows a group to its moderators, the socket watches the
 * group's review queue (`moderation:watch`, again after every reconnect) and
 * its open count comes live (`moderation:queue`); a queue on screen reloads
 * its items with each new count.
 */
import { loadMyModeration, loadQueue } from '../data/moderation.js';
import { useStore } from '../store/index.js';
import { connectRealtime, type ClientSocket } from './socket.js';

/** Watched queues, with how many screens hold each open. */
const watched = new Map<string, number>();
/** Queues whose items are on screen, with how many screens show each. */
const shown = new Map<string, number>();
let bound: ClientSocket | null = null;

function emitWatch(socket: ClientSocket, groupId: string): void {
  socket.emit('moderation:watch', { groupId }, (answer) => {
    if ('data' in answer) useStore.getState().setQueueCount(groupId, answer.data.open);
  });
}

function reloadQueue(groupId: string): void {
  if (shown.has(groupId)) void loadQueue(groupId).catch(() => undefined);
}

function bind(socket: ClientSocket): void {
  if (bound === socket) return;
  bound = socket;
  const store = useStore.getState;
  socket.on('connect', () => {
    // Restrictions may have changed while disconnected; the queues too.
    if (store().me) void loadMyModeration().catch(() => undefined);
    for (const groupId of watched.keys()) {
      emitWatch(socket, groupId);
      reloadQueue(groupId);
    }
  });
  socket.on('moderation:queue', ({ groupId, open }) => {
    store().setQueueCount(groupId, open);
    reloadQueue(groupId);
  });
  socket.on('report:updated', (report) => store().upsertReports([report]));
  socket.on('restriction:changed', (restrictions) => store().setMyRestrictions(restrictions));
  socket.on('moderation:notice', (notice) => store().upsertNotices([notice]));
}

/** Listens for one's own moderation events (once); the app calls it when signed in. */
export function followModerationEvents(): ClientSocket {
  const socket = connectRealtime();
  bind(socket);
  return socket;
}

/** Watches a group's queue count while a screen shows the group to a moderator; returns the stop. */
export function watchQueue(groupId: string): () => void {
  const socket = followModerationEvents();
  const count = watched.get(groupId) ?? 0;
  watched.set(groupId, count + 1);
  if (count === 0 && socket.connected) emitWatch(socket, groupId);
  return () => {
    const left = (watched.get(groupId) ?? 1) - 1;
    if (left > 0) return void watched.set(groupId, left);
    watched.delete(groupId);
    if (socket.connected) socket.emit('moderation:unwatch', { groupId }, () => undefined);
  };
}

/** Keeps a queue's items fresh while a screen shows them (needs `watchQueue` too); returns the stop. */
export function showQueue(groupId: string): () => void {
  shown.set(groupId, (shown.get(groupId) ?? 0) + 1);
  void loadQueue(groupId).catch(() => undefined);
  return () => {
    const left = (shown.get(groupId) ?? 1) - 1;
    if (left > 0) shown.set(groupId, left);
    else shown.delete(groupId);
  };
}
