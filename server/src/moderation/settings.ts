/**
 * Moderation that is not about one report: lifting a mute or a ban, slow
 * mode on a discussion, the hold-first-posts setting and naming moderators.
 * Each is audited with its reason; lifting tells the person.
 */
import type { Types } from 'mongoose';
import { NotFoundError, ValidationError } from '../errors.js';
import type { DiscussionDocument } from '../models/discussion.js';
import { DiscussionModel } from '../models/discussion.js';
import { GroupModel, type GroupDocument } from '../models/group.js';
import { MembershipModel } from '../models/membership.js';
import { RestrictionModel } from '../models/restriction.js';
import type { HoldPosts } from '../../../shared/moderation.js';
import { recordModeration } from './record.js';

interface Acting {
  actorId: Types.ObjectId;
  reason: string;
  ip?: string | null;
}

/** Ends a mute or ban of the group now. */
export async function liftRestriction(
  props: Acting & { group: GroupDocument; restrictionId: string },
): Promise<void> {
  const lifted = await RestrictionModel.findOneAndUpdate(
    { _id: props.restrictionId, groupId: props.group._id, liftedAt: null },
    { $set: { liftedAt: new Date() } },
    { returnDocument: 'after' },
  );
  if (!lifted) throw NotFoundError('Restriction not found');
  await recordModeration({
    ...props,
    action: lifted.kind === 'mute' ? 'unmute' : 'unban',
    groupId: props.group._id,
    subjectUserId: lifted.userId,
    target: { kind: 'person', id: lifted.userId },
    tell: true,
  });
}

/** Sets slow mode (0 turns it off); everyone in the discussion sees it live. */
export async function setSlowMode(
  props: Acting & { discussion: DiscussionDocument; seconds: number },
): Promise<DiscussionDocument> {
  const changed = await DiscussionModel.findOneAndUpdate(
    { _id: props.discussion._id },
    { $set: { slowModeSeconds: props.seconds } },
    { returnDocument: 'after' },
  );
  if (!changed) throw NotFoundError('Discussion not found');
  await recordModeration({
    ...props,
    action: props.seconds > 0 ? 'slow_mode' : 'slow_mode_off',
    groupId: props.discussion.groupId,
    subjectUserId: null,
    target: { kind: 'discussion', id: props.discussion._id },
    tell: false,
  });
  return changed;
}

/** The hold-first-posts setting of a group. */
export async function setHoldPosts(
  props: Acting & { group: GroupDocument; holdPosts: HoldPosts; holdDays: number },
): Promise<GroupDocument> {
  const changed = await GroupModel.findOneAndUpdate(
    { _id: props.group._id },
    { $set: { moderation: { holdPosts: props.holdPosts, holdDays: props.holdDays } } },
    { returnDocument: 'after' },
  );
  if (!changed) throw NotFoundError('Group not found');
  await recordModeration({
    ...props,
    action: `hold_posts_${props.holdPosts}`,
    groupId: props.group._id,
    subjectUserId: null,
    target: null,
    tell: false,
  });
  return changed;
}

/** Names (or un-names) a member moderator; coordinators moderate by their role already. */
export async function setModerator(
  props: Acting & { group: GroupDocument; userId: Types.ObjectId; moderator: boolean },
): Promise<void> {
  const membership = await MembershipModel.findOne({
    groupId: props.group._id,
    userId: props.userId,
  });
  if (!membership) throw NotFoundError('Member not found');
  if (membership.role === 'coordinator')
    throw ValidationError('userId', 'Coordinators already moderate');
  if (membership.moderator === props.moderator) return;
  await MembershipModel.updateOne(
    { _id: membership._id },
    { $set: { moderator: props.moderator } },
  );
  await recordModeration({
    ...props,
    action: props.moderator ? 'moderator_named' : 'moderator_unnamed',
    groupId: props.group._id,
    subjectUserId: props.userId,
    target: { kind: 'person', id: props.userId },
    tell: false,
  });
}
