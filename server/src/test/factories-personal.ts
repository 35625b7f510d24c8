/**
 * A small world around one person for the personal-data tests (P2, P8, P9):
 * `me` has a photo, has written, voted, reacted, been notified, read, invited and asked to
 * join; `other` shares a group with them and has private data of their own
 * (an email, a vote in the same anonymous poll) that must never reach `me`'s
 * export. Every string belonging to `me` carries a unique tag, so tests can
 * scan for it.
 */
import mongoose from 'mongoose';
import { ReadStateModel } from '../models/read-state.js';
import type { CommentDocument } from '../models/comment.js';
import type { DiscussionDocument } from '../models/discussion.js';
import type { GroupDocument } from '../models/group.js';
import type { PollDocument } from '../models/poll.js';
import { UserModel, type UserDocument } from '../models/user.js';
import { photoWithMetadata } from './factories-images.js';
import { buildComment, buildNotification, buildReaction } from './factories-discussions.js';
import { buildInvitation, buildJoinRequest } from './factories-groups.js';
import { buildPoll, buildVote } from './factories-polls.js';
import { addMember, buildDiscussion, buildGroup, buildUser } from './factories.js';
import type { TestApp } from './harness.js';

export interface PersonalWorld {
  tag: string;
  me: UserDocument;
  other: UserDocument;
  group: GroupDocument & { coordinator: UserDocument };
  discussion: DiscussionDocument;
  myComment: CommentDocument;
  otherComment: CommentDocument;
  anonymousPoll: PollDocument;
  namedPoll: PollDocument;
  /** Strings only `other` wrote or owns. */
  otherSecrets: string[];
}

let worlds = 0;

export async function buildPersonalWorld(app: TestApp): Promise<PersonalWorld> {
  const tag = `zq${Date.now().toString(36)}${worlds++}`;
  const me = await buildUser({
    name: `Name ${tag}`,
    handle: `h_${tag}`,
    email: `mail.${tag}@example.org`,
    lastSignInIp: '203.0.113.0',
  });
  // A photo, uploaded as the web client does.
  const photo = await app.request('PUT', '/api/me/avatar', {
    as: me,
    raw: await photoWithMetadata(),
  });
  if (photo.status !== 200) throw new Error(`photo upload failed: ${JSON.stringify(photo.body)}`);
  me.avatarId = (await UserModel.findById(me._id).orFail()).avatarId;
  const other = await buildUser({ email: `other.${tag}@example.net` });
  const group = await buildGroup();
  await addMember(group, me);
  await addMember(group, other);
  const discussion = await buildDiscussion({
    group,
    author: me,
    title: `Title ${tag}`,
    context: `Context ${tag}`,
  });
  const myComment = await buildComment({ discussion, author: me, body: `First draft ${tag}` });
  const edited = await app.patch(
    `/api/comments/${String(myComment._id)}`,
    { body: `Final words ${tag}` },
    { as: me },
  );
  if (edited.status !== 200) throw new Error(`edit failed: ${JSON.stringify(edited.body)}`);
  const otherComment = await buildComment({ discussion, author: other, body: 'Other speaks' });
  await buildReaction(otherComment, me, '🎉');
  const anonymousPoll = await buildPoll({
    discussion,
    author: me,
    anonymous: true,
    details: `Details ${tag}`,
  });
  await buildVote(anonymousPoll, me, [{ optionId: 'agree', value: 1 }], `My reason ${tag}`);
  await buildVote(
    anonymousPoll,
    other,
    [{ optionId: 'disagree', value: 1 }],
    `Other reason ${tag}`,
  );
  const namedPoll = await buildPoll({ discussion, author: group.coordinator });
  await buildVote(namedPoll, me, [{ optionId: 'abstain', value: 1 }], '');
  await buildNotification(me, {
    kind: 'reply',
    actorId: other._id,
    discussionId: discussion._id,
    commentId: otherComment._id,
  });
  await ReadStateModel.create({
    discussionId: discussion._id,
    userId: me._id,
    lastReadSequence: 3,
  });
  await buildInvitation({ group, inviter: me, email: `invitee.${tag}@example.com` });
  await buildJoinRequest({ user: me, introduction: `Intro ${tag}` });
  await mongoose.connection.collection('emailpreferences').insertOne({
    userId: me._id,
    kinds: { mention: true, reply: false },
    defaultGroupLevel: 'important',
    groups: [{ groupId: group._id, level: 'all' }],
    digest: true,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  return {
    tag,
    me,
    other,
    group,
    discussion,
    myComment,
    otherComment,
    anonymousPoll,
    namedPoll,
    otherSecrets: [
      other.email,
      `Other reason ${tag}`,
      `invitee.${tag}@example.com`,
      group.coordinator.email,
    ],
  };
}
