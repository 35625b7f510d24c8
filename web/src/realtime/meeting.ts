/**
 * Meetings live: while a screen shows a meeting, the socket watches it
 * (`meeting:watch`, again after every reconnect, whose reply is the whole
 * current state) and the client estimates the server's clock offset from a
 * few `clock:sync` samples at each connect, so every screen's countdown agrees.
 * States and summaries go into the store; actions go out over the socket.
 */
import type { MeetingAction } from '../../../shared/meetings.js';
import { clockOffset } from '../../../shared/meetings.js';
import { ApiError } from '../api/client.js';
import { useStore } from '../store/index.js';
import { connectRealtime, type ClientSocket } from './socket.js';

const watched = new Map<string, number>();
/** Meetings whose whole state was asked for and has not come yet: patches wait for it. */
const asking = new Set<string>();
/** Per meeting, the connection (socket id) whose watch the server answered. */
const answered = new Map<string, string>();
/** Per meeting, who waits for the current connection to watch it (see `whenWatchingMeeting`). */
const waiters = new Map<string, Set<() => void>>();
let bound: ClientSocket | null = null;

function emitWatch(socket: ClientSocket, meetingId: string): void {
  asking.add(meetingId);
  const connection = socket.id;
  socket.emit('meeting:watch', { meetingId }, (answer) => {
    asking.delete(meetingId);
    if ('data' in answer) useStore.getState().upsertMeeting(answer.data, true);
    else if (answer.error.id === 'not_found') useStore.getState().markMeetingRevoked(meetingId);
    if ('data' in answer && connection) answered.set(meetingId, connection);
    for (const waiter of [...(waiters.get(meetingId) ?? [])]) waiter();
  });
}

/**
 * Resolves once this connection watches the meeting (the server lets only
 * its watchers open its minutes); after a reconnect, once it watches again.
 */
export function whenWatchingMeeting(meetingId: string): Promise<void> {
  const socket = connectRealtime();
  return new Promise((resolve) => {
    const ready = () => socket.connected && answered.get(meetingId) === socket.id;
    if (ready()) return resolve();
    let set = waiters.get(meetingId);
    if (!set) waiters.set(meetingId, (set = new Set()));
    const waiter = () => {
      if (!ready()) return;
      set.delete(waiter);
      resolve();
    };
    set.add(waiter);
  });
}

function sample(
  socket: ClientSocket,
): Promise<{ sent: number; received: number; serverTime: number }> {
  return new Promise((resolve, reject) => {
    const sent = Date.now();
    socket.emit('clock:sync', { clientTime: sent }, (answer) =>
      'data' in answer
        ? resolve({ sent, received: Date.now(), serverTime: answer.data.serverTime })
        : reject(new Error(answer.error.id)),
    );
  });
}

/** Five samples, one after another; the one with the shortest round trip wins. */
async function syncClock(socket: ClientSocket): Promise<void> {
  const samples = [];
  for (let i = 0; i < 5; i++) samples.push(await sample(socket));
  useStore.getState().setClockOffset(clockOffset(samples));
}

function bind(socket: ClientSocket): void {
  if (bound === socket) return;
  bound = socket;
  const store = useStore.getState;
  socket.on('connect', () => {
    void syncClock(socket).catch(() => undefined);
    for (const id of watched.keys()) emitWatch(socket, id);
  });
  socket.on('meeting:state', (meeting) => store().upsertMeeting(meeting));
  // A change that does not apply to the state shown (one was missed): ask for the whole state.
  socket.on('meeting:patch', (patch) => {
    if (asking.has(patch.meetingId) || !watched.has(patch.meetingId)) return;
    if (!store().applyMeetingPatch(patch)) emitWatch(socket, patch.meetingId);
  });
  socket.on('meeting:summary', (summary) => store().upsertMeetingSummary(summary));
  socket.on('access:revoked', (notice) => {
    if (notice.meetingId) store().markMeetingRevoked(notice.meetingId);
  });
}

/** Listens for live meeting summaries (banners) without watching a meeting. */
export function followMeetingSummaries(): void {
  bind(connectRealtime());
}

/** Watches a meeting while a screen shows it; returns the function that stops. */
export function watchMeeting(meetingId: string): () => void {
  const socket = connectRealtime();
  bind(socket);
  const count = watched.get(meetingId) ?? 0;
  watched.set(meetingId, count + 1);
  if (count === 0 && socket.connected) {
    emitWatch(socket, meetingId);
    void syncClock(socket).catch(() => undefined);
  }
  return () => {
    const left = (watched.get(meetingId) ?? 1) - 1;
    if (left > 0) return void watched.set(meetingId, left);
    watched.delete(meetingId);
    answered.delete(meetingId);
    if (socket.connected) socket.emit('meeting:unwatch', { meetingId }, () => undefined);
  };
}

/** Sends one action; rejects with an ApiError carrying the server's error id. */
export function act(meetingId: string, action: MeetingAction): Promise<void> {
  const socket = connectRealtime();
  return new Promise((resolve, reject) => {
    if (!socket.connected)
      return reject(new ApiError('network_error', 'Not connected: try again in a moment.', 0));
    socket.emit('meeting:act', { meetingId, action }, (answer) => {
      if ('data' in answer) resolve();
      else reject(new ApiError(answer.error.id, answer.error.message, 400, answer.error.field));
    });
  });
}

/** A client id for an action a double click could repeat. */
export const newClientId = () => crypto.randomUUID().replaceAll('-', '');
