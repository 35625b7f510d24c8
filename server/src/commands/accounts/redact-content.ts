/**
 * The Data Protection Officer removing a person's content (P9): the text of
 * every comment (and its edit history), discussion context, poll details,
 * outcome statement and vote reason they wrote is replaced by a fixed notice,
 * and their profile photo is deleted (initials show instead).
 * Titles and the records themselves stay, so discussions keep their shape and
 * tallies stay true. One audit entry per group touched records the fact, the
 * DPO and the reason, so each group's coordinators learn that it happened and
 * how much, never what it was.
 */
import type { Types } from 'mongoose';
import { CommentModel } from '../../models/comment.js';
import { DiscussionModel } from '../../models/discussion.js';
import { PollModel } from '../../models/poll.js';
import { VoteModel } from '../../models/vote.js';
import { recordAudit } from '../audit/record.js';
import { removeAvatars } from './avatar.js';

export const REDACTED_TEXT = '[removed by the Data Protection Officer]';

export interface RedactContentProps {
  dpoId: Types.ObjectId;
  subjectUserId: Types.ObjectId;
  reason: string;
  ip: string | undefined;
}

/** How many records were redacted, per kind. */
export interface RedactionCounts {
  comments: number;
  discussions: number;
  polls: number;
  votes: number;
  /** Profile photos deleted (0 or 1). */
  avatars: number;
}

type PerGroup = Map<string, { groupId: Types.ObjectId | null; count: number }>;

function add(groups: PerGroup, groupId: Types.ObjectId | null | undefined, count = 1) {
  const key = groupId ? String(groupId) : '';
  const entry = groups.get(key) ?? { groupId: groupId ?? null, count: 0 };
  entry.count += count;
  groups.set(key, entry);
}

export async function redactContent(props: RedactContentProps): Promise<RedactionCounts> {
  const author = props.subjectUserId;
  const groups: PerGroup = new Map();
  const groupOf = new Map<string, Types.ObjectId | null>();
  const groupOfDiscussion = async (id: Types.ObjectId) => {
    if (!groupOf.has(String(id))) {
      const d = await DiscussionModel.findById(id, { groupId: 1 }).lean();
      groupOf.set(String(id), d?.groupId ?? null);
    }
    return groupOf.get(String(id)) ?? null;
  };

  const comments = await CommentModel.find(
    { authorId: author, deletedAt: null, body: { $ne: REDACTED_TEXT } },
    { discussionId: 1 },
  ).lean();
  for (const c of comments) add(groups, await groupOfDiscussion(c.discussionId));
  if (comments.length > 0)
    await CommentModel.updateMany(
      { _id: { $in: comments.map((c) => c._id) } },
      { $set: { body: REDACTED_TEXT, history: [], mentionedUserIds: [], editedAt: null } },
    );

  const discussions = await DiscussionModel.find(
    { authorId: author, context: { $nin: ['', REDACTED_TEXT] } },
    { groupId: 1 },
  ).lean();
  for (const d of discussions) add(groups, d.groupId);
  if (discussions.length > 0)
    await DiscussionModel.updateMany(
      { _id: { $in: discussions.map((d) => d._id) } },
      { $set: { context: REDACTED_TEXT } },
    );

  const polls = await PollModel.find(
    {
      $or: [
        { authorId: author, details: { $nin: ['', REDACTED_TEXT] } },
        { 'outcome.authorId': author, 'outcome.statement': { $ne: REDACTED_TEXT } },
      ],
    },
    { groupId: 1, authorId: 1, details: 1, outcome: 1 },
  ).lean();
  for (const p of polls) {
    add(groups, p.groupId);
    const set: Record<string, string> = {};
    if (String(p.authorId) === String(author) && p.details && p.details !== REDACTED_TEXT)
      set.details = REDACTED_TEXT;
    if (p.outcome && String(p.outcome.authorId) === String(author))
      set['outcome.statement'] = REDACTED_TEXT;
    if (Object.keys(set).length > 0) await PollModel.updateOne({ _id: p._id }, { $set: set });
  }

  const votes = await VoteModel.find(
    { userId: author, reason: { $nin: ['', REDACTED_TEXT] } },
    { discussionId: 1 },
  ).lean();
  for (const v of votes) add(groups, await groupOfDiscussion(v.discussionId));
  if (votes.length > 0)
    await VoteModel.updateMany(
      { _id: { $in: votes.map((v) => v._id) } },
      { $set: { reason: REDACTED_TEXT } },
    );

  // The photo belongs to no group: counted in the entry without one.
  const avatars = await removeAvatars(author);
  if (avatars > 0) add(groups, null, avatars);

  // Nothing found is still a decision worth recording (once, without a group).
  if (groups.size === 0) add(groups, null, 0);
  const at = new Date();
  for (const { groupId, count } of groups.values()) {
    await recordAudit({
      actorId: props.dpoId,
      subjectUserId: author,
      action: 'content_redacted',
      reason: props.reason,
      groupId,
      target: { kind: 'content', count },
      ip: props.ip,
      at,
    });
  }
  return {
    comments: comments.length,
    discussions: discussions.length,
    polls: polls.length,
    votes: votes.length,
    avatars,
  };
}
