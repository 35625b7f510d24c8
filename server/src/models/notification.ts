/** Something a person should know about: a mention, a reply, a new poll, an outcome. */
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../shared/domain.js';
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export { NOTIFICATION_KINDS, type NotificationKind };

export interface Notification {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  kind: NotificationKind;
  actorId: Types.ObjectId | null;
  discussionId: Types.ObjectId | null;
  commentId: Types.ObjectId | null;
  pollId: Types.ObjectId | null;
  /** The meeting a `meeting_started` notification is about. */
  meetingId?: Types.ObjectId | null;
  readAt: Date | null;
  createdAt: Date;
}

const notificationSchema = new Schema<Notification>(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    actorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    discussionId: { type: Schema.Types.ObjectId, ref: 'Discussion', default: null },
    commentId: { type: Schema.Types.ObjectId, ref: 'Comment', default: null },
    pollId: { type: Schema.Types.ObjectId, ref: 'Poll', default: null },
    meetingId: { type: Schema.Types.ObjectId, ref: 'Meeting', default: null },
    readAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
notificationSchema.index({ userId: 1, createdAt: -1 });

export type NotificationDocument = HydratedDocument<Notification>;
export const NotificationModel = model<Notification>('Notification', notificationSchema);
