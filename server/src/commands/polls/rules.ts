/**
 * The bridge between a stored poll and the shared poll logic: the rules the
 * shared `validateChoices` and `tally` read, built from the record with the
 * settings of other kinds (stored as null) left out.
 */
import type { Choice, PollRules } from '../../../../shared/polls.js';
import type { Poll } from '../../models/poll.js';

type RuleFields = Pick<
  Poll,
  | 'kind'
  | 'options'
  | 'minChoices'
  | 'maxChoices'
  | 'minScore'
  | 'maxScore'
  | 'dotsPerPerson'
  | 'threshold'
>;

const SETTINGS = [
  'minChoices',
  'maxChoices',
  'minScore',
  'maxScore',
  'dotsPerPerson',
  'threshold',
] as const;

/** The shared-code rules of a stored poll. */
export function rulesOf(poll: RuleFields): PollRules {
  const rules: PollRules = {
    kind: poll.kind,
    options: poll.options.map((o) =>
      typeof o.startsAt === 'string'
        ? { id: o.id, label: o.label, startsAt: o.startsAt }
        : { id: o.id, label: o.label },
    ),
  };
  for (const setting of SETTINGS) {
    const value = poll[setting];
    if (value !== null && value !== undefined) rules[setting] = value;
  }
  return rules;
}

/** Stored choices as the shared code's plain `Choice` values. */
export const choicesOf = (choices: Array<{ optionId: string; value: number }>): Choice[] =>
  choices.map((c) => ({ optionId: c.optionId, value: c.value }));
