/**
 * The personal data export (P2): everything Quorum holds about one person, as
 * one JSON document written section by section from database cursors, so a
 * large account never sits in memory at once. It holds one's own records in
 * full (one's votes in anonymous polls included: this export goes to their
 * owner alone) and names other people by id and public name only: no one
 * else's email address, no other voter, no invitee's address.
 */
import { ReportModel } from '../../models/report.js';
import { ModerationNoticeModel } from '../../models/moderation-notice.js';
import { presentOwnReport } from '../../moderation/reports.js';
import { presentNotice } from '../../moderation/present.js';
import mongoose, { type Types } from 'mongoose';
import { AuditEntryModel } from '../../models/audit-entry.js';
import { CommentModel } from '../../models/comment.js';
import { DiscussionModel } from '../../models/discussion.js';
import { DocVersionModel } from '../../models/doc-version.js';
import { GroupModel } from '../../models/group.js';
import { GuestModel } from '../../models/guest.js';
import { InvitationModel, invitationStatus } from '../../models/invitation.js';
import { JoinRequestModel } from '../../models/join-request.js';
import { MeetingModel } from '../../models/meeting.js';
import { MeetingAttendanceModel } from '../../models/meeting-attendance.js';
import { MeetingHandModel } from '../../models/meeting-hand.js';
import { MeetingSignalModel } from '../../models/meeting-signal.js';
import { MembershipModel } from '../../models/membership.js';
import { NotificationModel } from '../../models/notification.js';
import { PollModel } from '../../models/poll.js';
import { ReactionModel } from '../../models/reaction.js';
import { ReadStateModel } from '../../models/read-state.js';
import type { UserDocument } from '../../models/user.js';
import { VoteModel } from '../../models/vote.js';
import { presentOwnAuditEntry } from '../../presenters/audit-entry.js';
import { loadPeople } from '../discussions/people.js';
import { exportAvatar } from './avatar.js';

export const EXPORT_FORMAT = 'quorum-personal-data/1';

/** Where the export goes: a write that resolves once the sink can take more (backpressure). */
export type Sink = (chunk: string) => Promise<void>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const id = (v: Types.ObjectId | null | undefined) => (v ? String(v) : null);

/** Another person as the export names them: id and public name, nothing else. */
async function personOf(userId: unknown): Promise<{ id: string; name: string } | null> {
  if (!userId) return null;
  const summary = (await loadPeople([userId]))(userId);
  return { id: summary.id, name: summary.name };
}

/** Remembers lookups of other records within one export (groups, people, polls). */
function memo<T>(load: (key: string) => Promise<T>): (key: unknown) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    const k = String(key);
    if (!cache.has(k)) cache.set(k, load(k));
    return cache.get(k)!;
  };
}

