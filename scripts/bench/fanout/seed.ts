/**
 * The meeting the fan-out benchmark measures: one open group, one public
 * discussion and one open proposal, N watchers (about 10% coordinators, 80%
 * members, 10% signed-out visitors), a writer who posts the comments and does
 * not watch (so nobody's own user room doubles a delivery), and one voter per
 * planned vote. Written in bulk through the app's models, so seeding 5,000
 * people takes seconds rather than minutes.
 */
import { Types } from 'mongoose';
import { hashPassword } from '../../../server/src/auth/passwords.js';
import { signSession } from '../../../server/src/auth/session-token.js';
import { CommentModel } from '../../../server/src/models/comment.js';
import { DiscussionModel } from '../../../server/src/models/discussion.js';
import { EventModel } from '../../../server/src/models/event.js';
import { GroupModel } from '../../../server/src/models/group.js';
import { MembershipModel } from '../../../server/src/models/membership.js';
import { UserModel } from '../../../server/src/models/user.js';

export type WatcherView = 'coordinator' | 'member' | 'visitor';

export interface SeedRequest {
  watchers: number;
  voters: number;
  /** Earlier comments, with their timeline entries, in another discussion of the group. */
  history: number;
}

export interface Meeting {
  discussionId: string;
  /** The discussion's last sequence once seeded: watchers send it, as the web client sends what its page loaded. */
  lastSequence: number;
  pollId: string;
  /** The option every voter picks (proposal: "agree"). */
  optionId: string;
  /** Comment authors, taken in turn: each stays inside the per-person posting rate (moderation). */
  writerTokens: string[];
  voterTokens: string[];
  /** One per watcher, in order; token null for a signed-out visitor. */
  watchers: Array<{ view: WatcherView; token: string | null }>;
}

/** Comment authors: 20 comments/s over 40 people is 5 per person per 10 s (the limit is 15). */
const WRITERS = 40;

/** How N watchers split into views: every tenth a coordinator, every tenth a visitor, the rest members, interleaved so any slice has the same mix. */
export function viewMix(n: number): WatcherView[] {
  return Array.from({ length: n }, (_, i) =>
    i % 10 === 0 ? 'coordinator' : i % 10 === 9 ? 'visitor' : 'member',
  );
}

async function createPeople(count: number, tag: string, hash: string): Promise<Types.ObjectId[]> {
  const ids = Array.from({ length: count }, () => new Types.ObjectId());
  const stamp = Date.now().toString(36);
  for (let start = 0; start < count; start += 1000) {
    await UserModel.insertMany(
      ids.slice(start, start + 1000).map((_id, i) => ({
        _id,
        name: `${tag} ${start + i + 1}`,
        handle: `${tag.toLowerCase()}${stamp}${start + i}`,
        email: `${tag.toLowerCase()}${stamp}${start + i}@example.org`,
        emailVerifiedAt: new Date(),
        passwordHash: hash,
      })),
    );
  }
  return ids;
}

/**
 * The group's past: `count` comments by the writers, each with its timeline
 * entry, in a discussion of their own (so the database holds 2 x count
 * documents more, and the meeting's discussion and its views are as before).
 */
async function seedHistory(
  groupId: Types.ObjectId,
  writers: Types.ObjectId[],
  count: number,
): Promise<void> {
  if (count === 0) return;
  const past = await DiscussionModel.create({
    groupId,
    authorId: writers[0],
    title: 'Last year’s budget',
    context: 'Where we came from.',
    private: false,
    lastSequence: count,
  });
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      _id: new Types.ObjectId(),
      sequence: start + i + 1,
      authorId: writers[(start + i) % writers.length],
    }));
    await CommentModel.insertMany(
      batch.map(({ _id, sequence, authorId }) => ({
        _id,
        discussionId: past._id,
        authorId,
        body: `An earlier comment, number ${sequence}, about last year’s budget.`,
        sequence,
      })),
    );
    await EventModel.insertMany(
      batch.map(({ _id, sequence, authorId }) => ({
        discussionId: past._id,
        sequence,
        kind: 'comment_posted',
        actorId: authorId,
        commentId: _id,
      })),
    );
  }
}

/** Seeds the meeting in the database this process uses; `url` is this process's own HTTP address. */
export async function seedMeeting(
  request: SeedRequest,
  url: string,
  jwtSecret: string,
): Promise<Meeting> {
  const hash = await hashPassword('fanout-bench-password');
  const views = viewMix(request.watchers);
  const signedIn = views.filter((v) => v !== 'visitor').length;
  const writers = await createPeople(WRITERS, 'Writer', hash);
  const [writer] = writers;
  const people = await createPeople(signedIn, 'Watcher', hash);
  const voters = await createPeople(request.voters, 'Voter', hash);
  const group = await GroupModel.create({
    handle: `bench${Date.now().toString(36)}`,
    name: 'Fan-out bench assembly',
    privacy: 'open',
    createdById: writer,
  });
  let next = 0;
  const memberships = [
    ...writers.map((userId) => ({ userId, role: 'coordinator' })),
    ...views.filter((v) => v !== 'visitor').map((role) => ({ userId: people[next++], role })),
    ...voters.map((userId) => ({ userId, role: 'member' })),
  ];
  for (let start = 0; start < memberships.length; start += 1000)
    await MembershipModel.insertMany(
      memberships.slice(start, start + 1000).map((m) => ({ ...m, groupId: group._id })),
    );
  await seedHistory(group._id, writers, request.history);
  const discussion = await DiscussionModel.create({
    groupId: group._id,
    authorId: writer,
    title: 'Budget for the year: the live meeting',
    context: 'We decide the budget together tonight.',
    private: false,
  });
  const token = (id: Types.ObjectId) => signSession(String(id), 0, jwtSecret);
  const writerToken = token(writer);
  const created = await fetch(`${url}/api/discussions/${String(discussion._id)}/polls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${writerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'proposal', title: 'Adopt the budget as drafted' }),
  });
  if (created.status !== 201)
    throw new Error(`creating the poll failed: ${created.status} ${await created.text()}`);
  const { poll } = (await created.json()) as {
    poll: { id: string; options: Array<{ id: string }> };
  };
  let person = 0;
  const seeded = await DiscussionModel.findById(discussion._id, { lastSequence: 1 }).lean();
  return {
    discussionId: String(discussion._id),
    lastSequence: seeded?.lastSequence ?? 0,
    pollId: poll.id,
    optionId: poll.options.find((o) => o.id === 'agree')?.id ?? poll.options[0].id,
    writerTokens: writers.map(token),
    voterTokens: voters.map(token),
    watchers: views.map((view) => ({
      view,
      token: view === 'visitor' ? null : token(people[person++]),
    })),
  };
}
