/**
 * The verbs the demo story is written in. Each first asks the policy the API
 * route asks, then calls the command the route calls, so the demo holds
 * nothing the API could not have produced: timeline sequences, voter counts,
 * notifications and permissions are what real use would leave. A step the
 * policies refuse is a bug in the story and stops the seeding.
 */
import {
  MEETING_VALUES,
  defaultOptions,
  validateChoices,
  validateRules,
  type Choice,
  type PollOption,
  type PollRules,
} from '../../shared/polls.js';
import type { HideResults, PollKind } from '../../shared/domain.js';
import { loadViewer } from '../../server/src/auth/viewer.js';
import { deleteComment, editComment } from '../../server/src/commands/comments/change.js';
import { postComment } from '../../server/src/commands/comments/post.js';
import { addReaction } from '../../server/src/commands/comments/react.js';
import {
  setDiscussionClosed,
  setDiscussionPinned,
} from '../../server/src/commands/discussions/change.js';
import { startDiscussion } from '../../server/src/commands/discussions/start.js';
import { castVote } from '../../server/src/commands/polls/cast-vote.js';
import { closePoll } from '../../server/src/commands/polls/close-poll.js';
import { createPoll } from '../../server/src/commands/polls/create-poll.js';
import { publishOutcome } from '../../server/src/commands/polls/publish-outcome.js';
import { rulesOf } from '../../server/src/commands/polls/rules.js';
import type { CommentDocument } from '../../server/src/models/comment.js';
import type { DiscussionDocument } from '../../server/src/models/discussion.js';
import type { GroupDocument } from '../../server/src/models/group.js';
import { PollModel, type PollDocument } from '../../server/src/models/poll.js';
import type { UserDocument } from '../../server/src/models/user.js';
import { canDeleteComment, canEditComment, canReact } from '../../server/src/policies/comment.js';
import {
  canCloseDiscussion,
  canComment,
  canPinDiscussion,
  discussionAbilities,
} from '../../server/src/policies/discussion.js';
import { canStartDiscussion } from '../../server/src/policies/group.js';
import { canClosePoll, canPublishOutcome, canVote } from '../../server/src/policies/poll.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A discussion being written, with its group and the stretch of the past its
 * timeline is spread over afterwards (see backdate.ts): from `span[0]` days
 * ago to `span[1]` days ago.
 */
export interface Scene {
  discussion: DiscussionDocument;
  group: GroupDocument | null;
  span: readonly [number, number];
}

function allowed(ok: boolean, what: string): void {
  if (!ok) throw new Error(`demo seed: the policies do not allow ${what}`);
}

export async function startScene(props: {
  group: GroupDocument;
  author: UserDocument;
  title: string;
  context: string;
  span: readonly [number, number];
  pinned?: boolean;
}): Promise<Scene> {
  const viewer = await loadViewer(props.author);
  allowed(canStartDiscussion(viewer, props.group), `${props.author.name} to start a discussion`);
  // Public: the open garden shows its discussions to visitors; closed and secret groups keep theirs private.
  let discussion = await startDiscussion({
    group: props.group,
    author: props.author,
    title: props.title,
    context: props.context,
    private: false,
  });
  if (props.pinned) {
    allowed(canPinDiscussion(viewer, props.group), `${props.author.name} to pin`);
    discussion = await setDiscussionPinned({ discussion, pinned: true });
  }
  return { discussion, group: props.group, span: props.span };
}

/** Posts a comment, or a reply to `parent`. */
export async function say(
  scene: Scene,
  author: UserDocument,
  body: string,
  parent?: CommentDocument,
): Promise<CommentDocument> {
  allowed(canComment(await loadViewer(author), scene.discussion), `${author.name} to comment`);
  const { comment } = await postComment({
    discussion: scene.discussion,
    group: scene.group,
    authorId: author._id,
    body,
    parentId: parent === undefined ? undefined : String(parent._id),
  });
  return comment;
}

/** The author rewrites their comment; the earlier text stays in its history. */
export async function edit(
  scene: Scene,
  author: UserDocument,
  comment: CommentDocument,
  body: string,
): Promise<CommentDocument> {
  const viewer = await loadViewer(author);
  allowed(canEditComment(viewer, comment, scene.discussion, scene.group), 'the edit');
  return editComment({ comment, discussion: scene.discussion, group: scene.group, body });
}

export async function remove(
  scene: Scene,
  actor: UserDocument,
  comment: CommentDocument,
): Promise<void> {
  const viewer = await loadViewer(actor);
  allowed(canDeleteComment(viewer, comment, scene.discussion, scene.group), 'the deletion');
  await deleteComment({ comment, actorId: actor._id });
}

export async function react(
  scene: Scene,
  comment: CommentDocument,
  emoji: string,
  people: UserDocument[],
): Promise<void> {
  for (const person of people) {
    const viewer = await loadViewer(person);
    allowed(canReact(viewer, comment, scene.discussion), `${person.name} to react`);
    await addReaction({ comment, userId: person._id, emoji });
  }
}

