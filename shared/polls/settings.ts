/**
 * The fixed parts of polls: default settings, limits, the built-in options of
 * proposals and count polls, and the settings of given rules with the defaults
 * filled in, so the vote form, validation and tally read the same numbers.
 */
import { type MEETING_ANSWERS, PROPOSAL_POSITIONS, type PollKind } from '../domain.js';
import type { PollOption, PollRules } from './types.js';

/** What a setting is when the rules leave it out. */
export const POLL_DEFAULTS = {
  minScore: 0,
  maxScore: 5,
  dotsPerPerson: 10,
} as const;

/**
 * Bounds on rules, so a poll stays something a person can read and vote on and
 * a stored poll cannot make every tally expensive.
 */
export const POLL_LIMITS = {
  maxOptions: 100,
  maxOptionIdLength: 64,
  maxLabelLength: 200,
  /** Scores must lie within -maxAbsScore..maxAbsScore. */
  maxAbsScore: 1000,
  maxDotsPerPerson: 1000,
  maxThreshold: 1_000_000,
} as const;

/** The id of the single option of a count poll: "I'm in". */
export const COUNT_OPTION_ID = 'commit';

/** The choice value each meeting answer is cast as; the tally weighs yes 2, if need be 1. */
export const MEETING_VALUES: Readonly<Record<(typeof MEETING_ANSWERS)[number], number>> = {
  yes: 2,
  if_need_be: 1,
  no: 0,
};

const POSITION_LABELS: Record<(typeof PROPOSAL_POSITIONS)[number], string> = {
  agree: 'Agree',
  abstain: 'Abstain',
  disagree: 'Disagree',
  block: 'Block',
};

/**
 * The options a poll of this kind always has: the four positions of a
 * proposal, the single "commit" option of a count poll; null for kinds whose
 * options the author writes. Returns fresh objects the caller may change.
 */
export function defaultOptions(kind: PollKind): PollOption[] | null {
  switch (kind) {
    case 'proposal':
      return PROPOSAL_POSITIONS.map((id) => ({ id, label: POSITION_LABELS[id] }));
    case 'count':
      return [{ id: COUNT_OPTION_ID, label: "I'm in" }];
    default:
      return null;
  }
}

/** A poll's settings with every default applied. */
export interface EffectiveSettings {
  minChoices: number;
  maxChoices: number;
  minScore: number;
  maxScore: number;
  dotsPerPerson: number;
}

/**
 * The settings a vote is held to, defaults filled in (multiple_choice: at
 * least 1, at most every option; score 0..5; 10 dots). The vote form uses it
 * to draw its inputs; validation uses it to check them.
 */
export function effectiveSettings(rules: PollRules): EffectiveSettings {
  return {
    minChoices: rules.minChoices ?? 1,
    maxChoices: rules.maxChoices ?? rules.options.length,
    minScore: rules.minScore ?? POLL_DEFAULTS.minScore,
    maxScore: rules.maxScore ?? POLL_DEFAULTS.maxScore,
    dotsPerPerson: rules.dotsPerPerson ?? POLL_DEFAULTS.dotsPerPerson,
  };
}
