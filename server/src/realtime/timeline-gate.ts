/**
 * Exactly once on the timeline, per socket. A (re)watching socket is caught up
 * from the database while the change feed keeps delivering: an event can be
 * both in the catch-up and live (the feed lags behind the database), and after
 * a restart the feed replays the changes since its last persisted position.
 * The gate remembers, per socket and discussion, the last sequence its
 * catch-up covered; live events up to it are not sent again, and events that
 * arrive while the catch-up is still being read wait and follow its reply, in
 * order. Timeline sequences of a discussion commit in order (each append
 * writes the discussion in the same transaction), so "at most this sequence"
 * is all there is to remember.
 *
 * It costs nothing in the steady state: while no socket of a discussion is
 * catching up and an event is newer than every catch-up, the event is one
 * broadcast to the rooms. Only in the short windows around a catch-up is it
 * sent socket by socket.
 */
import type { TimelineEventDto } from '../../../shared/dto.js';
import type { LiveTimelineEvent } from '../../../shared/events.js';
import type { QuorumServer, QuorumSocket } from './io.js';
import { DISCUSSION_VIEWS, discussionRoom } from './rooms.js';

/** What one socket has of one discussion's timeline. */
export interface SocketTimeline {
  /** The last sequence its catch-up covered; null while the catch-up is being read. */
  covered: number | null;
  /** Live events that arrived during the catch-up, sent after its reply. */
  waiting: LiveTimelineEvent[];
}

interface DiscussionGate {
  /** Sockets of this process still reading their catch-up. */
  pending: number;
  /** The highest sequence any catch-up here covered (only grows). */
  covered: number;
}

const DISCUSSION_ROOM = /^discussion:([0-9a-f]{24}):/;

export class TimelineGate {
  private readonly discussions = new Map<string, DiscussionGate>();

  constructor(io: QuorumServer) {
    io.of('/').adapter.on('delete-room', (room: string) => {
      const id = DISCUSSION_ROOM.exec(room)?.[1];
      const gate = id ? this.discussions.get(id) : undefined;
      if (id && gate && gate.pending === 0 && !hasRooms(io, id)) this.discussions.delete(id);
    });
  }

  private gate(discussionId: string): DiscussionGate {
    let gate = this.discussions.get(discussionId);
    if (!gate) this.discussions.set(discussionId, (gate = { pending: 0, covered: 0 }));
    return gate;
  }

  /** Before a socket joins a discussion's room for a catch-up: hold its live events. */
  begin(socket: QuorumSocket, discussionId: string): void {
    const timelines = (socket.data.timelines ??= new Map<string, SocketTimeline>());
    const previous = timelines.get(discussionId);
    timelines.set(discussionId, { covered: null, waiting: previous?.waiting ?? [] });
    this.gate(discussionId).pending++;
  }

  /**
   * The catch-up covered up to `covered`: once its reply is on its way, the
   * held events after it follow, and live delivery resumes.
   */
  settle(socket: QuorumSocket, discussionId: string, covered: number | null): void {
    const gate = this.gate(discussionId);
    if (covered !== null) gate.covered = Math.max(gate.covered, covered);
    // After the acknowledgement (which is sent once the handler's promise settles).
    setImmediate(() => {
      gate.pending--;
      const timeline = socket.data.timelines?.get(discussionId);
      if (!timeline) return;
      if (covered === null) {
        socket.data.timelines?.delete(discussionId);
        return;
      }
      timeline.covered = covered;
      for (const event of timeline.waiting.splice(0)) this.deliver(socket, event);
    });
  }

  /** The socket stopped watching. */
  forget(socket: QuorumSocket, discussionId: string): void {
    socket.data.timelines?.delete(discussionId);
  }

  /** Whether an event can go to the rooms as one broadcast: nobody here has it or is catching up. */
  broadcastable(event: Pick<TimelineEventDto, 'discussionId' | 'sequence'>): boolean {
    const gate = this.discussions.get(event.discussionId);
    return !gate || (gate.pending === 0 && event.sequence > gate.covered);
  }

  /** Sends an event to one socket unless it has it already (or holds it until its catch-up is out). */
  deliver(socket: QuorumSocket, event: LiveTimelineEvent): void {
    const timeline = socket.data.timelines?.get(event.discussionId);
    if (!timeline) return void socket.emit('timeline:event', event);
    if (timeline.covered === null) return void timeline.waiting.push(event);
    // The catch-up had the entry, not the tally a vote's entry carries: that still goes.
    if (event.sequence <= timeline.covered) {
      if (event.poll) socket.emit('poll:upserted', event.poll);
      return;
    }
    timeline.covered = event.sequence;
    socket.emit('timeline:event', event);
  }
}

function hasRooms(io: QuorumServer, discussionId: string): boolean {
  const rooms = io.of('/').adapter.rooms;
  return DISCUSSION_VIEWS.some((view) => rooms.has(discussionRoom(discussionId, view)));
}