export async function closeScene(scene: Scene, actor: UserDocument): Promise<void> {
  const viewer = await loadViewer(actor);
  allowed(canCloseDiscussion(viewer, scene.discussion, scene.group), `${actor.name} to close`);
  scene.discussion = await setDiscussionClosed({
    discussion: scene.discussion,
    actorId: actor._id,
    closed: true,
  });
}

/** A poll as the story describes it; proposals and count polls bring their own options. */
export interface PollSpec {
  kind: PollKind;
  title: string;
  details: string;
  options?: PollOption[];
  settings?: Partial<Omit<PollRules, 'kind' | 'options'>>;
  /** Days from now (not from the backdated start); null only for proposals. */
  closesInDays: number | null;
  anonymous?: boolean;
  hideResults?: HideResults;
  reasonRequired?: boolean;
}

/** Starts a poll; the rules pass the shared `validateRules`, as the route requires. */
export async function raise(
  scene: Scene,
  author: UserDocument,
  spec: PollSpec,
): Promise<PollDocument> {
  const viewer = await loadViewer(author);
  allowed(
    discussionAbilities(viewer, scene.discussion, scene.group).canStartPoll,
    `${author.name} to start a poll`,
  );
  const rules: PollRules = {
    kind: spec.kind,
    options: defaultOptions(spec.kind) ?? spec.options ?? [],
    ...spec.settings,
  };
  const problem = validateRules(rules);
  if (problem)
    throw new Error(`demo seed: poll "${spec.title}": ${problem.field} ${problem.message}`);
  if (spec.closesInDays === null && spec.kind !== 'proposal')
    throw new Error(`demo seed: poll "${spec.title}" needs a closing time`);
  return createPoll({
    discussion: scene.discussion,
    authorId: author._id,
    rules,
    title: spec.title,
    details: spec.details,
    closesAt: spec.closesInDays === null ? null : new Date(Date.now() + spec.closesInDays * DAY_MS),
    anonymous: spec.anonymous ?? false,
    hideResults: spec.hideResults ?? 'never',
    voterIds: null,
    reasonRequired: spec.reasonRequired ?? false,
  });
}

/** One option chosen (proposal position, single choice, count). */
export const pick = (optionId: string): Choice[] => [{ optionId, value: 1 }];
/** Several options chosen (multiple choice). */
export const picks = (...optionIds: string[]): Choice[] => optionIds.map(pick).flat();
/** Options in order of preference (ranked choice). */
export const ranking = (...optionIds: string[]): Choice[] =>
  optionIds.map((optionId, i) => ({ optionId, value: i + 1 }));
/** A number per option (score, dot vote). */
export const amounts = (values: Record<string, number>): Choice[] =>
  Object.entries(values).map(([optionId, value]) => ({ optionId, value }));
/** A meeting answer per time. */
export const answers = (values: Record<string, keyof typeof MEETING_VALUES>): Choice[] =>
  Object.entries(values).map(([optionId, answer]) => ({ optionId, value: MEETING_VALUES[answer] }));

/** Casts `voter`'s ballot, checked by the shared `validateChoices` as the route checks it. */
export async function vote(
  scene: Scene,
  poll: PollDocument,
  voter: UserDocument,
  choices: Choice[],
  reason = '',
): Promise<void> {
  const ctx = { discussion: scene.discussion, group: scene.group, hasVoted: false };
  allowed(canVote(await loadViewer(voter), poll, ctx), `${voter.name} to vote`);
  const problem = validateChoices(rulesOf(poll), choices);
  if (problem)
    throw new Error(`demo seed: ${voter.name}'s vote: ${problem.field} ${problem.message}`);
  if (poll.reasonRequired && reason.trim() === '')
    throw new Error(`demo seed: ${voter.name}'s vote needs a reason`);
  await castVote({ poll, voterId: voter._id, choices, reason });
}

async function reload(poll: PollDocument): Promise<PollDocument> {
  const fresh = await PollModel.findById(poll._id);
  if (!fresh) throw new Error('demo seed: a poll vanished');
  return fresh;
}

/**
 * Closes a poll: by a person closing it early, or (`actor` null) as the closing
 * job does when its time has come; backdate.ts then moves the closing time to
 * the moment it closed.
 */
export async function close(
  scene: Scene,
  poll: PollDocument,
  actor: UserDocument | null,
): Promise<PollDocument> {
  if (actor) {
    const ctx = { discussion: scene.discussion, group: scene.group, hasVoted: false };
    allowed(canClosePoll(await loadViewer(actor), poll, ctx), `${actor.name} to close the poll`);
  }
  await closePoll({ poll, actorId: actor?._id ?? null });
  return reload(poll);
}

/** Publishes the outcome statement of a closed poll. */
export async function conclude(
  scene: Scene,
  poll: PollDocument,
  author: UserDocument,
  statement: string,
): Promise<void> {
  const ctx = { discussion: scene.discussion, group: scene.group, hasVoted: false };
  allowed(canPublishOutcome(await loadViewer(author), poll, ctx), `${author.name}'s outcome`);
  await publishOutcome({ poll, authorId: author._id, statement });
}
