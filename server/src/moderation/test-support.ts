/**
 * Test support for moderation: a public group with a coordinator, a member
 * (the author of what gets reported), a reporter, and a discussion, plus
 * small helpers to post, report and act through the REST API, and the
 * sockets of everyone an action may reach.
 */
import { expect } from 'chai';
import type { AckResponse } from '../../../shared/events.js';
import type { ModerationQueueCount, ReportReason } from '../../../shared/moderation.js';
import type { UserDocument } from '../models/user.js';
import { addMember, buildDiscussion, buildGroup } from '../test/factories.js';
import type { TestApp } from '../test/harness.js';
import type { Group } from '../models/group.js';
import { record, watch, type Client, type TestClients } from '../realtime/test-clients.js';

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

export type ModerationWorld = Awaited<ReturnType<typeof moderationWorld>>;

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

/** Files a report and expects it to be received. */
export async function reportAs(
  app: TestApp,
  reporter: UserDocument,
  target: { kind: string; id: string },
  props: { reason?: ReportReason; note?: string; groupId?: string } = {},
) {
  const res = await app.post<{ report: { id: string; status: string } }>(
    '/api/moderation/reports',
    {
      target,
      reason: props.reason ?? 'harassment',
      note: props.note ?? '',
      groupId: props.groupId,
    },
    { as: reporter },
  );
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.report;
}

/** Starts watching a group's review queue; answers the acknowledgement. */
export function watchQueue(
  socket: Client,
  groupId: string,
): Promise<AckResponse<ModerationQueueCount>> {
  return new Promise((resolve) => socket.emit('moderation:watch', { groupId }, resolve));
}

/** What a socket received, without the presence and typing chatter every watcher gets. */
export const meaningful = (seen: Array<[string, unknown]>) =>
  seen.filter(([event]) => !event.startsWith('presence:') && !event.startsWith('typing:'));

/**
 * Everyone an action in the world's discussion may reach, each watching it:
 * a member (the reporter), the coordinator, the author and a signed-out
 * visitor; `seen` records what each receives from now on.
 */
export async function onlookers(clients: TestClients, w: ModerationWorld) {
  const sockets = {
    member: await clients.watching(w.reporter, w.discussionId),
    coordinator: await clients.watching(w.coordinator, w.discussionId),
    author: await clients.watching(w.author, w.discussionId),
    visitor: await clients.connect(null),
  };
  expect(await watch(sockets.visitor, w.discussionId)).to.have.property('data');
  const seen = {
    member: record(sockets.member),
    coordinator: record(sockets.coordinator),
    author: record(sockets.author),
    visitor: record(sockets.visitor),
  };
  return { sockets, seen };
}
