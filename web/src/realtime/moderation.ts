/**
 * Moderation live: one's own reports (`report:updated`), restrictions
 * (`restriction:changed`) and notices (`moderation:notice`) go into the store;
 * while a screen shows a group to its moderators, the socket watches the
 * group's review queue (`moderation:watch`, again after every reconnect) and
 * its open count comes live (`moderation:queue`); a queue on screen reloads
 * its items with each new count, and a list of the group's mutes and bans on
 * screen reloads too (a colleague's mute or ban closes reports).
 */
import { loadGroupRestrictions, loadMyModeration, loadQueue } from '../data/moderation.js';
import { useStore } from '../store/index.js';
import { connectRealtime, type ClientSocket } from './socket.js';

/** Watched queues, with how many screens hold each open. */
const watched = new Map<string, number>();
/** Queues whose items are on screen, with how many screens show each. */
const shown = new Map<string, number>();
/** Groups whose list of mutes and bans is on screen, with how many screens show each. */
const restrictionsShown = new Map<string, number>();
let bound: ClientSocket | null = null;

function emitWatch(socket: ClientSocket, groupId: string): void {
  socket.emit('moderation:watch', { groupId }, (answer) => {
    if ('data' in answer) useStore.getState().setQueueCount(groupId, answer.data.open);
  });
}

function reloadQueue(groupId: string): void {
  if (shown.has(groupId)) void loadQueue(groupId).catch(() => undefined);
  if (restrictionsShown.has(groupId)) void loadGroupRestrictions(groupId).catch(() => undefined);
}

/** Counts one more screen showing `key` in `screens`; returns the stop that counts it off. */
function hold(screens: Map<string, number>, key: string): () => void {
  screens.set(key, (screens.get(key) ?? 0) + 1);
  return () => {
    const left = (screens.get(key) ?? 1) - 1;
    if (left > 0) screens.set(key, left);
    else screens.delete(key);
  };
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
  void loadQueue(groupId).catch(() => undefined);
  return hold(shown, groupId);
}

/**
 * Keeps a group's list of mutes and bans fresh while a screen shows it (the
 * screen loads it first; needs `watchQueue`); returns the stop.
 */
export function showRestrictions(groupId: string): () => void {
  return hold(restrictionsShown, groupId);
}
