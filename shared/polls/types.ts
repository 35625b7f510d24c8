/**
 * The shapes of a poll's rules, a voter's choices and the tallied results. The
 * server stores and checks them, the web client renders them, and both run the
 * same validation and tally over them, so a result can never differ between the
 * two sides.
 */
import type { PollKind } from '../domain.js';

/** One thing voters can choose in a poll. */
export interface PollOption {
  /** Stable within its poll; choices refer to options by this id. */
  id: string;
  /** What voters see; 1 to 200 characters, not blank. */
  label: string;
  /**
   * meeting_time only: the start of the proposed time, as ISO-8601 with a time
   * zone (`2025-03-01T10:00:00Z`, `2025-03-01T11:00+01:00`), so every viewer
   * means the same instant whatever their own time zone.
   */
  startsAt?: string;
}

/**
 * The settings that constrain votes and results. Settings that do not apply to
 * the poll's kind must be left out (validateRules rejects them), so stored
 * rules never carry a stale value from a kind the poll no longer has.
 */
export interface PollRules {
  kind: PollKind;
  /**
   * proposal: exactly the four PROPOSAL_POSITIONS as ids; count: one option
   * with id 'commit' (see defaultOptions); every other kind: at least two.
   */
  options: PollOption[];
  /** multiple_choice: the fewest options a voter must choose (default 1). */
  minChoices?: number;
  /** multiple_choice: the most options a voter may choose (default: all). */
  maxChoices?: number;
  /** score: the lowest score a voter may give an option (default 0). */
  minScore?: number;
  /** score: the highest score a voter may give an option (default 5). */
  maxScore?: number;
  /** dot_vote: how many dots each voter may spread over the options (default 10). */
  dotsPerPerson?: number;
  /** count: the poll commits if at least this many people are in (required). */
  threshold?: number;
}

/**
 * One part of a ballot. What `value` means depends on the poll's kind:
 * - proposal, single_choice, multiple_choice, count: 1 (the option is chosen);
 * - score: the score given to the option;
 * - ranked_choice: the rank, 1 being first; a ballot ranks 1..k for some k >= 1
 *   and may leave options unranked;
 * - dot_vote: the dots put on the option (0 or more; at least one in total);
 * - meeting_time: 2 = yes, 1 = if need be, 0 = no (see MEETING_VALUES).
 */
export interface Choice {
  optionId: string;
  value: number;
}

/**
 * Why rules or choices were refused. `field` is a path into the input
 * (`options[1].label`, `choices`, `choices[2].value`) so a form can show the
 * message beside the right input; the API sends it as the error's `field`.
 */
export interface VoteProblem {
  field: string;
  message: string;
}

/** How one option fared. */
export interface OptionResult {
  optionId: string;
  label: string;
  /**
   * The kind's main number: votes (proposal, single_choice, multiple_choice,
   * count), total score (score), Borda points (ranked_choice), dots (dot_vote),
   * or 2 * yes + 1 * if-need-be (meeting_time).
   */
  score: number;
  /**
   * How many ballots gave this option a choice: chose it, scored it, ranked it,
   * put at least one dot on it, or answered yes, if need be or no for it.
   */
  voters: number;
  /**
   * This option's part of all options' scores, 0..1; 0 when there is nothing
   * to share. Negative totals (score polls with a negative scale) count as 0.
   */
  share: number;
  /** 1 = best; equal scores share a rank and the next rank is skipped (1, 1, 3). */
  rank: number;
  /** meeting_time: how many answered yes. */
  yes?: number;
  /** meeting_time: how many answered if need be. */
  ifNeedBe?: number;
  /** meeting_time: how many answered no. */
  no?: number;
  /** score: total score / voters who scored it; absent while nobody has. */
  average?: number;
}

/** A poll's outcome, computed from the ballots alone: it names no voter. */
export interface PollResults {
  kind: PollKind;
  /** How many ballots were counted: those with a choice for an option still in the poll. */
  voterCount: number;
  /** One per option, in the poll's option order. */
  options: OptionResult[];
  /**
   * Ids of the leading option(s), in option order; several on a tie. Empty when
   * nobody voted, and when the best score is 0 in a kind whose scores cannot be
   * negative (every meeting time answered "no"): nothing leads then.
   */
  leaders: string[];
  /** proposal: whether at least one voter blocks. */
  blocked?: boolean;
  /** count: how many people are in. */
  committed?: number;
  /** count: whether `committed` has reached the rules' threshold. */
  thresholdReached?: boolean;
}
