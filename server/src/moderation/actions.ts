/**
 * The actions a group's moderators take on what was reported (or on anyone's
 * content and any member directly): each closes or updates the target's open
 * reports, changes the record (the change feed carries it live to everyone
 * affected), writes the group's audit log and tells the author privately.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';
import { deleteComment } from '../commands/comments/change.js';
import { setDiscussionClosed } from '../commands/discussions/change.js';
import { removeMembership } from '../commands/groups/roster.js';
import { AuthorizationError, ValidationError, isHttpError } from '../errors.js';
import { CommentModel } from '../models/comment.js';
import type { GroupDocument } from '../models/group.js';
import { ReportModel } from '../models/report.js';
import { MembershipModel } from '../models/membership.js';
import { RestrictionModel } from '../models/restriction.js';
import { isCoordinator } from '../policies/group.js';
import { MODERATION_ACTIONS, type ModerationAction } from '../../../shared/moderation.js';
import { recordModeration } from './record.js';
import { resolveTarget, type ResolvedTarget } from './targets.js';

export interface ModerateProps {
  viewer: Viewer & { user: NonNullable<Viewer['user']> };
  group: GroupDocument;
  target: { kind: ResolvedTarget['kind']; id: string };
  action: ModerationAction;
  reason: string;
  /** Mutes and bans: how long; absent means until lifted (bans) and is refused for mutes. */
  minutes?: number;
  ip?: string | null;
}

/** Which actions make sense on which kind of target. */
const ALLOWED: Record<ResolvedTarget['kind'], readonly ModerationAction[]> = {
  comment: MODERATION_ACTIONS,
  discussion: ['dismiss', 'warn', 'mute', 'lock', 'remove', 'ban', 'escalate'],
  poll: ['dismiss', 'warn', 'mute', 'lock', 'remove', 'ban', 'escalate'],
  person: ['dismiss', 'warn', 'mute', 'remove', 'ban', 'escalate'],
};

/** Actions that bear on the author as a person (a moderator may not take them against a coordinator). */
const AGAINST_PERSON = new Set<ModerationAction>(['mute', 'remove', 'ban']);

async function closeReports(target: ResolvedTarget, actorId: Types.ObjectId, resolution: string) {
  await ReportModel.updateMany(
    { targetId: target.id, handledAt: null },
    { $set: { handledAt: new Date(), handledById: actorId, resolution } },
  );
}

async function restrict(
  props: ModerateProps,
  kind: 'mute' | 'ban',
  userId: Types.ObjectId,
): Promise<Date | null> {
  if (kind === 'mute' && props.minutes === undefined)
    throw ValidationError('minutes', 'A mute needs a duration');
  const until = props.minutes ? new Date(Date.now() + props.minutes * 60_000) : null;
  // A new mute or ban replaces the one in force, so the latest decision is the one that holds.
  await RestrictionModel.updateMany(
    { userId, groupId: props.group._id, kind, liftedAt: null },
    { $set: { liftedAt: new Date() } },
  );
  await RestrictionModel.create({
    kind,
    groupId: props.group._id,
    userId,
    until,
    reason: props.reason,
    byId: props.viewer.user._id,
  });
  return until;
}

async function removeFromGroup(groupId: Types.ObjectId, userId: Types.ObjectId): Promise<void> {
  try {
    await removeMembership({ groupId, userId, leaving: false });
  } catch (error) {
    // Already gone (left, or removed meanwhile): a ban still holds.
    if (!(isHttpError(error) && error.id === 'not_found')) throw error;
  }
}

/** Carries out one action; throws 400/403/404/409 with stable ids. */
export async function moderate(props: ModerateProps): Promise<void> {
  const { viewer, group, action } = props;
  const target = await resolveTarget(viewer, props.target.kind, props.target.id, group._id);
  if (!target.group?._id.equals(group._id)) throw ValidationError('target', 'Not in this group');
  if (!ALLOWED[target.kind].includes(action))
    throw ValidationError('action', `Cannot ${action} a ${target.kind}`);
  const author = target.authorId;
  if (AGAINST_PERSON.has(action)) {
    if (!author) throw ValidationError('target', 'Nobody to act on');
    if (author.equals(viewer.user._id)) throw ValidationError('target', 'Not on yourself');
    if (!isCoordinator(viewer, group) && (await isCoordinatorOf(group._id, author)))
      throw AuthorizationError('Only coordinators may act against a coordinator');
  }
  const comment = target.comment;
  const actorId = viewer.user._id;
  let until: Date | null = null;
  let tell = true;
  switch (action) {
    case 'dismiss':
      tell = false;
      if (comment?.hiddenAt)
        await CommentModel.updateOne({ _id: comment._id }, { $set: { hiddenAt: null } });
      break;
    case 'hide':
      await CommentModel.updateOne({ _id: comment!._id }, { $set: { hiddenAt: new Date() } });
      break;
    case 'restore':
    case 'approve':
      await CommentModel.updateOne(
        { _id: comment!._id },
        { $set: { hiddenAt: null, heldAt: null } },
      );
      break;
    case 'delete':
      if (!comment!.deletedAt) await deleteComment({ comment: comment!, actorId });
      break;
    case 'warn':
      break;
    case 'mute':
      until = await restrict(props, 'mute', author!);
      break;
    case 'lock':
      await setDiscussionClosed({ discussion: target.discussion!, actorId, closed: true });
      break;
    case 'remove':
      await removeFromGroup(group._id, author!);
      break;
    case 'ban':
      until = await restrict(props, 'ban', author!);
      await removeFromGroup(group._id, author!);
      break;
    case 'escalate':
      tell = false;
      await ReportModel.updateMany(
        { targetId: target.id, handledAt: null },
        { $set: { escalated: true } },
      );
      break;
  }
  // Hiding keeps the item open pending review, escalation keeps it for the administrators too.
  if (action !== 'hide' && action !== 'escalate') await closeReports(target, actorId, action);
  await recordModeration({
    actorId,
    action,
    reason: props.reason,
    groupId: group._id,
    subjectUserId: author,
    target: { kind: target.kind, id: target.id },
    discussionId: target.discussion?._id ?? null,
    commentId: comment?._id ?? null,
    until,
    ip: props.ip,
    tell,
  });
}

async function isCoordinatorOf(groupId: Types.ObjectId, userId: Types.ObjectId) {
  return (await MembershipModel.exists({ groupId, userId, role: 'coordinator' })) !== null;
}
