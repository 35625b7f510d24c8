/**
 * Per-person read state: the last timeline sequence someone has seen in a
 * discussion. It only moves forward, so a stale client cannot make read
 * events unread again.
 */
import type { Types } from 'mongoose';
import { ReadStateModel } from '../../models/read-state.js';
import { isDuplicateKey } from '../../db/errors.js';

/** discussionId -> last read sequence, for the given person and discussions (absent: 0). */
export async function lastReadSequences(
  userId: Types.ObjectId,
  discussionIds: Types.ObjectId[],
): Promise<Map<string, number>> {
  if (discussionIds.length === 0) return new Map();
  const states = await ReadStateModel.find(
    { userId, discussionId: { $in: discussionIds } },
    { discussionId: 1, lastReadSequence: 1 },
  ).lean();
  return new Map(states.map((state) => [String(state.discussionId), state.lastReadSequence]));
}

/**
 * Records that `userId` has read up to `sequence` (capped at the discussion's
 * last sequence by the caller) and returns the stored value, which never
 * decreases.
 */
export async function markRead(props: {
  userId: Types.ObjectId;
  discussionId: Types.ObjectId;
  sequence: number;
}): Promise<number> {
  const upsert = () =>
    ReadStateModel.findOneAndUpdate(
      { userId: props.userId, discussionId: props.discussionId },
      { $max: { lastReadSequence: props.sequence } },
      { upsert: true, returnDocument: 'after', projection: { lastReadSequence: 1 } },
    ).lean();
  let state;
  try {
    state = await upsert();
  } catch (error) {
    // Two first reads raced to insert the state: the second attempt updates the winner's row.
    if (!isDuplicateKey(error)) throw error;
    state = await upsert();
  }
  return state?.lastReadSequence ?? props.sequence;
}
