/**
 * Scheduling and editing a meeting: its facilitators must be active members of
 * the group and its linked discussions the group's own (400 naming the first
 * that is not).
 */
import { Types } from 'mongoose';
import { ValidationError } from '../errors.js';
import { DiscussionModel } from '../models/discussion.js';
import type { GroupDocument } from '../models/group.js';
import { MeetingModel, type MeetingDocument } from '../models/meeting.js';
import { meetingWritten } from './load.js';
import { MembershipModel } from '../models/membership.js';
import type { CreateMeetingInput, UpdateMeetingInput } from '../routes/meetings/schema.js';

async function checkFacilitators(group: GroupDocument, ids: string[]): Promise<Types.ObjectId[]> {
  const unique = [...new Set(ids)];
  const members = await MembershipModel.find(
    { groupId: group._id, userId: { $in: unique }, suspendedAt: null },
    { userId: 1 },
  ).lean();
  const known = new Set(members.map((m) => String(m.userId)));
  const index = ids.findIndex((id) => !known.has(id));
  if (index !== -1)
    throw ValidationError(`facilitatorIds.${index}`, 'is not a member of this group');
  return unique.map((id) => new Types.ObjectId(id));
}

async function checkDiscussions(group: GroupDocument, ids: string[]): Promise<Types.ObjectId[]> {
  const unique = [...new Set(ids)];
  const found = await DiscussionModel.find(
    { _id: { $in: unique }, groupId: group._id },
    { _id: 1 },
  ).lean();
  const known = new Set(found.map((d) => String(d._id)));
  const index = ids.findIndex((id) => !known.has(id));
  if (index !== -1)
    throw ValidationError(`discussionIds.${index}`, 'is not a discussion of this group');
  return unique.map((id) => new Types.ObjectId(id));
}

export async function scheduleMeeting(
  group: GroupDocument,
  creatorId: Types.ObjectId,
  input: CreateMeetingInput,
): Promise<MeetingDocument> {
  const others = await checkFacilitators(group, input.facilitatorIds);
  const discussionIds = await checkDiscussions(group, input.discussionIds);
  return MeetingModel.create({
    groupId: group._id,
    discussionIds,
    title: input.title,
    scheduledAt: input.scheduledAt,
    expectedMinutes: input.expectedMinutes,
    createdById: creatorId,
    facilitatorIds: [creatorId, ...others.filter((id) => !id.equals(creatorId))],
    progressiveStack: input.progressiveStack,
    speakingCapSeconds: input.speakingCapSeconds,
  });
}

export async function updateMeeting(
  meeting: MeetingDocument,
  group: GroupDocument,
  input: UpdateMeetingInput,
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (input.title !== undefined) set.title = input.title;
  if (input.scheduledAt !== undefined) set.scheduledAt = input.scheduledAt;
  if (input.expectedMinutes !== undefined) set.expectedMinutes = input.expectedMinutes;
  if (input.facilitatorIds !== undefined) {
    const named = await checkFacilitators(group, input.facilitatorIds);
    // The creator stays a facilitator.
    set.facilitatorIds = [
      meeting.createdById,
      ...named.filter((id) => !id.equals(meeting.createdById)),
    ];
  }
  if (input.discussionIds !== undefined)
    set.discussionIds = await checkDiscussions(group, input.discussionIds);
  if (Object.keys(set).length === 0) return;
  await MeetingModel.updateOne({ _id: meeting._id }, { $set: set, $inc: { revision: 1 } });
  meetingWritten(meeting._id);
}
