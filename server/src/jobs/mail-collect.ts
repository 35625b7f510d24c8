/**
 * First step of notification email: turns what happened into one work record
 * per recipient (models/email-delivery.ts). Two sources: in-app notifications
 * (mentions, replies, outcomes, poll reminders) and timeline events that
 * concern a whole group (a discussion started, a poll created), fanned out to
 * the group's active members (and, for a poll, the discussion's guests),
 * never to the person who did it.
 *
 * Each source is scanned from a high-water mark kept in `JobMark`, minus a
 * margin, so records whose transaction committed a little after a later one
 * are still seen; the unique key of each work record makes the overlap
 * harmless. A first run looks back one day, so turning email on does not mail
 * the whole history. Nothing from before the floor ({@link holdMailBefore}) is
 * mailed at all: the demo seed sets it, so its back-dated story is not news.
 * Preferences are not read here but at send time.
 */
import { Types } from 'mongoose';
import type { EventKind, NotificationKind } from '../../../shared/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import { DiscussionModel } from '../models/discussion.js';
import { EmailDeliveryModel, type EmailDelivery } from '../models/email-delivery.js';
import { EventModel } from '../models/event.js';
import { GuestModel } from '../models/guest.js';
import { JobMarkModel } from '../models/job-mark.js';
import { MeetingModel } from '../models/meeting.js';
import { MembershipModel } from '../models/membership.js';
import { NotificationModel } from '../models/notification.js';

/** How far before the high-water mark each scan starts again. */
export const SCAN_MARGIN_MS = 10 * 60_000;
/** How far back the very first scan looks. */
export const FIRST_SCAN_LOOKBACK_MS = 24 * 3600_000;

export const NOTIFICATIONS_MARK = 'mail:notifications';
export const EVENTS_MARK = 'mail:events';
/** Nothing created before this mark's time is mailed. */
export const FLOOR_MARK = 'mail:not-before';

type NewDelivery = Pick<
  EmailDelivery,
  | 'key'
  | 'userId'
  | 'kind'
  | 'actorId'
  | 'groupId'
  | 'discussionId'
  | 'commentId'
  | 'pollId'
  | 'meetingId'
  | 'occurredAt'
>;

/** The lowest ObjectId of a second: scans go by `_id`, which every collection indexes. */
const idFrom = (time: Date) => Types.ObjectId.createFromTime(Math.floor(time.getTime() / 1000));

/** Where a scan starts, and the floor below which nothing is mailed (a time, or 0). */
async function scanStart(mark: string, now: Date): Promise<{ from: Date; floor: Date }> {
  const [found, floor] = await Promise.all([
    JobMarkModel.findById(mark).lean(),
    JobMarkModel.findById(FLOOR_MARK).lean(),
  ]);
  const from = (found?.at.getTime() ?? now.getTime() - FIRST_SCAN_LOOKBACK_MS) - SCAN_MARGIN_MS;
  const notBefore = floor?.at.getTime() ?? 0;
  return { from: new Date(Math.max(from, notBefore)), floor: new Date(notBefore) };
}

/**
 * Mails nothing that was created before `at` (notifications, new discussions
 * and polls), whatever times those records carry. The demo seed calls it once
 * it has written its back-dated story.
 */
export async function holdMailBefore(at: Date): Promise<void> {
  await JobMarkModel.updateOne({ _id: FLOOR_MARK }, { $max: { at } }, { upsert: true });
}

async function advance(mark: string, to: Date): Promise<void> {
  await JobMarkModel.updateOne({ _id: mark }, { $max: { at: to } }, { upsert: true });
}

/** The group of each meeting (a meeting's notification names no discussion). */
async function meetingGroups(ids: Types.ObjectId[]): Promise<Map<string, Types.ObjectId>> {
  if (ids.length === 0) return new Map();
  const rows = await MeetingModel.find({ _id: { $in: ids } }, { groupId: 1 }).lean();
  return new Map(rows.map((m) => [String(m._id), m.groupId]));
}

/** Stores the records not stored yet; returns how many this call added. */
async function store(deliveries: NewDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  const existing = await EmailDeliveryModel.find(
    { key: { $in: deliveries.map((d) => d.key) } },
    { key: 1 },
  ).lean();
  const known = new Set(existing.map((d) => d.key));
  let added = 0;
  for (const delivery of deliveries) {
    if (known.has(delivery.key)) continue;
    try {
      await EmailDeliveryModel.create(delivery);
      added++;
    } catch (error) {
      // Another process stored it meanwhile.
      if (!isDuplicateKey(error)) throw error;
    }
  }
  return added;
}

