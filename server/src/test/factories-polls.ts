/**
 * Test factories for polls and votes, written straight to the database (the
 * routes are tested through HTTP; these set the scene). `buildPoll` creates a
 * discussion, group and coordinator on demand, like the other factories.
 */
import { defaultOptions } from '../../../shared/polls.js';
import type { PollKind } from '../../../shared/domain.js';
import type { DiscussionDocument } from '../models/discussion.js';
import { PollModel, type Poll, type PollDocument, type PollOptionRecord } from '../models/poll.js';
import type { UserDocument } from '../models/user.js';
import { VoteModel, type VoteChoice, type VoteDocument } from '../models/vote.js';
import { GroupModel, type Group } from '../models/group.js';
import type { PollDto } from '../presenters/poll.js';
import type { AnonymousVoteDto, NamedVoteDto, OwnVoteDto } from '../presenters/vote.js';
import { addGuest, addMember, buildDiscussion, buildGroup, buildUser } from './factories.js';

const DAY = 24 * 60 * 60 * 1000;

/** Options an author might write for each kind (the fixed ones for proposal and count). */
export function sampleOptions(kind: PollKind): PollOptionRecord[] {
  const fixed = defaultOptions(kind);
  if (fixed) return fixed.map((o) => ({ id: o.id, label: o.label }));
  if (kind === 'meeting_time') {
    return [
      { id: 'mon', label: 'Monday 10:00', startsAt: '2031-03-03T10:00:00Z' },
      { id: 'tue', label: 'Tuesday 10:00', startsAt: '2031-03-04T10:00:00Z' },
      { id: 'wed', label: 'Wednesday 10:00', startsAt: '2031-03-05T10:00:00Z' },
    ];
  }
  return [
    { id: 'red', label: 'Red' },
    { id: 'green', label: 'Green' },
    { id: 'blue', label: 'Blue' },
  ];
}

/** A poll (a proposal unless `kind` says otherwise), open for a day, in a discussion made on demand. */
export async function buildPoll(
  overrides: Partial<Poll> & { discussion?: DiscussionDocument; author?: UserDocument } = {},
): Promise<PollDocument> {
  const { discussion: given, author, ...fields } = overrides;
  const discussion = given ?? (await buildDiscussion());
  const kind = fields.kind ?? 'proposal';
  return PollModel.create({
    discussionId: discussion._id,
    groupId: discussion.groupId,
    authorId: author?._id ?? discussion.authorId,
    kind,
    title: `Poll about ${kind}`,
    options: sampleOptions(kind),
    threshold: kind === 'count' ? 2 : null,
    closesAt: new Date(Date.now() + DAY),
    ...fields,
  });
}

/** A vote written directly (no checks, no timeline event), keeping `voterCount` right. */
export async function buildVote(
  poll: PollDocument,
  voter: UserDocument,
  choices: VoteChoice[],
  reason = '',
): Promise<VoteDocument> {
  const vote = await VoteModel.create({
    pollId: poll._id,
    discussionId: poll.discussionId,
    userId: voter._id,
    choices,
    reason,
  });
  await PollModel.updateOne({ _id: poll._id }, { $inc: { voterCount: 1 } });
  return vote;
}

/** The people around one discussion, for tests that look at a poll from every side. */
export interface PollScene {
  group: Awaited<ReturnType<typeof buildGroup>>;
  discussion: DiscussionDocument;
  coordinator: UserDocument;
  member: UserDocument;
  guest: UserDocument;
  /** Signed in, but neither a member nor a guest. */
  outsider: UserDocument;
}

/**
 * A group (open and its discussion public unless `privacy` says otherwise)
 * with a coordinator, a member, a guest of the discussion and an outsider.
 */
export async function buildPollScene(
  options: { privacy?: Group['privacy']; permissions?: Partial<Group['permissions']> } = {},
): Promise<PollScene> {
  const group = await buildGroup({ privacy: options.privacy ?? 'open' });
  if (options.permissions) {
    await GroupModel.updateOne(
      { _id: group._id },
      {
        $set: Object.fromEntries(
          Object.entries(options.permissions).map(([k, v]) => [`permissions.${k}`, v]),
        ),
      },
    );
    Object.assign(group.permissions, options.permissions);
  }
  const member = await addMember(group);
  const discussion = await buildDiscussion({ group, private: group.privacy !== 'open' });
  const guest = await addGuest(discussion);
  const outsider = await buildUser();
  return { group, discussion, coordinator: group.coordinator, member, guest, outsider };
}

/** Response bodies of the poll routes, for typed tests. */
export interface PollResponse {
  poll: PollDto;
}
export interface VoteResponse {
  poll: PollDto;
  vote: OwnVoteDto;
}
export interface PollPage {
  items: PollDto[];
  nextCursor: string | null;
}
/** A listed vote: named votes have the optional fields, anonymous ones never. */
export type ListedVote = AnonymousVoteDto &
  Partial<Pick<NamedVoteDto, 'id' | 'voter' | 'createdAt' | 'updatedAt'>>;
export interface VotePage {
  items: ListedVote[];
  nextCursor: string | null;
}
export interface ErrorResponse {
  error: { id: string; message: string; field?: string };
}
