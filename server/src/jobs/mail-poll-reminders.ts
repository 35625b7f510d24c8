/**
 * "Closing soon" reminders: about 24 hours before an open poll closes, each
 * person who may vote in it and has not voted gets a `poll_closing`
 * notification (which the mail jobs then email, if their preferences say so).
 * Once per poll: a `poll_closing:<pollId>` mark is written in the same
 * transaction as the notifications, so of several processes or ticks exactly
 * one reminds. Polls open for less than {@link MIN_LIFETIME_MS} get no reminder:
 * it would arrive right after the news of the poll itself.
 */
import mongoose, { type Types } from 'mongoose';
import { loadViewer } from '../auth/viewer.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Logger } from '../logger.js';
import { DiscussionModel } from '../models/discussion.js';
import { GroupModel } from '../models/group.js';
import { GuestModel } from '../models/guest.js';
import { JobMarkModel } from '../models/job-mark.js';
import { MembershipModel } from '../models/membership.js';
import { NotificationModel } from '../models/notification.js';
import { PollModel, type Poll } from '../models/poll.js';
import { UserModel } from '../models/user.js';
import { VoteModel } from '../models/vote.js';
import { isEligibleVoter } from '../policies/poll.js';

export const REMIND_BEFORE_MS = 24 * 3600_000;
export const MIN_LIFETIME_MS = 36 * 3600_000;

/** Active people who may vote in the poll and have not. */
async function nonVoters(poll: Poll): Promise<Types.ObjectId[]> {
  const discussion = await DiscussionModel.findById(poll.discussionId).lean();
  if (!discussion) return [];
  const group = discussion.groupId ? await GroupModel.findById(discussion.groupId).lean() : null;
  const [members, guests, votes] = await Promise.all([
    group
      ? MembershipModel.find({ groupId: group._id, suspendedAt: null }, { userId: 1 }).lean()
      : [],
    GuestModel.find({ discussionId: discussion._id }, { userId: 1 }).lean(),
    VoteModel.find({ pollId: poll._id }, { userId: 1 }).lean(),
  ]);
  const voted = new Set(votes.map((v) => String(v.userId)));
  const candidates = new Set(
    [...members, ...guests].map((r) => String(r.userId)).filter((id) => !voted.has(id)),
  );
  if (!group && !voted.has(String(discussion.authorId)))
    candidates.add(String(discussion.authorId));
  const users = await UserModel.find({
    _id: { $in: [...candidates] },
    deactivatedAt: null,
    deletedAt: null,
  });
  const eligible = await Promise.all(
    users.map(async (u) => isEligibleVoter(await loadViewer(u), poll, discussion, group)),
  );
  return users.filter((_, i) => eligible[i]).map((u) => u._id);
}

/** Reminds the non-voters of every poll entering its last day; returns how many polls. */
export async function remindClosingPolls(now: Date = new Date(), logger?: Logger): Promise<number> {
  const polls = await PollModel.find({
    closedAt: null,
    closesAt: { $gt: now, $lte: new Date(now.getTime() + REMIND_BEFORE_MS) },
  }).lean();
  let reminded = 0;
  for (const poll of polls) {
    if (poll.closesAt!.getTime() - poll.createdAt.getTime() < MIN_LIFETIME_MS) continue;
    const mark = `poll_closing:${String(poll._id)}`;
    if (await JobMarkModel.exists({ _id: mark })) continue;
    try {
      const people = await nonVoters(poll);
      await mongoose.connection.transaction(async (session) => {
        await JobMarkModel.create([{ _id: mark, at: now }], { session });
        if (people.length === 0) return;
        await NotificationModel.insertMany(
          people.map((userId) => ({
            userId,
            kind: 'poll_closing' as const,
            actorId: null,
            discussionId: poll.discussionId,
            pollId: poll._id,
          })),
          { session },
        );
      });
      reminded++;
    } catch (error) {
      if (!isDuplicateKey(error)) logger?.error(`mail: poll reminder ${mark} failed`, error);
    }
  }
  return reminded;
}
