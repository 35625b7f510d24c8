/**
 * Attendance, for the minutes: who was present at a meeting, from its
 * presence (the sockets in its facilitator and participant rooms), with when
 * each person joined and left. It follows the rooms themselves (the
 * adapter's `join-room` / `leave-room`), so whatever moves a socket (watch,
 * unwatch, disconnect, a right lost in access.ts) moves attendance too.
 *
 * Per process it keeps each person's sockets in memory and writes only when
 * the first arrives (`present` +1, joined at the earliest) or the last goes
 * (`present` -1 and, once no process holds any, `leftAt`). A leave waits a
 * moment first, so a socket moving between views (a participant named
 * facilitator), a page reload or a quick reconnect is not a departure; the
 * leave time written is when the socket left. A process that dies leaves its
 * people counted present: the attendance block treats them as present until
 * the meeting ended.
 */
import type { Logger } from '../logger.js';
import { MeetingAttendanceModel } from '../models/meeting-attendance.js';
import type { QuorumServer } from '../realtime/io.js';
import { KeyedQueue } from '../realtime/keyed-queue.js';

/** The rooms of people taking part (visitors watch; they are not attendance). */
const TAKING_PART = /^meeting:([0-9a-f]{24}):(facilitator|participant)$/;
/** How long a person may be gone before it counts as leaving (ms). */
export const LEAVE_GRACE_MS = 3000;

interface Person {
  meetingId: string;
  userId: string;
  sockets: Set<string>;
  /** When the last socket left, while the leave waits out its grace. */
  leaving: { at: Date; timer: NodeJS.Timeout } | null;
  /** Whether this process counts the person present in the database. */
  counted: boolean;
}

export class AttendanceTracker {
  private readonly people = new Map<string, Person>();
  private readonly writes: KeyedQueue;
  private closed = false;

  constructor(
    io: QuorumServer,
    logger: Logger,
    private readonly graceMs = LEAVE_GRACE_MS,
  ) {
    this.writes = new KeyedQueue((error) =>
      logger.error('meeting attendance: write failed', error),
    );
    const adapter = io.of('/').adapter;
    adapter.on('join-room', (room: string, socketId: string) => {
      const meetingId = TAKING_PART.exec(room)?.[1];
      const userId = meetingId ? io.of('/').sockets.get(socketId)?.data.viewer.user?._id : null;
      if (meetingId && userId) this.joined(meetingId, String(userId), socketId);
    });
    adapter.on('leave-room', (room: string, socketId: string) => {
      const meetingId = TAKING_PART.exec(room)?.[1];
      if (meetingId) this.left(meetingId, socketId);
    });
  }

  private joined(meetingId: string, userId: string, socketId: string): void {
    const key = `${meetingId}:${userId}`;
    let person = this.people.get(key);
    if (!person) {
      person = { meetingId, userId, sockets: new Set(), leaving: null, counted: false };
      this.people.set(key, person);
    }
    person.sockets.add(socketId);
    if (person.leaving) {
      clearTimeout(person.leaving.timer);
      person.leaving = null;
    }
    if (person.counted || this.closed) return;
    person.counted = true;
    const at = new Date();
    void this.writes.push(key, async () => {
      await MeetingAttendanceModel.updateOne(
        { meetingId, userId },
        { $inc: { present: 1 }, $set: { leftAt: null }, $min: { joinedAt: at } },
        { upsert: true },
      );
    });
  }

  private left(meetingId: string, socketId: string): void {
    for (const [key, person] of this.people) {
      if (person.meetingId !== meetingId || !person.sockets.delete(socketId)) continue;
      if (person.sockets.size > 0 || person.leaving) return;
      const at = new Date();
      const timer = setTimeout(() => this.leave(key, person, at), this.graceMs);
      timer.unref();
      person.leaving = { at, timer };
      return;
    }
  }

  private leave(key: string, person: Person, at: Date): void {
    person.leaving = null;
    if (person.sockets.size > 0 || this.closed) return;
    this.people.delete(key);
    if (!person.counted) return;
    const { meetingId, userId } = person;
    void this.writes.push(key, async () => {
      const after = await MeetingAttendanceModel.findOneAndUpdate(
        { meetingId, userId },
        { $inc: { present: -1 } },
        { returnDocument: 'after', projection: { present: 1 } },
      ).lean();
      // Present elsewhere still, or back meanwhile: not a departure.
      if (after && after.present <= 0)
        await MeetingAttendanceModel.updateOne(
          { meetingId, userId, present: { $lte: 0 } },
          { $set: { leftAt: at } },
        );
    });
  }

  /** Resolves once every write queued so far is done (tests). */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  /**
   * A clean stop: everyone this process counts leaves now (their sockets go
   * with it; they count again when they reconnect, here or elsewhere).
   */
  async close(): Promise<void> {
    const at = new Date();
    for (const [key, person] of [...this.people]) {
      if (person.leaving) clearTimeout(person.leaving.timer);
      person.sockets.clear();
      this.leave(key, person, person.leaving?.at ?? at);
    }
    this.closed = true;
    await this.writes.idle();
  }
}
