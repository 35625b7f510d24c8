/**
 * Emitting to a large room a share at a time, with the event loop's I/O let
 * in between.
 *
 * Socket.IO writes a broadcast to every socket of the room at once: for 300
 * sockets that is several milliseconds in which nothing else runs. An action
 * arriving meanwhile (a hand raised in a meeting) waits for the whole room
 * before it is even read; the database's answer to its write waits again
 * behind the next room, and its own change behind the one after. Written in
 * turns, the room takes as long as before, and what arrives meanwhile waits
 * for one share.
 *
 * Each share is the sockets of the room as it is at that turn: one that left
 * meanwhile (moved to another view, its access removed) is skipped, so it
 * never gets what the room it left sees; one that joined is left to the state
 * its joining asked for. Callers keep their order (a meeting's presentations
 * run in one line): the next emission to a room starts once this one resolves.
 * Each share is a broadcast of its own, so the packet is encoded once per
 * share (five times for 300 sockets) rather than once: small beside writing it.
 */
import type { ServerToClientEvents } from '../../../shared/events.js';
import type { QuorumServer } from './io.js';

/** Sockets written in one turn of the event loop (about a millisecond of writes). */
export const SHARE = 64;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function emitInTurns<E extends keyof ServerToClientEvents>(
  io: QuorumServer,
  room: string,
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
): Promise<void> {
  const rooms = io.of('/').adapter.rooms;
  const members = rooms.get(room);
  if (!members || members.size <= SHARE) return void io.local.to(room).emit(event, ...args);
  const ids = [...members];
  for (let i = 0; i < ids.length; i += SHARE) {
    if (i > 0) await nextTurn();
    const now = rooms.get(room);
    const share = ids.slice(i, i + SHARE).filter((id) => now?.has(id));
    // Every socket is in the room of its own id: the share is the union of theirs.
    if (share.length > 0) io.local.to(share).emit(event, ...args);
  }
}
