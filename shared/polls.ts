/**
 * Poll logic shared by the server and the web client: the rules of a poll, the
 * checks on a ballot and the tally, all pure, so both sides accept the same
 * votes and compute identical results. One file per job lives in `polls/`.
 */
export type {
  Choice,
  OptionResult,
  PollOption,
  PollResults,
  PollRules,
  VoteProblem,
} from './polls/types.js';
export {
  COUNT_OPTION_ID,
  MEETING_VALUES,
  POLL_DEFAULTS,
  POLL_LIMITS,
  defaultOptions,
  effectiveSettings,
  type EffectiveSettings,
} from './polls/settings.js';
export { parseStartsAt } from './polls/meeting-time.js';
export { validateRules } from './polls/validate-rules.js';
export { validateChoices } from './polls/validate-choices.js';
export { tally } from './polls/tally.js';
