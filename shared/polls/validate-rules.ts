/**
 * Checks a poll's rules before the poll is created or edited. The web form
 * runs it as the author types and the server runs it again on what arrives, so
 * both refuse the same rules with the same field and message.
 */
import { POLL_KINDS, PROPOSAL_POSITIONS, type PollKind } from '../domain.js';
import { parseStartsAt } from './meeting-time.js';
import { COUNT_OPTION_ID, POLL_LIMITS, effectiveSettings } from './settings.js';
import type { PollOption, PollRules, VoteProblem } from './types.js';

/** Which kind each optional setting belongs to; on any other kind it is refused. */
const SETTING_KINDS = {
  minChoices: 'multiple_choice',
  maxChoices: 'multiple_choice',
  minScore: 'score',
  maxScore: 'score',
  dotsPerPerson: 'dot_vote',
  threshold: 'count',
} as const satisfies Partial<Record<keyof PollRules, PollKind>>;

/** A problem unless `value` is a whole number within min..max. */
export function wholeNumberProblem(
  field: string,
  value: unknown,
  min: number,
  max: number,
): VoteProblem | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return { field, message: 'must be a whole number' };
  }
  if (value < min || value > max) {
    return { field, message: `must be from ${min} to ${max}` };
  }
  return null;
}

function optionProblem(
  kind: PollKind,
  option: PollOption,
  index: number,
  seen: { ids: Set<string>; times: Map<number, number> },
): VoteProblem | null {
  const at = `options[${index}]`;
  if (typeof option !== 'object' || option === null) {
    return { field: at, message: 'must be an option with an id and a label' };
  }
  const { id, label, startsAt } = option;
  if (typeof id !== 'string' || id.length === 0) {
    return { field: `${at}.id`, message: 'must not be empty' };
  }
  if (id.length > POLL_LIMITS.maxOptionIdLength) {
    return {
      field: `${at}.id`,
      message: `must be at most ${POLL_LIMITS.maxOptionIdLength} characters`,
    };
  }
  if (seen.ids.has(id)) return { field: `${at}.id`, message: `duplicates another option's id` };
  seen.ids.add(id);
  if (typeof label !== 'string' || label.trim().length === 0) {
    return { field: `${at}.label`, message: 'must not be empty' };
  }
  if (label.length > POLL_LIMITS.maxLabelLength) {
    return {
      field: `${at}.label`,
      message: `must be at most ${POLL_LIMITS.maxLabelLength} characters`,
    };
  }
  if (kind !== 'meeting_time') {
    return startsAt === undefined
      ? null
      : { field: `${at}.startsAt`, message: 'only meeting_time options have a start time' };
  }
  const instant = typeof startsAt === 'string' ? parseStartsAt(startsAt) : null;
  if (instant === null) {
    return {
      field: `${at}.startsAt`,
      message: 'must be an ISO-8601 date and time with a time zone, like 2025-03-01T10:00:00Z',
    };
  }
  const twin = seen.times.get(instant);
  if (twin !== undefined) {
    return { field: `${at}.startsAt`, message: `is the same time as options[${twin}]` };
  }
  seen.times.set(instant, index);
  return null;
}

function optionSetProblem(kind: PollKind, options: PollOption[]): VoteProblem | null {
  if (kind === 'proposal') {
    const positions: readonly string[] = PROPOSAL_POSITIONS;
    const exact =
      options.length === positions.length && options.every((o) => positions.includes(o.id));
    return exact
      ? null
      : { field: 'options', message: `must be exactly the positions ${positions.join(', ')}` };
  }
  if (kind === 'count') {
    return options.length === 1 && options[0].id === COUNT_OPTION_ID
      ? null
      : { field: 'options', message: `must be the single option '${COUNT_OPTION_ID}'` };
  }
  return options.length >= 2
    ? null
    : { field: 'options', message: 'must offer at least 2 options' };
}

function settingsProblem(rules: PollRules): VoteProblem | null {
  const n = rules.options.length;
  const settings = effectiveSettings(rules);
  switch (rules.kind) {
    case 'multiple_choice': {
      for (const field of ['minChoices', 'maxChoices'] as const) {
        if (rules[field] === undefined) continue;
        const problem = wholeNumberProblem(field, rules[field], 1, n);
        if (problem) return problem;
      }
      return settings.minChoices <= settings.maxChoices
        ? null
        : { field: 'minChoices', message: `must not exceed maxChoices (${settings.maxChoices})` };
    }
    case 'score': {
      for (const field of ['minScore', 'maxScore'] as const) {
        if (rules[field] === undefined) continue;
        const limit = POLL_LIMITS.maxAbsScore;
        const problem = wholeNumberProblem(field, rules[field], -limit, limit);
        if (problem) return problem;
      }
      return settings.minScore < settings.maxScore
        ? null
        : { field: 'minScore', message: `must be below maxScore (${settings.maxScore})` };
    }
    case 'dot_vote':
      return rules.dotsPerPerson === undefined
        ? null
        : wholeNumberProblem('dotsPerPerson', rules.dotsPerPerson, 1, POLL_LIMITS.maxDotsPerPerson);
    case 'count':
      return rules.threshold === undefined
        ? { field: 'threshold', message: 'is required for a count poll' }
        : wholeNumberProblem('threshold', rules.threshold, 1, POLL_LIMITS.maxThreshold);
    default:
      return null;
  }
}

/**
 * The first thing wrong with a poll's rules, or null when they are sound: a
 * known kind; settings only of that kind, whole numbers in range, min not above
 * max (a count poll's threshold is required); 2 to 100 options (proposal: the
 * four positions; count: 'commit'), each with a unique id, a label of 1 to 200
 * characters and, for meeting_time only, a distinct valid start time.
 */
export function validateRules(rules: PollRules): VoteProblem | null {
  if (!(POLL_KINDS as readonly unknown[]).includes(rules.kind)) {
    return { field: 'kind', message: `must be one of ${POLL_KINDS.join(', ')}` };
  }
  for (const [field, kind] of Object.entries(SETTING_KINDS)) {
    if (rules[field as keyof typeof SETTING_KINDS] !== undefined && kind !== rules.kind) {
      return { field, message: `only applies to ${kind} polls` };
    }
  }
  const { options } = rules;
  if (!Array.isArray(options)) return { field: 'options', message: 'must be a list of options' };
  if (options.length > POLL_LIMITS.maxOptions) {
    return { field: 'options', message: `must offer at most ${POLL_LIMITS.maxOptions} options` };
  }
  const seen = { ids: new Set<string>(), times: new Map<number, number>() };
  for (const [index, option] of options.entries()) {
    const problem = optionProblem(rules.kind, option, index, seen);
    if (problem) return problem;
  }
  return optionSetProblem(rules.kind, options) ?? settingsProblem(rules);
}