/** Writes the whole export of `user` to `sink`. */
export async function exportPersonalData(user: UserDocument, sink: Sink): Promise<void> {
  const userId = user._id;
  const self = String(userId);
  const known = memo((key) =>
    key === self ? Promise.resolve({ id: self, name: user.name }) : personOf(key),
  );
  const person = (userId: unknown) => (userId ? known(userId) : Promise.resolve(null));
  const group = memo(async (key) => {
    const g = await GroupModel.findById(key, { name: 1, handle: 1 }).lean();
    return g ? { id: key, name: g.name, handle: g.handle } : { id: key, name: null, handle: null };
  });
  const poll = memo(async (key) => {
    const p = await PollModel.findById(key, { title: 1, anonymous: 1, kind: 1 }).lean();
    return p ? { id: key, title: p.title, kind: p.kind, anonymous: p.anonymous } : { id: key };
  });

  let first = true;
  const section = async (name: string, value: unknown) => {
    await sink(`${first ? '' : ',\n'}  ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
    first = false;
  };
  /** A section listed from a cursor, one record per line. */
  const list = async <T>(name: string, rows: AsyncIterable<T>, present: (row: T) => unknown) => {
    await sink(`${first ? '' : ',\n'}  ${JSON.stringify(name)}: [`);
    first = false;
    let n = 0;
    for await (const row of rows) {
      await sink(`${n++ === 0 ? '\n' : ',\n'}    ${JSON.stringify(await present(row))}`);
    }
    await sink(n === 0 ? ']' : '\n  ]');
  };

  await sink('{\n');
  await section('format', EXPORT_FORMAT);
  await section('exportedAt', new Date().toISOString());
  await section('profile', {
    id: self,
    name: user.name,
    handle: user.handle,
    email: user.email,
    emailVerifiedAt: iso(user.emailVerifiedAt),
    avatar: await exportAvatar(user),
    isAdmin: user.isAdmin,
    lastSignInAt: iso(user.lastSignInAt),
    lastSignInAddressMasked: user.lastSignInIp,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  });

  await list(
    'memberships',
    MembershipModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    async (m) => ({
      group: await group(m.groupId),
      role: m.role,
      suspendedAt: iso(m.suspendedAt),
      joinedAt: iso(m.createdAt),
    }),
  );
  await list(
    'guestOf',
    GuestModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    async (g) => ({
      discussionId: id(g.discussionId),
      invitedBy: await person(g.invitedById),
      since: iso(g.createdAt),
    }),
  );
  await list(
    'discussions',
    DiscussionModel.find({ authorId: userId }).sort({ _id: 1 }).lean().cursor(),
    (d) => ({
      id: id(d._id),
      groupId: id(d.groupId),
      title: d.title,
      context: d.context,
      private: d.private,
      closedAt: iso(d.closedAt),
      createdAt: iso(d.createdAt),
    }),
  );
  await list(
    'comments',
    CommentModel.find({ authorId: userId }).sort({ _id: 1 }).lean().cursor(),
    (c) => ({
      id: id(c._id),
      discussionId: id(c.discussionId),
      parentId: id(c.parentId),
      body: c.body,
      history: c.history.map((h) => ({ body: h.body, replacedAt: iso(h.editedAt) })),
      createdAt: iso(c.createdAt),
      editedAt: iso(c.editedAt),
      deletedAt: iso(c.deletedAt),
    }),
  );
  await list(
    'polls',
    PollModel.find({ authorId: userId }).sort({ _id: 1 }).lean().cursor(),
    (p) => ({
      id: id(p._id),
      discussionId: id(p.discussionId),
      kind: p.kind,
      title: p.title,
      details: p.details,
      options: p.options.map((o) => o.label),
      anonymous: p.anonymous,
      closesAt: iso(p.closesAt),
      closedAt: iso(p.closedAt),
      createdAt: iso(p.createdAt),
    }),
  );
  await list(
    'outcomes',
    PollModel.find({ 'outcome.authorId': userId }).sort({ _id: 1 }).lean().cursor(),
    (p) => ({
      pollId: id(p._id),
      statement: p.outcome?.statement ?? '',
      createdAt: iso(p.outcome?.createdAt),
    }),
  );
  // The collaborative texts one took part in (each settled version): named, not copied, as others wrote them too.
  await list(
    'collaborativeEdits',
    DocVersionModel.find({ editorIds: userId }, { doc: 1, createdAt: 1 })
      .sort({ _id: 1 })
      .lean()
      .cursor(),
    (v) => ({ document: v.doc, settledAt: iso(v.createdAt) }),
  );
  // One's own votes, anonymous polls included (for oneself only); never anyone else's. The ballot
  // itself (choices, reason, times) is a record of its own, beside the poll it belongs to.
  await list('votes', VoteModel.find({ userId }).sort({ _id: 1 }).lean().cursor(), async (v) => ({
    poll: await poll(v.pollId),
    discussionId: id(v.discussionId),
    vote: {
      choices: v.choices.map((c) => ({ optionId: c.optionId, value: c.value })),
      reason: v.reason,
      createdAt: iso(v.createdAt),
      updatedAt: iso(v.updatedAt),
    },
  }));
  await list('reactions', ReactionModel.find({ userId }).sort({ _id: 1 }).lean().cursor(), (r) => ({
    commentId: id(r.commentId),
    discussionId: id(r.discussionId),
    emoji: r.emoji,
    createdAt: iso(r.createdAt),
  }));
  await list(
    'notifications',
    NotificationModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    async (n) => ({
      id: id(n._id),
      kind: n.kind,
      actor: await person(n.actorId),
      discussionId: id(n.discussionId),
      commentId: id(n.commentId),
      pollId: id(n.pollId),
      readAt: iso(n.readAt),
      createdAt: iso(n.createdAt),
    }),
  );
  await list(
    'readStates',
    ReadStateModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    (r) => ({
      discussionId: id(r.discussionId),
      lastReadSequence: r.lastReadSequence,
      updatedAt: iso(r.updatedAt),
    }),
  );
  // Invitations one sent: to which group or discussion, and what became of them; the invitee's
  // address is theirs, so an accepted invitation names the person, a pending one no one.
  await list(
    'invitationsSent',
    InvitationModel.find({ invitedById: userId }).sort({ _id: 1 }).lean().cursor(),
    async (i) => ({
      id: id(i._id),
      groupId: id(i.groupId),
      discussionId: id(i.discussionId),
      role: i.role,
      status: invitationStatus(i),
      acceptedBy: await person(i.acceptedById),
      createdAt: iso(i.createdAt),
    }),
  );
  await list(
    'joinRequests',
    JoinRequestModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    async (j) => ({
      id: id(j._id),
      group: await group(j.groupId),
      introduction: j.introduction,
      status: j.status,
      decidedBy: await person(j.decidedById),
      decidedAt: iso(j.decidedAt),
      createdAt: iso(j.createdAt),
    }),
  );
  await section('emailPreferences', await emailPreferencesOf(userId));
  await list(
    'auditEntries',
    AuditEntryModel.find({ subjectUserId: userId }).sort({ _id: 1 }).lean().cursor(),
    async (e) => presentOwnAuditEntry(e, self, await person(e.actorId)),
  );
  // The reports one made (never anyone's report about oneself), and what moderation did to one's content.
  await list(
    'reportsMade',
    ReportModel.find({ reporterId: userId }).sort({ _id: 1 }).lean().cursor(),
    (r) => presentOwnReport(r),
  );
  await list(
    'moderationNotices',
    ModerationNoticeModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    (n) => presentNotice(n),
  );
  await meetingSections(userId, list, memo);
  await sink('\n}\n');
}

type ListSection = <T>(
  name: string,
  rows: AsyncIterable<T>,
  present: (row: T) => unknown,
) => Promise<void>;

/**
 * One's part in meetings: the meetings one scheduled, facilitated or took the
 * minutes of, when one was present, the hands one raised and one's current
 * temperature signals (which only ever leave the server as counts, except here).
 */
async function meetingSections(
  userId: Types.ObjectId,
  list: ListSection,
  cached: typeof memo,
): Promise<void> {
  const meeting = cached(async (key) => {
    const m = await MeetingModel.findById(key, { title: 1, groupId: 1 }).lean();
    return m ? { id: key, title: m.title, groupId: String(m.groupId) } : { id: key };
  });
  await list(
    'meetingRoles',
    MeetingModel.find(
      { $or: [{ createdById: userId }, { facilitatorIds: userId }, { minuteTakerId: userId }] },
      { title: 1, groupId: 1, scheduledAt: 1, createdById: 1, facilitatorIds: 1, minuteTakerId: 1 },
    )
      .sort({ _id: 1 })
      .lean()
      .cursor(),
    (m) => ({
      meeting: { id: String(m._id), title: m.title, groupId: String(m.groupId) },
      scheduledAt: iso(m.scheduledAt),
      scheduled: m.createdById.equals(userId),
      facilitator: m.facilitatorIds.some((f) => f.equals(userId)),
      minuteTaker: m.minuteTakerId?.equals(userId) ?? false,
    }),
  );
  await list(
    'meetingAttendance',
    MeetingAttendanceModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    async (a) => ({
      meeting: await meeting(a.meetingId),
      joinedAt: iso(a.joinedAt),
      leftAt: iso(a.leftAt),
    }),
  );
  await list(
    'meetingHands',
    MeetingHandModel.find({ userId }).sort({ _id: 1 }).lean().cursor(),
    async (h) => ({
      meeting: await meeting(h.meetingId),
      kind: h.kind,
      state: h.state,
      raisedAt: iso(h.raisedAt),
      calledAt: iso(h.calledAt),
      doneAt: iso(h.doneAt),
    }),
  );
  await list(
    'meetingSignals',
    MeetingSignalModel.find({ userId, signal: { $ne: null } })
      .sort({ _id: 1 })
      .lean()
      .cursor(),
    async (t) => ({
      meeting: await meeting(t.meetingId),
      signal: t.signal,
      updatedAt: iso(t.updatedAt),
    }),
  );
}

/**
 * One's email preferences, read from their collection by name so the export
 * does not depend on the mail module; null when none were ever saved.
 */
async function emailPreferencesOf(userId: Types.ObjectId): Promise<unknown> {
  const prefs = await mongoose.connection.collection('emailpreferences').findOne({ userId });
  if (!prefs) return null;
  return {
    kinds: prefs.kinds as unknown,
    defaultGroupLevel: prefs.defaultGroupLevel as unknown,
    groups: ((prefs.groups as { groupId: unknown; level: unknown }[] | undefined) ?? []).map(
      (g) => ({
        groupId: String(g.groupId),
        level: g.level,
      }),
    ),
    digest: prefs.digest as unknown,
    updatedAt: prefs.updatedAt instanceof Date ? prefs.updatedAt.toISOString() : null,
  };
}
