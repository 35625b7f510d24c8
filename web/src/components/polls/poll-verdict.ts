/**
 * Where a poll stands, in words, from the results the viewer may see: who
 * leads, whether the leaders are tied, and, for a proposal, whether it is
 * blocked. The compact card, the results chart and the outcome form all say
 * it the same way; nothing here reads more than `poll.results` holds.
 */
import type { PollDto } from '../../../../shared/dto.js';
import type { PollResults } from '../../../../shared/polls.js';
import { optionLabel, plural } from './poll-text.js';

export type Verdict =
  | { kind: 'none' }
  | { kind: 'blocked'; blocks: number }
  | { kind: 'tied'; labels: string[] }
  | { kind: 'leading'; label: string };

function labelOf(poll: PollDto, optionId: string, results: PollResults): string {
  const option = poll.options.find((o) => o.id === optionId);
  if (option) return optionLabel(option);
  return results.options.find((o) => o.optionId === optionId)?.label ?? optionId;
}

/** Whether several options lead together (with at least one vote cast). */
export function isTie(results: PollResults): boolean {
  return results.voterCount > 0 && results.leaders.length > 1;
}

/** The state of the results: nothing yet, blocked (proposals), tied, or one option ahead. */
export function verdictOf(poll: PollDto, results: PollResults): Verdict {
  if (results.voterCount === 0 || results.leaders.length === 0) return { kind: 'none' };
  if (poll.kind === 'proposal' && results.blocked) {
    const blocks = results.options.find((o) => o.optionId === 'block')?.score ?? 0;
    return { kind: 'blocked', blocks };
  }
  if (results.leaders.length > 1)
    return { kind: 'tied', labels: results.leaders.map((id) => labelOf(poll, id, results)) };
  return { kind: 'leading', label: labelOf(poll, results.leaders[0], results) };
}

function list(labels: string[]): string {
  if (labels.length <= 2) return labels.join(' and ');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The verdict as a short phrase, e.g. "Tied: Agree and Disagree", "Blocked (1 block)". */
export function verdictText(verdict: Verdict, closed: boolean): string {
  switch (verdict.kind) {
    case 'none':
      return closed ? 'Closed without votes' : 'No votes yet';
    case 'blocked':
      return `Blocked (${plural(verdict.blocks, 'block')})`;
    case 'tied':
      return `Tied: ${list(verdict.labels)}`;
    case 'leading':
      return `${closed ? 'Result' : 'Leading'}: ${verdict.label}`;
  }
}

/**
 * What the outcome form asks of whoever publishes it. A proposal that closed
 * blocked or tied says so, since the outcome then has to say what happens
 * instead of simply carrying out what most agreed.
 */
export function outcomePrompt(poll: PollDto): string {
  const ask = 'What was decided, and what happens next?';
  const results = poll.results;
  if (poll.kind !== 'proposal' || !poll.closedAt || !results) return ask;
  const verdict = verdictOf(poll, results);
  if (verdict.kind === 'blocked')
    return `This proposal closed blocked: ${plural(verdict.blocks, 'person', 'people')} blocked it. Say whether it goes ahead, is changed to meet the objections, or is dropped.`;
  if (verdict.kind === 'tied')
    return `This proposal closed tied between ${list(verdict.labels)}. Say what the group decided, and what happens next.`;
  return ask;
}
