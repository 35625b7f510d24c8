/**
 * Restrictions in force, kept in the database so they hold across processes
 * and restarts: a mute in a group, a site-wide suspension, a ban from a
 * group. `assertMayAct` is the one gate every write of a person passes
 * (comment, react, vote, start or edit a discussion, a poll or a meeting,
 * act in a meeting), REST and sockets alike; it reads the copies this process
 * holds (restrictions-held.ts, kept true by this process's writes and its
 * change feed). Collaborative editing keeps the `writeBlockOf` answer per
 * session (collab/sessions.ts). `assertNotBanned` guards every way into a group.
 */
import type { Types } from 'mongoose';
import { BannedError, MutedError, SuspendedError } from '../errors.js';
import { inForce, RestrictionModel, type Restriction } from '../models/restriction.js';
import { heldRestrictions } from './restrictions-held.js';
import type { RestrictionDto } from '../../../shared/moderation.js';

type Id = Types.ObjectId | string;

/**
 * A person's mutes and suspension in force now, oldest first (bans are not
 * theirs to watch: they lost access). From the copy this process holds for
 * the write gate: the web client asks for them as it opens, so the person's
 * first write (a hand raised in a meeting, a vote) finds the gate's answer
 * here and reads nothing. A change made on another process shows once this
 * process's feed has carried it (a moment), as it holds at the gate.
 */
export async function ownRestrictions(userId: Id, now = new Date()): Promise<Restriction[]> {
  const held = await heldRestrictions.inForce(userId, now);
  return held.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The person's own view of a restriction: no word of who imposed it. */
export function presentRestriction(r: Restriction): RestrictionDto {
  return {
    id: String(r._id),
    kind: r.kind,
    groupId: r.groupId ? String(r.groupId) : null,
    until: r.until?.toISOString() ?? null,
    reason: r.reason,
  };
}

/** The latest end among restrictions (null when any of them lasts until lifted). */
function latestEnd(restrictions: Restriction[]): Date | null {
  if (restrictions.some((r) => r.until === null)) return null;
  return new Date(Math.max(...restrictions.map((r) => r.until!.getTime())));
}

/** What keeps a person from writing in a group now: a suspension first, else a mute. */
export interface WriteBlock {
  kind: 'suspension' | 'mute';
  /** When it ends (the latest end among those in force); null: until lifted. */
  until: Date | null;
}

/**
 * The restriction that keeps the person from writing in the group now, or
 * null; a discussion among guests only has no group, and only a suspension
 * applies there.
 */
export async function writeBlockOf(
  userId: Id,
  groupId: Id | null,
  now = new Date(),
): Promise<WriteBlock | null> {
  const found = (await heldRestrictions.inForce(userId, now)).filter(
    (r) => r.kind === 'suspension' || (groupId && String(r.groupId) === String(groupId)),
  );
  const suspensions = found.filter((r) => r.kind === 'suspension');
  if (suspensions.length > 0) return { kind: 'suspension', until: latestEnd(suspensions) };
  if (found.length > 0) return { kind: 'mute', until: latestEnd(found) };
  return null;
}

/** Whether a block found earlier still holds at `now` (a timed one ends by itself). */
export const stillBlocks = (block: WriteBlock, now = new Date()) =>
  block.until === null || block.until > now;

/** The error a blocked write answers: `suspended` or `muted`, with the end time. */
export const blockError = (block: WriteBlock) =>
  block.kind === 'suspension' ? SuspendedError(block.until) : MutedError(block.until);

/** Throws `suspended` or `muted` (with the end time) when the person may not write in the group now. */
export async function assertMayAct(userId: Id, groupId: Id | null, now = new Date()) {
  const block = await writeBlockOf(userId, groupId, now);
  if (block) throw blockError(block);
}

/** The ban in force on a person in a group, if any: a predicate for joining, requests and invitations. */
export async function banOf(userId: Id, groupId: Id, now = new Date()) {
  return RestrictionModel.findOne({ userId, groupId, kind: 'ban', ...inForce(now) }).lean();
}

/** Refuses joining, asking to join and accepting an invitation while a ban holds. */
export async function assertNotBanned(userId: Id, groupId: Id): Promise<void> {
  if (await banOf(userId, groupId)) throw BannedError();
}
