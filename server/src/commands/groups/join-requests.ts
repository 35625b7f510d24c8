/**
 * Requests to join a group, with an introduction, and their decision by a
 * coordinator. A person has at most one pending request per group (a partial
 * unique index backs the check); approving grants the membership in the same
 * transaction that records the decision, and a request is decided only once.
 */
import { assertNotBanned } from '../../moderation/restrictions.js';
import mongoose, { type Types } from 'mongoose';
import { ConflictError } from '../../errors.js';
import { JoinRequestModel, type JoinRequestDocument } from '../../models/join-request.js';
import { isDuplicateKey } from './errors.js';
import { ensureMembership } from './roster.js';

const alreadyPending = () =>
  ConflictError('You already asked to join this group; a coordinator will decide');

export async function createJoinRequest(props: {
  groupId: Types.ObjectId;
  userId: Types.ObjectId;
  introduction: string;
}): Promise<JoinRequestDocument> {
  await assertNotBanned(props.userId, props.groupId);
  if (
    await JoinRequestModel.exists({
      groupId: props.groupId,
      userId: props.userId,
      status: 'pending',
    })
  )
    throw alreadyPending();
  try {
    return await JoinRequestModel.create({
      groupId: props.groupId,
      userId: props.userId,
      introduction: props.introduction,
    });
  } catch (error) {
    if (isDuplicateKey(error)) throw alreadyPending();
    throw error;
  }
}

/** Approves or declines a pending request; 409 when it was already decided. */
export async function decideJoinRequest(props: {
  requestId: Types.ObjectId;
  deciderId: Types.ObjectId;
  decision: 'approved' | 'declined';
}): Promise<JoinRequestDocument> {
  return mongoose.connection.transaction(async (session) => {
    const request = await JoinRequestModel.findOneAndUpdate(
      { _id: props.requestId, status: 'pending' },
      { $set: { status: props.decision, decidedById: props.deciderId, decidedAt: new Date() } },
      { session, returnDocument: 'after' },
    );
    if (!request) throw ConflictError('This request has already been decided');
    if (props.decision === 'approved') {
      await ensureMembership(
        { groupId: request.groupId, userId: request.userId, role: 'member' },
        session,
      );
    }
    return request;
  });
}
