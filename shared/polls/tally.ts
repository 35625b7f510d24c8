/**
 * Turns ballots into results. The server runs it to store and send results and
 * the web client runs it on live votes, so both show the same numbers. Every
 * total is a sum of whole numbers, so the order ballots arrive in never changes
 * the outcome; and since it only ever sees choices, results cannot name voters.
 */
import type { PollKind } from '../domain.js';
import type { Choice, OptionResult, PollResults, PollRules } from './types.js';

interface Counter {
  score: number;
  voters: number;
  yes: number;
  ifNeedBe: number;
  no: number;
}

/** What one choice adds to its option's score. */
function points(kind: PollKind, value: number, optionCount: number): number {
  switch (kind) {
    case 'proposal':
    case 'single_choice':
    case 'multiple_choice':
    case 'count':
      return 1;
    case 'ranked_choice':
      // Borda count: first of n earns n - 1, last earns 0, unranked earns nothing.
      return Math.max(0, optionCount - value);
    case 'score':
    case 'dot_vote':
    case 'meeting_time':
      return value;
  }
}

/** Whether a choice makes its voter one of the option's voters. */
function countsAsVoter(kind: PollKind, value: number): boolean {
  return kind !== 'dot_vote' || value > 0;
}

function count(rules: PollRules, votes: Choice[][]): { counters: Counter[]; voterCount: number } {
  const counters = rules.options.map(() => ({ score: 0, voters: 0, yes: 0, ifNeedBe: 0, no: 0 }));
  const indexOf = new Map(rules.options.map((o, i) => [o.id, i]));
  let voterCount = 0;
  for (const ballot of votes) {
    let counted = false;
    for (const { optionId, value } of ballot) {
      const index = indexOf.get(optionId);
      // A choice for an option since removed from the poll no longer counts.
      if (index === undefined) continue;
      counted = true;
      const counter = counters[index];
      counter.score += points(rules.kind, value, rules.options.length);
      if (countsAsVoter(rules.kind, value)) counter.voters += 1;
      if (rules.kind === 'meeting_time') {
        if (value === 2) counter.yes += 1;
        else if (value === 1) counter.ifNeedBe += 1;
        else counter.no += 1;
      }
    }
    if (counted) voterCount += 1;
  }
  return { counters, voterCount };
}

/** Ids of the best-scoring options; none when nothing has earned support. */
function leadersOf(rules: PollRules, counters: Counter[], voterCount: number): string[] {
  if (voterCount === 0 || counters.length === 0) return [];
  const best = Math.max(...counters.map((c) => c.score));
  // Only score polls can go below zero; elsewhere a best of 0 means no support.
  if (rules.kind !== 'score' && best <= 0) return [];
  return rules.options.filter((_, i) => counters[i].score === best).map((o) => o.id);
}

/**
 * The results of a poll from its ballots, one `Choice[]` per voter, each
 * having passed validateChoices against `rules`. Choices for options no longer
 * in the poll are ignored, and a ballot left with none is not counted.
 *
 * Scores per kind: proposal, single and multiple choice count votes (a
 * proposal is blocked by any block); score sums scores (average = sum / voters
 * who scored it); ranked_choice gives n - rank Borda points out of n options;
 * dot_vote sums dots; meeting_time weighs yes 2 and if need be 1; count counts
 * the people in and whether they reach the threshold. Equal scores share a
 * rank (1, 1, 3) and all lead together.
 */
export function tally(rules: PollRules, votes: Choice[][]): PollResults {
  const { counters, voterCount } = count(rules, votes);
  const total = counters.reduce((sum, c) => sum + Math.max(0, c.score), 0);

  const options = rules.options.map((option, i): OptionResult => {
    const { score, voters, yes, ifNeedBe, no } = counters[i];
    const result: OptionResult = {
      optionId: option.id,
      label: option.label,
      score,
      voters,
      share: total > 0 ? Math.max(0, score) / total : 0,
      rank: 1 + counters.filter((other) => other.score > score).length,
    };
    if (rules.kind === 'meeting_time') Object.assign(result, { yes, ifNeedBe, no });
    if (rules.kind === 'score' && voters > 0) result.average = score / voters;
    return result;
  });

  const results: PollResults = {
    kind: rules.kind,
    voterCount,
    options,
    leaders: leadersOf(rules, counters, voterCount),
  };
  if (rules.kind === 'proposal') {
    results.blocked = options.some((o) => o.optionId === 'block' && o.score > 0);
  }
  if (rules.kind === 'count') {
    results.committed = voterCount;
    results.thresholdReached = rules.threshold !== undefined && voterCount >= rules.threshold;
  }
  return results;
}
