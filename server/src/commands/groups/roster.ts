/**
 * Who belongs to a group and in which role. Every change that could take away
 * a coordinator runs in a transaction that also bumps the group's
 * `rosterVersion`, so two concurrent changes cannot both pass the check that
 * the group keeps at least one active coordinator.
 */
import { assertNotBanned } from '../../moderation/restrictions.js';
import mongoose, { type ClientSession, type Types } from 'mongoose';
import type { GroupRole } from '../../../../shared/domain.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { GroupModel } from '../../models/group.js';
import { MembershipModel, type MembershipDocument } from '../../models/membership.js';
import { isDuplicateKey, LastCoordinatorError } from './errors.js';

export interface RosterChange {
  groupId: Types.ObjectId;
  userId: Types.ObjectId;
}

async function lockRoster(groupId: Types.ObjectId, session: ClientSession): Promise<void> {
  await GroupModel.updateOne(
    { _id: groupId },
    { $inc: { rosterVersion: 1 } },
    { session, timestamps: false },
  );
}

async function assertAnotherCoordinator(
  change: RosterChange,
  session: ClientSession,
  message?: string,
): Promise<void> {
  const others = await MembershipModel.countDocuments(
    {
      groupId: change.groupId,
      role: 'coordinator',
      suspendedAt: null,
      userId: { $ne: change.userId },
    },
    { session },
  );
  if (others === 0) throw LastCoordinatorError(message);
}

/**
 * Makes someone a member with `role`, or, if they already are one, raises a
 * member to coordinator when `role` says so (never lowers). Used by joining,
 * accepted invitations and approved join requests.
 */
export async function ensureMembership(
  change: RosterChange & { role: GroupRole },
  session?: ClientSession,
): Promise<{ membership: MembershipDocument; created: boolean }> {
  // Invitations, join links and approved requests pass here (joining directly: joinGroup): a ban refuses them all.
  await assertNotBanned(change.userId, change.groupId);
  const existing = await MembershipModel.findOne(
    { groupId: change.groupId, userId: change.userId },
    null,
    { session },
  );
  if (existing) {
    if (change.role === 'coordinator' && existing.role !== 'coordinator') {
      existing.role = 'coordinator';
      await existing.save({ session });
    }
    return { membership: existing, created: false };
  }
  const [membership] = await MembershipModel.create(
    [{ groupId: change.groupId, userId: change.userId, role: change.role }],
    { session },
  );
  return { membership, created: true };
}

/** Joins an open group directly; 409 when already a member, 403 `banned` while a ban holds. */
export async function joinGroup(change: RosterChange): Promise<MembershipDocument> {
  await assertNotBanned(change.userId, change.groupId);
  try {
    return await MembershipModel.create({
      groupId: change.groupId,
      userId: change.userId,
      role: 'member',
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw ConflictError('You are already a member of this group');
    throw error;
  }
}

/** Promotes or demotes a member; demoting the last active coordinator is a 409. */
export async function changeMemberRole(
  change: RosterChange & { role: GroupRole },
): Promise<MembershipDocument> {
  return mongoose.connection.transaction(async (session) => {
    await lockRoster(change.groupId, session);
    const membership = await MembershipModel.findOne(
      { groupId: change.groupId, userId: change.userId },
      null,
      { session },
    );
    if (!membership) throw NotFoundError('Member not found');
    if (membership.role === change.role) return membership;
    if (change.role === 'member') await assertAnotherCoordinator(change, session);
    membership.role = change.role;
    return membership.save({ session });
  });
}

/**
 * Ends a membership (removal by a coordinator, or leaving). The last active
 * coordinator can neither be removed nor leave: not while others remain (they
 * would be left without anyone to run the group), and not when alone either
 * (the group would be left with nobody, invisible or unmanageable forever).
 */
export async function removeMembership(change: RosterChange & { leaving: boolean }): Promise<void> {
  await mongoose.connection.transaction(async (session) => {
    await lockRoster(change.groupId, session);
    const membership = await MembershipModel.findOne(
      { groupId: change.groupId, userId: change.userId },
      null,
      { session },
    );
    if (!membership) throw NotFoundError('Member not found');
    if (membership.role === 'coordinator') {
      const others = await MembershipModel.countDocuments(
        { groupId: change.groupId, userId: { $ne: change.userId } },
        { session },
      );
      const message = !change.leaving
        ? 'Promote another coordinator before removing the last one'
        : others === 0
          ? 'You are the only member: a group always keeps a coordinator'
          : 'Promote another member to coordinator before leaving';
      await assertAnotherCoordinator(change, session, message);
    }
    await MembershipModel.deleteOne({ _id: membership._id }, { session });
  });
}
