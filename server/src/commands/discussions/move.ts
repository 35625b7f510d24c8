/**
 * Moving a discussion to another group. Its privacy is re-derived from the
 * target group (`derivePrivacy`): moving into a closed or secret group makes it
 * private; moving into an open group keeps it as private as it was. The move
 * and its `discussion_moved` event land together.
 */
import mongoose, { type Types } from 'mongoose';
import { DiscussionModel, type DiscussionDocument } from '../../models/discussion.js';
import { PollModel } from '../../models/poll.js';
import type { GroupDocument } from '../../models/group.js';
import { derivePrivacy } from '../../policies/discussion.js';
import { appendTimelineEvent } from '../timeline.js';

export async function moveDiscussion(props: {
  discussion: DiscussionDocument;
  to: GroupDocument;
  actorId: Types.ObjectId;
}): Promise<DiscussionDocument> {
  const { discussion, to } = props;
  await mongoose.connection.transaction(async (session) => {
    await DiscussionModel.updateOne(
      { _id: discussion._id },
      // A pin orders the old group's list; it does not travel.
      { $set: { groupId: to._id, private: derivePrivacy(to, discussion.private), pinnedAt: null } },
      { session },
    );
    // Polls keep a copy of their group for queries; it travels with the discussion.
    await PollModel.updateMany(
      { discussionId: discussion._id },
      { $set: { groupId: to._id } },
      { session },
    );
    await appendTimelineEvent(
      { discussionId: discussion._id, kind: 'discussion_moved', actorId: props.actorId },
      session,
    );
  });
  const moved = await DiscussionModel.findById(discussion._id);
  if (!moved) throw new Error(`discussion ${String(discussion._id)} vanished while moving`);
  return moved;
}
