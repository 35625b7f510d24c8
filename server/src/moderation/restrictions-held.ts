/**
 * The restrictions that may be in force on each person, held on this process,
 * so the gate every write passes (`assertMayAct`: a comment, a vote, a
 * reaction) reads nothing. Kept true three ways:
 * - this process's own writes drop a person's copy as soon as they are
 *   written (the model tells of every write, models/restriction.ts);
 * - other processes' writes reach this one through its change feed, which
 *   calls `forget` (realtime/index.ts): a mute imposed elsewhere holds here
 *   once the feed has carried it, a moment later;
 * - time ends a restriction by itself: `until` is checked at every use.
 * Held only while a change feed runs in this process (it attaches itself):
 * without one, every check reads the database as before. Bounded: the least
 * recently used people go first.
 */
import { inForce, onRestrictionWrite, RestrictionModel } from '../models/restriction.js';
import type { Types } from 'mongoose';
import type { Restriction } from '../models/restriction.js';

type Id = Types.ObjectId | string;

/** A person's mutes and suspensions in force at `now` (bans guard the ways in, not writes). */
async function readInForce(userId: Id, now: Date): Promise<Restriction[]> {
  return RestrictionModel.find({ userId, kind: { $ne: 'ban' }, ...inForce(now) }).lean();
}

export class HeldRestrictions {
  private feeds = 0;
  private readonly byUser = new Map<string, Promise<Restriction[]>>();

  constructor(private readonly limit = 10_000) {}

  /** A change feed started: copies may be held (until the returned function is called). */
  attach(): () => void {
    this.feeds++;
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.feeds--;
      this.byUser.clear();
    };
  }

  /** The person's mutes and suspensions in force at `now`. */
  async inForce(userId: Id, now = new Date()): Promise<Restriction[]> {
    if (this.feeds === 0) return readInForce(userId, now);
    const key = String(userId);
    let held = this.byUser.get(key);
    if (held) {
      this.byUser.delete(key);
    } else {
      held = readInForce(userId, now);
      const read = held;
      held.catch(() => {
        if (this.byUser.get(key) === read) this.byUser.delete(key);
      });
    }
    this.byUser.set(key, held);
    if (this.byUser.size > this.limit) this.byUser.delete(this.byUser.keys().next().value!);
    return (await held).filter((r) => r.until === null || r.until > now);
  }

  /**
   * Starts reading the person's restrictions where none are held, without
   * waiting: a write is on its way (authenticate.ts), and the gate it will
   * pass then finds them read alongside the person, not after.
   */
  warm(userId: Id): void {
    if (this.feeds === 0 || this.byUser.has(String(userId))) return;
    this.inForce(userId).catch(() => undefined);
  }

  /** Drops a person's copy (null: everyone's), after a write or a change from the feed. */
  forget(userId: string | null): void {
    if (userId === null) this.byUser.clear();
    else this.byUser.delete(userId);
  }
}

/** This process's copies, which `assertMayAct` reads. */
export const heldRestrictions = new HeldRestrictions();
onRestrictionWrite((userId) => heldRestrictions.forget(userId));
