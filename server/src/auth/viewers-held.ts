/**
 * What authenticating a person needs (their account without its password
 * hash, their active memberships and guest invitations), held on this
 * process, so a request reads nothing to learn who is asking: three database
 * commands on every REST write before (issue 11). Kept true three ways, as
 * the held restrictions are (moderation/restrictions-held.ts):
 * - this process's own writes to people, memberships and invitations drop the
 *   person's copy as soon as they are written (models/person-writes.ts);
 * - other processes' writes reach this one through its change feed, which
 *   hands every change to `observe` before anything else sees it
 *   (realtime/index.ts): a deactivation, a token version bumped (signing out
 *   everywhere, a new password) or a role changed on another process holds
 *   here once the feed has carried it, before the feed's next change;
 * - a load still in flight when its person changes is dropped with the copy,
 *   so nobody asks for it afterwards.
 * The token version, deactivation and deletion are checked against the copy
 * at every use (authenticate.ts). Held only while a change feed runs in this
 * process (it attaches itself): without one, every request reads the
 * database as before; when the feed loses its place, everything is dropped.
 * Bounded: the least recently used people go first.
 */
import type { Types } from 'mongoose';
import type { GroupRole } from '../../../shared/domain.js';
import { GuestModel } from '../models/guest.js';
import { MembershipModel } from '../models/membership.js';
import { onPersonWrite } from '../models/person-writes.js';
import { UserModel, type User } from '../models/user.js';

/** Never held: a request that needs it (changing or confirming the password) reads it. */
export const HELD_USER_PROJECTION = { passwordHash: 0 } as const;

/** One person as authentication needs them (see Viewer for the fields). */
export interface HeldViewer {
  user: Omit<User, 'passwordHash'>;
  roles: ReadonlyMap<string, GroupRole>;
  guestOf: ReadonlySet<string>;
  grantIds: ReadonlySet<string>;
  moderates: ReadonlySet<string>;
}

/** A change as the feed hands it over (the fields read here). */
export interface PersonChange {
  collection: string;
  documentKey: unknown;
  fullDocument: Record<string, unknown> | null;
}

/** The person `userId` as authentication needs them, read now; null if there is no such person. */
export async function readViewer(userId: string): Promise<HeldViewer | null> {
  const [user, memberships, guests] = await Promise.all([
    UserModel.findById(userId, HELD_USER_PROJECTION).lean<Omit<User, 'passwordHash'>>(),
    MembershipModel.find({ userId, suspendedAt: null }, { groupId: 1, role: 1, moderator: 1 })
      .lean()
      .exec(),
    GuestModel.find({ userId }, { discussionId: 1 }).lean().exec(),
  ]);
  if (!user) return null;
  return {
    user,
    roles: new Map(memberships.map((m) => [String(m.groupId), m.role])),
    guestOf: new Set(guests.map((g) => String(g.discussionId))),
    grantIds: new Set([...memberships, ...guests].map((grant) => String(grant._id))),
    moderates: new Set(memberships.filter((m) => m.moderator).map((m) => String(m.groupId))),
  };
}

interface Entry {
  loaded: Promise<HeldViewer | null>;
  /** The person once loaded (undefined while reading). */
  value?: HeldViewer | null;
  /** Its membership and guest record ids once loaded, to trace their deletion here. */
  grants: string[] | null;
}

export class HeldViewers {
  private feeds = 0;
  private readonly byUser = new Map<string, Entry>();
  /** Membership or guest record id -> the person it belongs to, for loaded entries. */
  private readonly grantOwners = new Map<string, string>();

  constructor(private readonly limit = 10_000) {}

  /** A change feed started: copies may be held (until the returned function is called). */
  attach(): () => void {
    this.feeds++;
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.feeds--;
      this.forget(null);
    };
  }

  /** The person as held here, or read now (and held while a feed keeps copies true). */
  load(userId: string | Types.ObjectId): Promise<HeldViewer | null> {
    const key = String(userId);
    if (this.feeds === 0) return readViewer(key);
    const held = this.byUser.get(key);
    if (held) {
      this.byUser.delete(key);
      this.byUser.set(key, held);
      return held.loaded;
    }
    const entry: Entry = { loaded: readViewer(key), grants: null };
    this.byUser.set(key, entry);
    if (this.byUser.size > this.limit) this.drop(this.byUser.keys().next().value!);
    entry.loaded.then(
      (viewer) => {
        if (this.byUser.get(key) !== entry) return;
        entry.value = viewer;
        entry.grants = [...(viewer?.grantIds ?? [])];
        for (const grant of entry.grants) this.grantOwners.set(grant, key);
      },
      () => {
        if (this.byUser.get(key) === entry) this.drop(key);
      },
    );
    return entry.loaded;
  }

  /**
   * The person's account as held here now, if loaded (without reading or
   * waiting): the live fan-out presents people's names from it, kept true by
   * the same feed (realtime/fanout-records.ts).
   */
  loadedUser(userId: string): HeldViewer['user'] | null {
    if (this.feeds === 0) return null;
    return this.byUser.get(userId)?.value?.user ?? null;
  }

  /** Drops a person's copy (null: everyone's), after a write or a change from the feed. */
  forget(userId: string | null): void {
    if (userId !== null) return this.drop(userId);
    this.byUser.clear();
    this.grantOwners.clear();
  }

  /** Drops what a change of a person, a membership or an invitation makes stale (the feed calls it first). */
  observe(change: PersonChange): void {
    if (change.collection === 'users') return this.forget(String(change.documentKey));
    if (change.collection !== 'memberships' && change.collection !== 'guests') return;
    const owner =
      (change.fullDocument?.userId as Types.ObjectId | undefined) ??
      this.grantOwners.get(String(change.documentKey));
    if (owner) return this.forget(String(owner));
    // A deleted grant nobody loaded here is no one's held right, unless a load is still reading it.
    for (const [key, entry] of this.byUser) if (entry.grants === null) this.drop(key);
  }

  private drop(userId: string): void {
    const entry = this.byUser.get(userId);
    if (!entry) return;
    this.byUser.delete(userId);
    for (const grant of entry.grants ?? [])
      if (this.grantOwners.get(grant) === userId) this.grantOwners.delete(grant);
  }
}

/** This process's copies, which `authenticate` reads. */
export const heldViewers = new HeldViewers();
onPersonWrite((userId) => heldViewers.forget(userId));
