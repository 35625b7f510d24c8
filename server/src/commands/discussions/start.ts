/**
 * Starting a discussion: the discussion and its first timeline event
 * (`discussion_started`, sequence 1) are written in one transaction, so a
 * discussion never exists without the start of its timeline.
 */
import mongoose, { Types } from 'mongoose';
import { DiscussionModel, type DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import type { UserDocument } from '../../models/user.js';
import { derivePrivacy } from '../../policies/discussion.js';
import { appendTimelineEvent } from '../timeline.js';

export interface StartDiscussionProps {
  /** Null for a discussion among invited guests only (always private). */
  group: GroupDocument | null;
  author: UserDocument;
  title: string;
  context: string;
  /** The author's wish; honoured only in open groups (see `derivePrivacy`). */
  private?: boolean;
}

export async function startDiscussion(props: StartDiscussionProps): Promise<DiscussionDocument> {
  const id = new Types.ObjectId();
  await mongoose.connection.transaction(async (session) => {
    await DiscussionModel.create(
      [
        {
          _id: id,
          groupId: props.group?._id ?? null,
          authorId: props.author._id,
          title: props.title,
          context: props.context,
          private: props.group ? derivePrivacy(props.group, props.private) : true,
        },
      ],
      { session },
    );
    await appendTimelineEvent(
      { discussionId: id, kind: 'discussion_started', actorId: props.author._id },
      session,
    );
  });
  const discussion = await DiscussionModel.findById(id);
  if (!discussion) throw new Error(`discussion ${String(id)} missing after its creation committed`);
  return discussion;
}
