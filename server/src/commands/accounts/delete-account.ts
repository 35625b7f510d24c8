/**
 * Deleting an account (P9): irreversible. Every profile field is erased from
 * the database — name, handle, email (replaced by a non-identifying tombstone
 * so the unique indexes hold), photo (every stored size), password hash, sign-in time and masked
 * address — along with everything kept only for the person: emailed tokens,
 * rate-limit counters keyed by their address, notifications, read states,
 * presences, email preferences and pending deliveries, memberships, guest
 * places, join requests and meeting temperature signals; invitations sent to
 * their address lose it. Their content (discussions, comments, polls, votes,
 * reactions, and their part in meeting records: hands raised, attendance) stays, shown as
 * "Deleted account"; removing it is the Data Protection Officer's decision
 * (`redact-content.ts`); so is a handle typed as an @mention in someone's
 * text. The deletion itself is audited, without an address.
 */
import mongoose, { type Types } from 'mongoose';
import { RATE_RULES, rateLimitKey } from '../../auth/rate-limit.js';
import { AccountTokenModel } from '../../models/account-token.js';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { AvatarModel } from '../../models/avatar.js';
import { GuestModel } from '../../models/guest.js';
import { InvitationModel } from '../../models/invitation.js';
import { JoinRequestModel } from '../../models/join-request.js';
import { MeetingSignalModel } from '../../models/meeting-signal.js';
import { MembershipModel } from '../../models/membership.js';
import { NotificationModel } from '../../models/notification.js';
import { PresenceModel } from '../../models/presence.js';
import { RateLimitModel } from '../../models/rate-limit.js';
import { ReadStateModel } from '../../models/read-state.js';
import { UserModel, type UserDocument } from '../../models/user.js';
import { recordAudit } from '../audit/record.js';

/** What replaces the email: unique per account, naming no one, and undeliverable (RFC 2606 `.invalid`). */
export const tombstoneEmail = (userId: Types.ObjectId) =>
  `deleted-${String(userId)}@deleted.invalid`;
/** What replaces the handle: unique, and not a valid handle anyone could claim or mention. */
export const tombstoneHandle = (userId: Types.ObjectId) => `deleted-${String(userId)}`;

/**
 * Collections other features own and this command clears by user id. Read by
 * name, so a collection that does not exist (yet) is simply skipped.
 */
const PER_USER_COLLECTIONS = ['emailpreferences', 'emaildeliveries'];

export interface DeleteAccountProps {
  user: UserDocument;
  /** The deployment's secret, to find the rate-limit counters keyed by the address. */
  secret: string;
}

export async function deleteAccount(props: DeleteAccountProps): Promise<void> {
  const { _id: userId, email } = props.user;
  const now = new Date();
  const erased = await UserModel.updateOne(
    { _id: userId, deletedAt: null },
    {
      $set: {
        name: '',
        handle: tombstoneHandle(userId),
        email: tombstoneEmail(userId),
        emailVerifiedAt: null,
        passwordHash: null,
        avatarId: null,
        isAdmin: false,
        lastSignInIp: null,
        lastSignInAt: null,
        deactivatedAt: null,
        deletedAt: now,
      },
      $inc: { tokenVersion: 1 },
    },
  );
  if (erased.modifiedCount === 0) return;

  const counters = [RATE_RULES.signInAccount, RATE_RULES.emailLinkAccount]
    .map((rule) => rateLimitKey(props.secret, rule, email).key)
    .concat(
      [RATE_RULES.verifyResend, RATE_RULES.avatarUpload].map(
        (rule) => rateLimitKey(props.secret, rule, String(userId)).key,
      ),
    );
  await Promise.all([
    AccountTokenModel.deleteMany({ $or: [{ userId }, { email }] }),
    RateLimitModel.deleteMany({ _id: { $in: counters } }),
    NotificationModel.deleteMany({ userId }),
    // The photo goes with the profile: its address answers 404 from now on.
    AvatarModel.deleteMany({ userId }),
    ReadStateModel.deleteMany({ userId }),
    // A live process rewrites its own document without them (their sockets are gone).
    PresenceModel.deleteMany({ $or: [{ participants: userId }, { others: userId }] }),
    MembershipModel.deleteMany({ userId }),
    GuestModel.deleteMany({ userId }),
    JoinRequestModel.deleteMany({ userId }),
    MeetingSignalModel.deleteMany({ userId }),
    // Invitations to their address: pending ones can no longer be used, none keeps the address.
    InvitationModel.updateMany(
      { email, acceptedAt: null, revokedAt: null },
      { $set: { revokedAt: now } },
    ).then(() =>
      InvitationModel.updateMany({ email }, { $set: { email: tombstoneEmail(userId) } }),
    ),
    // Their own earlier audit entries keep the fact, not the (masked) address.
    AuditEntryModel.updateMany({ actorId: userId }, { $set: { ip: null } }),
    ...PER_USER_COLLECTIONS.map((name) =>
      mongoose.connection.collection(name).deleteMany({ userId }),
    ),
  ]);
  await recordAudit({ actorId: userId, subjectUserId: userId, action: 'account_deleted', at: now });
}
