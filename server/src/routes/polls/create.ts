/**
 * Turning the create-poll input into checked rules and voters: options come
 * from the author for choice kinds and from `defaultOptions` for proposals and
 * count polls; the shared `validateRules` has the last word (400 naming the
 * field); voters must take part in the discussion.
 */
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { defaultOptions, validateRules, type PollRules } from '../../../../shared/polls.js';
import { ValidationError } from '../../errors.js';
import type { LoadedDiscussion } from '../../commands/discussions/load.js';
import { GuestModel } from '../../models/guest.js';
import { MembershipModel } from '../../models/membership.js';
import type { CreatePollInput } from './schema.js';

const SETTINGS = [
  'minChoices',
  'maxChoices',
  'minScore',
  'maxScore',
  'dotsPerPerson',
  'threshold',
] as const;

/**
 * The poll rules from the create input; 400 naming the field (as the shared
 * validateRules names it) when they are unsound.
 */
export function rulesFromInput(input: CreatePollInput): PollRules {
  const fixed = defaultOptions(input.kind);
  if (fixed !== null && input.options !== undefined) {
    throw ValidationError('options', `are fixed for ${input.kind} polls; leave them out`);
  }
  const options =
    fixed ??
    (input.options ?? []).map((o) => {
      const option: PollRules['options'][number] = {
        id: o.id ?? randomBytes(4).toString('hex'),
        label: o.label,
      };
      if (o.startsAt !== undefined) option.startsAt = o.startsAt;
      return option;
    });
  const rules: PollRules = { kind: input.kind, options };
  for (const setting of SETTINGS) {
    if (input[setting] !== undefined) rules[setting] = input[setting];
  }
  const problem = validateRules(rules);
  if (problem) throw ValidationError(problem.field, problem.message);
  return rules;
}

/** The closing time: required for every kind but proposals. */
export function closingTimeFromInput(input: CreatePollInput): Date | null {
  const closesAt = input.closesAt ?? null;
  if (closesAt === null && input.kind !== 'proposal') {
    throw ValidationError('closesAt', 'is required for this kind of poll');
  }
  return closesAt;
}

/**
 * The listed voters as ids, each an active member of the discussion's group, a
 * guest of the discussion, or (no group) its author; 400 naming the first that
 * is not. Never says more about an id than "may not vote here".
 */
export async function votersFromInput(
  input: CreatePollInput,
  { discussion }: LoadedDiscussion,
): Promise<Types.ObjectId[] | null> {
  if (input.voterIds === undefined) return null;
  const ids = [...new Set(input.voterIds.map((id) => id.toLowerCase()))].map(
    (id) => new Types.ObjectId(id),
  );
  const [members, guests] = await Promise.all([
    discussion.groupId === null
      ? []
      : MembershipModel.find(
          { groupId: discussion.groupId, userId: { $in: ids }, suspendedAt: null },
          { userId: 1 },
        ).lean(),
    GuestModel.find({ discussionId: discussion._id, userId: { $in: ids } }, { userId: 1 }).lean(),
  ]);
  const allowed = new Set([...members, ...guests].map((r) => String(r.userId)));
  if (discussion.groupId === null) allowed.add(String(discussion.authorId));
  const index = input.voterIds.findIndex((id) => !allowed.has(id.toLowerCase()));
  if (index !== -1)
    throw ValidationError(
      `voterIds.${index}`,
      'is not a member of this group or a guest of this discussion',
    );
  return ids;
}