async function groupsOf(
  discussionIds: Types.ObjectId[],
): Promise<Map<string, Types.ObjectId | null>> {
  const discussions = await DiscussionModel.find(
    { _id: { $in: discussionIds } },
    { groupId: 1 },
  ).lean();
  return new Map(discussions.map((d) => [String(d._id), d.groupId]));
}

/** Notifications created since the mark become work records `n:<notificationId>`. */
export async function collectNotifications(now: Date = new Date()): Promise<number> {
  const { from, floor } = await scanStart(NOTIFICATIONS_MARK, now);
  const rows = await NotificationModel.find({
    _id: { $gte: idFrom(from) },
    createdAt: { $gte: floor, $lte: now },
  })
    .sort({ _id: 1 })
    .lean();
  if (rows.length === 0) return 0;
  const groups = await groupsOf(rows.flatMap((n) => (n.discussionId ? [n.discussionId] : [])));
  const meetings = await meetingGroups(rows.flatMap((n) => (n.meetingId ? [n.meetingId] : [])));
  const added = await store(
    rows.map((n) => ({
      key: `n:${String(n._id)}`,
      userId: n.userId,
      kind: n.kind,
      actorId: n.actorId,
      groupId: n.meetingId
        ? (meetings.get(String(n.meetingId)) ?? null)
        : n.discussionId
          ? (groups.get(String(n.discussionId)) ?? null)
          : null,
      discussionId: n.discussionId,
      commentId: n.commentId,
      pollId: n.pollId,
      meetingId: n.meetingId ?? null,
      occurredAt: n.createdAt,
    })),
  );
  await advance(NOTIFICATIONS_MARK, new Date(Math.max(...rows.map((n) => n.createdAt.getTime()))));
  return added;
}

const GROUP_EVENT_KINDS = {
  discussion_started: 'new_discussion',
  poll_created: 'new_poll',
} as const satisfies Partial<Record<EventKind, NotificationKind>>;

/** Who hears about a new discussion or poll: the group's active members, a poll also the guests. */
async function audience(
  discussionId: Types.ObjectId,
  groupId: Types.ObjectId | null,
  withGuests: boolean,
): Promise<Types.ObjectId[]> {
  const [members, guests] = await Promise.all([
    groupId
      ? MembershipModel.find({ groupId, suspendedAt: null }, { userId: 1 }).lean()
      : Promise.resolve([]),
    withGuests ? GuestModel.find({ discussionId }, { userId: 1 }).lean() : Promise.resolve([]),
  ]);
  const ids = new Map([...members, ...guests].map((r) => [String(r.userId), r.userId]));
  return [...ids.values()];
}

/** New discussions and polls since the mark become work records `e:<eventId>:<userId>`. */
export async function collectGroupEvents(now: Date = new Date()): Promise<number> {
  const { from, floor } = await scanStart(EVENTS_MARK, now);
  const events = await EventModel.find({
    _id: { $gte: idFrom(from) },
    kind: { $in: ['discussion_started', 'poll_created'] as const },
    createdAt: { $gte: floor, $lte: now },
  })
    .sort({ _id: 1 })
    .lean();
  if (events.length === 0) return 0;
  const groups = await groupsOf(events.map((e) => e.discussionId));
  let added = 0;
  for (const event of events) {
    // A meeting's quick vote is for the people in the meeting, which its start announced; its
    // outcome reaches everyone with the minutes. No email for each of them.
    if (event.kind === 'poll_created' && event.meetingId) continue;
    const kind = GROUP_EVENT_KINDS[event.kind as keyof typeof GROUP_EVENT_KINDS];
    const groupId = groups.get(String(event.discussionId)) ?? null;
    const people = await audience(event.discussionId, groupId, kind === 'new_poll');
    added += await store(
      people
        .filter((userId) => !event.actorId?.equals(userId))
        .map((userId) => ({
          key: `e:${String(event._id)}:${String(userId)}`,
          userId,
          kind,
          actorId: event.actorId,
          groupId,
          discussionId: event.discussionId,
          commentId: null,
          pollId: event.pollId,
          occurredAt: event.createdAt,
        })),
    );
  }
  await advance(EVENTS_MARK, new Date(Math.max(...events.map((e) => e.createdAt.getTime()))));
  return added;
}
