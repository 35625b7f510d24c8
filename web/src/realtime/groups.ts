/**
 * Group lists live: while a screen shows a group, the socket watches it
 * (`group:watch`, again after every reconnect, when the lists are also
 * reloaded to cover what was missed). New and changed discussions, members
 * joining, changing and leaving go into the store through the same upserts
 * API answers take. Discussions new to the signed-in person's inbox (sent to
 * their own room) join the inbox list when it is loaded.
 */
import type { DiscussionDto } from '../../../shared/dto.js';
import type { GroupWatch } from '../../../shared/events.js';
import { groupListKey, loadGroupDiscussions, loadMembers, refreshGroup } from '../data/groups.js';
import { useStore } from '../store/index.js';
import { connectRealtime, type ClientSocket } from './socket.js';

/** The store key of the signed-in person's inbox list. */
export const INBOX_LIST = 'inbox';

/** Watched groups, with how many screens hold each open. */
const watched = new Map<string, number>();
/** Who wants to know each time a group's watch is confirmed (with the view the server granted). */
const listeners = new Map<string, Set<(watch: GroupWatch) => void>>();
let bound: ClientSocket | null = null;
let connectedBefore = false;

function emitWatch(socket: ClientSocket, groupId: string): void {
  socket.emit('group:watch', { groupId }, (answer) => {
    if ('data' in answer)
      for (const listener of listeners.get(groupId) ?? []) listener(answer.data);
    else if (answer.error.id === 'not_found') void refreshGroup(groupId).catch(() => undefined);
  });
}

/** After a gap the server does not replay group lists: reload what is on screen. */
function reloadGroup(groupId: string): void {
  const store = useStore.getState();
  void refreshGroup(groupId).catch(() => undefined);
  if (store.discussionLists[groupListKey(groupId)])
    void loadGroupDiscussions(groupId).catch(() => undefined);
  if (store.members[groupId]) void loadMembers(groupId).catch(() => undefined);
}

/** Whether a live discussion belongs in the person's inbox: one of their groups', or one they are a guest of. */
function belongsInInbox(d: DiscussionDto): boolean {
  const store = useStore.getState();
  if (!store.me) return false;
  if (d.group === null) return true;
  return (store.groups[d.group.id]?.role ?? null) !== null;
}

function dropGroupFromInbox(groupId: string): void {
  const store = useStore.getState();
  for (const id of store.discussionLists[INBOX_LIST] ?? []) {
    if (store.discussions[id]?.group?.id === groupId) store.dropFromDiscussionList(INBOX_LIST, id);
  }
}

function bind(socket: ClientSocket): void {
  if (bound === socket) return;
  bound = socket;
  const store = useStore.getState;
  connectedBefore = socket.connected;
  socket.on('connect', () => {
    const reconnect = connectedBefore;
    connectedBefore = true;
    for (const groupId of watched.keys()) {
      emitWatch(socket, groupId);
      if (reconnect) reloadGroup(groupId);
    }
  });
  socket.on('discussion:upserted', (d) => {
    if (d.group) store().addToDiscussionList(groupListKey(d.group.id), [d.id]);
    if (belongsInInbox(d)) store().addToDiscussionList(INBOX_LIST, [d.id]);
  });
  socket.on('discussion:removed', ({ discussionId, groupId }) => {
    store().dropFromDiscussionList(groupId ? groupListKey(groupId) : INBOX_LIST, discussionId);
  });
  socket.on('member:upserted', ({ groupId, member }) => {
    store().upsertMember(groupId, member);
    // Counts, and one's own role and abilities, come with the group itself.
    if (watched.has(groupId) || member.id === store().me?.id)
      void refreshGroup(groupId).catch(() => undefined);
  });
  socket.on('member:removed', ({ groupId, userId }) => {
    store().removeMember(groupId, userId);
    const mine = userId === store().me?.id;
    // One's inbox loses the discussions of a group one left or was removed from.
    if (mine) dropGroupFromInbox(groupId);
    if (watched.has(groupId) || mine) void refreshGroup(groupId).catch(() => undefined);
  });
  socket.on('access:revoked', ({ groupId }) => {
    if (groupId) void refreshGroup(groupId).catch(() => undefined);
  });
}

/** Listens for the group and inbox events (once); the inbox screen calls it too. */
export function followGroupEvents(): ClientSocket {
  const socket = connectRealtime();
  bind(socket);
  return socket;
}

/**
 * Watches a group's lists live while a screen shows it; returns the function
 * that stops. `onWatching` hears each confirmation (after every reconnect too).
 */
export function watchGroup(groupId: string, onWatching?: (watch: GroupWatch) => void): () => void {
  const socket = followGroupEvents();
  if (onWatching) listeners.set(groupId, new Set([...(listeners.get(groupId) ?? []), onWatching]));
  const count = watched.get(groupId) ?? 0;
  watched.set(groupId, count + 1);
  // While disconnected, the 'connect' handler watches it.
  if (count === 0 && socket.connected) emitWatch(socket, groupId);
  return () => {
    if (onWatching) listeners.get(groupId)?.delete(onWatching);
    const left = (watched.get(groupId) ?? 1) - 1;
    if (left > 0) {
      watched.set(groupId, left);
      return;
    }
    watched.delete(groupId);
    if (socket.connected) socket.emit('group:unwatch', { groupId }, () => undefined);
  };
}
