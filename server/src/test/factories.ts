/**
 * Test factories: each builds a valid record with sensible defaults, creating
 * the parents it needs on demand (`buildDiscussion()` makes a group, which makes
 * a coordinator). Overrides set any field.
 */
import { Types } from 'mongoose';
import type { GroupRole } from '../../../shared/domain.js';
import { hashPassword } from '../auth/passwords.js';
import { UserModel, type User, type UserDocument } from '../models/user.js';
import { GroupModel, type Group, type GroupDocument } from '../models/group.js';
import { MembershipModel, type MembershipDocument } from '../models/membership.js';
import { DiscussionModel, type Discussion, type DiscussionDocument } from '../models/discussion.js';
import { GuestModel } from '../models/guest.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;
let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function buildUser(overrides: Partial<User> = {}): Promise<UserDocument> {
  const n = next();
  return UserModel.create({
    name: `Person ${n}`,
    handle: `person${n}`,
    email: `person${n}@example.org`,
    emailVerifiedAt: new Date(),
    passwordHash: await (passwordHash ??= hashPassword(TEST_PASSWORD)),
    ...overrides,
  });
}

/** A group with a coordinator (created unless given). */
export async function buildGroup(
  overrides: Partial<Group> & { coordinator?: UserDocument } = {},
): Promise<GroupDocument & { coordinator: UserDocument }> {
  const { coordinator: given, ...fields } = overrides;
  const coordinator = given ?? (await buildUser());
  const n = next();
  const group = await GroupModel.create({
    // Secret groups have no handle (models/group.ts).
    handle: fields.privacy === 'secret' ? null : `group${n}`,
    name: `Group ${n}`,
    privacy: 'closed',
    createdById: coordinator._id,
    ...fields,
  });
  await MembershipModel.create({
    groupId: group._id,
    userId: coordinator._id,
    role: 'coordinator',
  });
  return Object.assign(group, { coordinator });
}

export async function addMember(
  group: GroupDocument,
  user?: UserDocument,
  role: GroupRole = 'member',
): Promise<UserDocument> {
  const member = user ?? (await buildUser());
  await MembershipModel.create({ groupId: group._id, userId: member._id, role });
  return member;
}

export async function buildMembership(
  group: GroupDocument,
  role: GroupRole = 'member',
): Promise<MembershipDocument> {
  const user = await buildUser();
  return MembershipModel.create({ groupId: group._id, userId: user._id, role });
}

/** A discussion in a group (created unless given), started by its coordinator unless an author is given. */
export async function buildDiscussion(
  overrides: Partial<Discussion> & {
    group?: GroupDocument & { coordinator?: UserDocument };
    author?: UserDocument;
  } = {},
): Promise<DiscussionDocument & { group: GroupDocument & { coordinator?: UserDocument } }> {
  const { group: given, author, ...fields } = overrides;
  const group = given ?? (await buildGroup());
  const authorId = author?._id ?? group.coordinator?._id ?? new Types.ObjectId();
  const discussion = await DiscussionModel.create({
    groupId: group._id,
    authorId,
    title: `Discussion ${next()}`,
    context: 'What should we do?',
    private: group.privacy !== 'open',
    ...fields,
  });
  return Object.assign(discussion, { group });
}

export async function addGuest(
  discussion: DiscussionDocument,
  user?: UserDocument,
): Promise<UserDocument> {
  const guest = user ?? (await buildUser());
  await GuestModel.create({
    discussionId: discussion._id,
    userId: guest._id,
    invitedById: discussion.authorId,
  });
  return guest;
}
