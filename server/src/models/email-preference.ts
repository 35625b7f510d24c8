/**
 * One person's email preferences, in their own collection rather than on the
 * user: the user record stays what authentication reads on every request,
 * preferences are read only by the mail jobs and their page, erasing them on
 * deletion is one `deleteOne`, and an export (P2) finds them by `userId`. A
 * person without a record has the defaults ({@link DEFAULT_EMAIL_PREFERENCES}).
 */
import { Schema, model, type HydratedDocument, type Types } from 'mongoose';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../../shared/domain.js';
import { GROUP_EMAIL_LEVELS, type GroupEmailLevel } from '../../../shared/email.js';

export interface EmailPreference {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  kinds: Record<NotificationKind, boolean>;
  defaultGroupLevel: GroupEmailLevel;
  groups: { groupId: Types.ObjectId; level: GroupEmailLevel }[];
  digest: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Mentions and replies on, every other kind on too, filtered by a group level of `important`. */
export const DEFAULT_EMAIL_PREFERENCES: Pick<
  EmailPreference,
  'kinds' | 'defaultGroupLevel' | 'groups' | 'digest'
> = Object.freeze({
  kinds: Object.freeze(
    Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, true])) as Record<
      NotificationKind,
      boolean
    >,
  ),
  defaultGroupLevel: 'important',
  groups: [],
  digest: false,
});

const emailPreferenceSchema = new Schema<EmailPreference>(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true, unique: true },
    kinds: Object.fromEntries(
      NOTIFICATION_KINDS.map((k) => [k, { type: Boolean, default: true }]),
    ) as Record<NotificationKind, { type: BooleanConstructor; default: boolean }>,
    defaultGroupLevel: { type: String, enum: GROUP_EMAIL_LEVELS, default: 'important' },
    groups: [
      {
        _id: false,
        groupId: { type: Schema.Types.ObjectId, ref: 'Group', required: true },
        level: { type: String, enum: GROUP_EMAIL_LEVELS, required: true },
      },
    ],
    digest: { type: Boolean, default: false },
  },
  { timestamps: true },
);

export type EmailPreferenceDocument = HydratedDocument<EmailPreference>;
export const EmailPreferenceModel = model<EmailPreference>(
  'EmailPreference',
  emailPreferenceSchema,
);
