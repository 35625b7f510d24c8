/**
 * What the server writes into a meeting's minutes, as Markdown (pure
 * functions; minutes-blocks.ts loads the records and inserts the blocks).
 * Names and titles are escaped, so nobody's name turns into formatting.
 * Times are written in UTC: the minutes are one text for every reader, and
 * the server does not know their time zones.
 */
import { escapeMarkdown } from '../../../shared/collab-markdown.js';
import type { PollKind } from '../../../shared/domain.js';
import type { PollResults } from '../../../shared/polls.js';

const KIND_NAMES: Record<PollKind, string> = {
  proposal: 'Proposal',
  single_choice: 'Single choice poll',
  multiple_choice: 'Multiple choice poll',
  score: 'Score poll',
  ranked_choice: 'Ranked choice poll',
  dot_vote: 'Dot vote',
  meeting_time: 'Meeting time poll',
  count: 'Count',
};

/** `14:05 UTC`. */
export const utcTime = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A poll's results in one line: each option's main number, the leaders, a block. */
export function resultLine(results: PollResults): string {
  const options = results.options.map((o) => `${escapeMarkdown(o.label)} ${o.score}`).join(' · ');
  const leaders = results.options
    .filter((o) => results.leaders.includes(o.optionId))
    .map((o) => escapeMarkdown(o.label));
  const lead =
    results.kind !== 'proposal' && leaders.length > 0 ? ` Leading: ${leaders.join(', ')}.` : '';
  const blocked = results.blocked ? ' Blocked.' : '';
  return `${options} (${plural(results.voterCount, 'voter')}).${lead}${blocked}`;
}

/** The first text of a decision: the poll closing, with its result when every reader may see it. */
export function decisionMarkdown(props: {
  title: string;
  kind: PollKind;
  closedAt: Date;
  /** Null: hidden from some readers for now (a quick vote not yet revealed). */
  results: PollResults | null;
}): string {
  const result = props.results
    ? `**Result:** ${resultLine(props.results)}`
    : '**Result:** hidden until the facilitators reveal it.';
  return [
    `### Decision: ${escapeMarkdown(props.title)}`,
    `${KIND_NAMES[props.kind]}, closed at ${utcTime(props.closedAt)}.`,
    result,
  ].join('\n\n');
}

/** A hidden result, once revealed, added to its decision. */
export const revealedMarkdown = (results: PollResults, at: Date) =>
  `**Result, revealed at ${utcTime(at)}:** ${resultLine(results)}`;

/** An outcome stated for a poll of the meeting. */
export function outcomeMarkdown(props: { title: string; statement: string }): string {
  return `### Outcome: ${escapeMarkdown(props.title)}\n\n${props.statement.trim() || '(no statement)'}`;
}

export interface Attendee {
  name: string;
  joinedAt: Date;
  leftAt: Date;
}

/** Who was present, when each joined and left, in the order they arrived. */
export function attendanceMarkdown(attendees: Attendee[]): string {
  const heading = `### Attendance (${plural(attendees.length, 'person', 'people')})`;
  if (attendees.length === 0) return `${heading}\n\nNobody’s presence was recorded.`;
  const lines = [...attendees]
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.name.localeCompare(b.name))
    .map((a) => `- ${escapeMarkdown(a.name)}: ${utcTime(a.joinedAt)} to ${utcTime(a.leftAt)}`);
  return `${heading}\n\n${lines.join('\n')}`;
}
