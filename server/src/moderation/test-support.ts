/**
 * Test support for moderation: a public group with a coordinator, a member
 * (the author of what gets reported), a reporter, and a discussion, plus
 * small helpers to post, report and act through the REST API.
 */
import { expect } from 'chai';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import type { TestApp } from '../test/harness.js';
import type { Group } from '../models/group.js';

export async function moderationWorld(overrides: Partial<Group> = {}) {
  const group = await buildGroup({ privacy: 'open', ...overrides });
  const author = await addMember(group);
  const reporter = await addMember(group);
  const discussion = await buildDiscussion({ group, private: false });
  return {
    group,
    groupId: String(group._id),
    coordinator: group.coordinator,
    author,
    reporter,
    discussion,
    discussionId: String(discussion._id),
  };
}

/** Posts a comment and answers its id (fails the test if refused). */
export async function postAs(app: TestApp, user: UserDocument, discussionId: string, body: string) {
  const res = await app.post<{ comment: { id: string } }>(
    `/api/discussions/${discussionId}/comments`,
    { body },
    { as: user },
  );
  expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
  return res.body.comment.id;
}

/** Takes a moderation action and expects it to succeed. */
export async function act(
  app: TestApp,
  moderator: UserDocument,
  groupId: string,
  body: Record<string, unknown>,
) {
  const res = await app.post(`/api/groups/${groupId}/moderation/actions`, body, { as: moderator });
  expect(res.status, JSON.stringify(res.body)).to.equal(204);
}
