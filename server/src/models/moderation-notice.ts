/**
 * What moderation did to a person's content or account, with the reason, told
 * to that person alone (live to their own room, and in their data export).
 * Never names who reported them.
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface ModerationNotice {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** `hide`, `restore`, `delete`, `warn`, `mute`, `ban`, `remove`, `suspend`, `approve`, `lock`. */
  action: string;
  reason: string;
  groupId: Types.ObjectId | null;
  discussionId: Types.ObjectId | null;
  commentId: Types.ObjectId | null;
  until: Date | null;
  createdAt: Date;
}

const moderationNoticeSchema = new Schema<ModerationNotice>(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    action: { type: String, required: true },
    reason: { type: String, required: true, maxlength: 2000 },
    groupId: { type: Schema.Types.ObjectId, ref: 'Group', default: null },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', default: null },
    commentId: { type: Schema.Types.ObjectId, ref: 'Comment', default: null },
    until: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type ModerationNoticeDocument = HydratedDocument<ModerationNotice>;
export const ModerationNoticeModel = model<ModerationNotice>(
  'ModerationNotice',
  moderationNoticeSchema,
);
