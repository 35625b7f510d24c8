/**
 * Checks one voter's ballot against the poll's rules. The vote form runs it to
 * explain what is missing before submitting; the server runs it on every vote
 * it accepts, so tally only ever sees ballots that obey the rules.
 */
import { MEETING_VALUES, effectiveSettings, type EffectiveSettings } from './settings.js';
import type { Choice, PollRules, VoteProblem } from './types.js';
import { wholeNumberProblem } from './validate-rules.js';

const MEETING_CHOICE_VALUES: readonly number[] = Object.values(MEETING_VALUES);

/** The kinds where a ballot names one option, chosen with the value 1. */
const SINGLE_KINDS = ['proposal', 'single_choice', 'count'] as const;

function countProblem(rules: PollRules, count: number, s: EffectiveSettings): VoteProblem | null {
  if (count === 0) return { field: 'choices', message: 'must choose at least one option' };
  if ((SINGLE_KINDS as readonly string[]).includes(rules.kind) && count !== 1) {
    return { field: 'choices', message: 'must choose exactly one option' };
  }
  if (rules.kind === 'multiple_choice') {
    if (count < s.minChoices) {
      return { field: 'choices', message: `must choose at least ${s.minChoices} options` };
    }
    if (count > s.maxChoices) {
      return { field: 'choices', message: `must choose at most ${s.maxChoices} options` };
    }
  }
  return null;
}

function valueProblem(
  rules: PollRules,
  field: string,
  value: unknown,
  s: EffectiveSettings,
): VoteProblem | null {
  switch (rules.kind) {
    case 'proposal':
    case 'single_choice':
    case 'multiple_choice':
    case 'count':
      return value === 1 ? null : { field, message: 'must be 1' };
    case 'score':
      return wholeNumberProblem(field, value, s.minScore, s.maxScore);
    case 'ranked_choice':
      return wholeNumberProblem(field, value, 1, rules.options.length);
    case 'dot_vote':
      return wholeNumberProblem(field, value, 0, s.dotsPerPerson);
    case 'meeting_time':
      return typeof value === 'number' && MEETING_CHOICE_VALUES.includes(value)
        ? null
        : { field, message: 'must be 2 (yes), 1 (if need be) or 0 (no)' };
  }
}

/** Ranks must run 1..k with no gaps; the first choice ranked past k is at fault. */
function rankGapProblem(choices: Choice[]): VoteProblem | null {
  const ranks = new Set(choices.map((c) => c.value));
  const index = choices.findIndex((c) => c.value > choices.length);
  if (index === -1) return null;
  let missing = 1;
  while (ranks.has(missing)) missing += 1;
  return {
    field: `choices[${index}].value`,
    message: `ranks must run from 1 without gaps; rank ${missing} is missing`,
  };
}

function dotTotalProblem(choices: Choice[], s: EffectiveSettings): VoteProblem | null {
  const total = choices.reduce((sum, c) => sum + c.value, 0);
  if (total < 1) return { field: 'choices', message: 'must place at least one dot' };
  if (total > s.dotsPerPerson) {
    return { field: 'choices', message: `places ${total} dots; at most ${s.dotsPerPerson}` };
  }
  return null;
}

/**
 * The first thing wrong with a ballot, or null when it may be cast. `rules`
 * must have passed validateRules. Checks, in order: a non-empty list of the
 * right length for the kind (exactly one for proposal, single_choice and
 * count; minChoices..maxChoices for multiple_choice), then each choice (a
 * known option, not chosen twice, a whole value the kind allows, no rank given
 * twice), then the whole ballot (ranks without gaps; 1..dotsPerPerson dots).
 */
export function validateChoices(rules: PollRules, choices: Choice[]): VoteProblem | null {
  if (!Array.isArray(choices)) return { field: 'choices', message: 'must be a list of choices' };
  const settings = effectiveSettings(rules);
  const counted = countProblem(rules, choices.length, settings);
  if (counted) return counted;

  const optionIds = new Set(rules.options.map((o) => o.id));
  const chosen = new Set<string>();
  const ranks = new Set<number>();
  for (const [index, choice] of choices.entries()) {
    const at = `choices[${index}]`;
    if (typeof choice !== 'object' || choice === null) {
      return { field: at, message: 'must be a choice with an optionId and a value' };
    }
    if (typeof choice.optionId !== 'string' || !optionIds.has(choice.optionId)) {
      return { field: `${at}.optionId`, message: 'is not an option of this poll' };
    }
    if (chosen.has(choice.optionId)) {
      return { field: `${at}.optionId`, message: 'chooses the same option twice' };
    }
    chosen.add(choice.optionId);
    const problem = valueProblem(rules, `${at}.value`, choice.value, settings);
    if (problem) return problem;
    if (rules.kind === 'ranked_choice') {
      if (ranks.has(choice.value)) {
        return { field: `${at}.value`, message: `rank ${choice.value} is given twice` };
      }
      ranks.add(choice.value);
    }
  }

  if (rules.kind === 'ranked_choice') return rankGapProblem(choices);
  if (rules.kind === 'dot_vote') return dotTotalProblem(choices, settings);
  return null;
}
