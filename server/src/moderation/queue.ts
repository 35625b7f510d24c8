/**
 * A group's review queue: open reports and held posts, grouped by what they
 * are about, each with the content in context (hidden and held content
 * included, marked), the reports and their reasons, and the author's history
 * of moderation in this group. For the group's moderators only; the site
 * queue reuses the same items without the history, and names the discussion
 * of a reported comment or poll only when it is public: administrators see
 * what was reported, not the rest of a private group (P12).
 */
import type { Types } from 'mongoose';
import { loadPeople, type People } from '../commands/discussions/people.js';
import { AuditEntryModel } from '../models/audit-entry.js';
import { CommentModel } from '../models/comment.js';
import { DiscussionModel } from '../models/discussion.js';
import { GroupModel } from '../models/group.js';
import { PollModel } from '../models/poll.js';
import { ReportModel, type Report } from '../models/report.js';
import type {
  AuthorHistoryDto,
  QueueItemDto,
  QueueTargetDto,
  ReportReason,
  SiteQueueItemDto,
} from '../../../shared/moderation.js';

/** At most this many items are listed; the count says how many are open. */
const QUEUE_LIMIT = 200;

/** How many distinct things wait in a group's queue. */
export async function openCount(groupId: Types.ObjectId | string): Promise<number> {
  const open = await ReportModel.find({ groupId, handledAt: null }, { targetId: 1 }).lean();
  return new Set(open.map((r) => String(r.targetId))).size;
}

async function loadTargets(reports: Report[], people: People) {
  const ids = (kind: string) => reports.filter((r) => r.targetKind === kind).map((r) => r.targetId);
  const [comments, polls] = await Promise.all([
    CommentModel.find({ _id: { $in: ids('comment') } }).lean(),
    PollModel.find({ _id: { $in: ids('poll') } }, { title: 1, discussionId: 1 }).lean(),
  ]);
  const discussions = await DiscussionModel.find(
    { _id: { $in: reports.flatMap((r) => (r.discussionId ? [r.discussionId] : [])) } },
    { title: 1, context: 1, closedAt: 1 },
  ).lean();
  const byId = <T extends { _id: unknown }>(rows: T[]) =>
    new Map(rows.map((r) => [String(r._id), r]));
  const [c, p, d] = [byId(comments), byId(polls), byId(discussions)];
  return (report: Report): QueueTargetDto => {
    const discussion = report.discussionId ? d.get(String(report.discussionId)) : undefined;
    const comment = c.get(String(report.targetId));
    const text =
      report.targetKind === 'comment'
        ? (comment?.body ?? '')
        : report.targetKind === 'poll'
          ? (p.get(String(report.targetId))?.title ?? '')
          : report.targetKind === 'discussion'
            ? `${discussion?.title ?? ''}\n\n${discussion?.context ?? ''}`.trim()
            : '';
    return {
      kind: report.targetKind,
      id: String(report.targetId),
      discussion: discussion ? { id: String(discussion._id), title: discussion.title } : null,
      text: comment?.deletedAt ? '' : text,
      author: report.targetUserId ? people(report.targetUserId) : null,
      hidden: (comment?.hiddenAt ?? null) !== null,
      held: (comment?.heldAt ?? null) !== null,
      deleted: (comment?.deletedAt ?? null) !== null,
    };
  };
}

/** Past moderation of each author in the group, newest first. */
async function histories(groupId: Types.ObjectId | null, authorIds: Types.ObjectId[]) {
  if (!groupId || authorIds.length === 0) return () => [] as AuthorHistoryDto[];
  const entries = await AuditEntryModel.find({
    groupId,
    subjectUserId: { $in: authorIds },
    action: /^moderation_/,
  })
    .sort({ _id: -1 })
    .limit(500)
    .lean();
  return (authorId: Types.ObjectId | null): AuthorHistoryDto[] =>
    entries
      .filter((e) => authorId !== null && e.subjectUserId?.equals(authorId))
      .slice(0, 20)
      .map((e) => ({
        action: e.action.replace(/^moderation_/, ''),
        reason: e.reason,
        at: e.at.toISOString(),
      }));
}

/** Groups open reports by target, oldest first, presented for moderators. */
export async function queueItems(
  reports: Report[],
  groupId: Types.ObjectId | null,
  withHistory = true,
): Promise<QueueItemDto[]> {
  const byTarget = new Map<string, Report[]>();
  for (const report of reports) {
    const key = `${report.targetKind}:${String(report.targetId)}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), report]);
  }
  const people = await loadPeople(reports.flatMap((r) => [r.reporterId, r.targetUserId]));
  const targetOf = await loadTargets(reports, people);
  const authors = [...new Set(reports.flatMap((r) => (r.targetUserId ? [r.targetUserId] : [])))];
  const historyOf = withHistory ? await histories(groupId, authors) : () => [];
  return [...byTarget].map(([key, group]) => {
    const reasons: Partial<Record<ReportReason, number>> = {};
    const filed = group.filter((r) => r.source === 'person');
    for (const r of filed) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    return {
      key,
      groupId: String(group[0].groupId ?? ''),
      target: targetOf(group[0]),
      reports: filed.map((r) => ({
        id: String(r._id),
        reason: r.reason,
        note: r.note,
        reporter: people(r.reporterId),
        createdAt: r.createdAt.toISOString(),
      })),
      reasons,
      held: group.some((r) => r.source === 'hold'),
      escalated: group.some((r) => r.escalated),
      authorHistory: historyOf(group[0].targetUserId),
      firstAt: group[0].createdAt.toISOString(),
    };
  });
}

/** The open queue of one group. */
export async function groupQueue(groupId: Types.ObjectId): Promise<QueueItemDto[]> {
  const reports = await ReportModel.find({ groupId, handledAt: null })
    .sort({ createdAt: 1 })
    .limit(QUEUE_LIMIT)
    .lean();
  return queueItems(reports, groupId);
}

/** The ids of those discussions anyone may read (public, in an open group). */
async function publicDiscussions(ids: string[]): Promise<Set<string>> {
  const discussions = await DiscussionModel.find(
    { _id: { $in: ids }, private: false },
    { groupId: 1 },
  ).lean();
  const open = await GroupModel.find(
    { _id: { $in: discussions.map((d) => d.groupId) }, privacy: 'open' },
    { _id: 1 },
  ).lean();
  const openIds = new Set(open.map((g) => String(g._id)));
  return new Set(
    discussions.filter((d) => openIds.has(String(d.groupId))).map((d) => String(d._id)),
  );
}

/** The site queue's items: no author histories, and no word of a private discussion beyond what was reported. */
export async function siteQueueItems(reports: Report[]): Promise<SiteQueueItemDto[]> {
  const items = await queueItems(reports, null, false);
  const named = items.flatMap((i) => (i.target.discussion ? [i.target.discussion.id] : []));
  const readable = await publicDiscussions([...new Set(named)]);
  return items.map(({ authorHistory: _history, ...item }) => {
    const { discussion } = item.target;
    const shown = discussion && (item.target.kind === 'discussion' || readable.has(discussion.id));
    return { ...item, target: { ...item.target, discussion: shown ? discussion : null } };
  });
}
