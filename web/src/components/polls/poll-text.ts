/**
 * How polls are put into words: the names of the kinds, a ballot as a short
 * sentence, meeting times in the viewer's own time zone, and the form fields'
 * error paths in one spelling.
 */
import type { ChoiceDto, PollDto, PollOptionDto } from '../../../../shared/dto.js';
import type { PollKind } from '../../../../shared/domain.js';
import { MEETING_VALUES } from '../../../../shared/polls.js';

export const KIND_LABELS: Record<PollKind, string> = {
  proposal: 'Proposal',
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  score: 'Score',
  ranked_choice: 'Ranked choice',
  dot_vote: 'Dot vote',
  meeting_time: 'Meeting time',
  count: 'Count',
};

export const KIND_HINTS: Record<PollKind, string> = {
  proposal: 'Agree, abstain, disagree or block',
  single_choice: 'Pick one option',
  multiple_choice: 'Pick several options',
  score: 'Give each option a score',
  ranked_choice: 'Put the options in order',
  dot_vote: 'Spread a number of dots',
  meeting_time: 'Find a time that suits',
  count: 'Go ahead if enough are in',
};

export const MEETING_ANSWER_LABELS: { value: number; label: string; key: string }[] = [
  { value: MEETING_VALUES.yes, label: 'Yes', key: 'yes' },
  { value: MEETING_VALUES.if_need_be, label: 'If need be', key: 'maybe' },
  { value: MEETING_VALUES.no, label: 'No', key: 'no' },
];

const meetingFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** What an option is called for this viewer: meeting times in their own time zone. */
export function optionLabel(option: Pick<PollOptionDto, 'label' | 'startsAt'>): string {
  if (option.startsAt) {
    const at = Date.parse(option.startsAt);
    if (!Number.isNaN(at)) return meetingFormat.format(at);
  }
  return option.label;
}

export function formatMeetingTime(instant: number): string {
  return meetingFormat.format(instant);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export { plural };

/** A ballot as a short sentence, e.g. "Agree", "Red, Blue", "1. Red 2. Blue". */
export function describeChoices(poll: PollDto, choices: readonly ChoiceDto[]): string {
  const label = (id: string) => {
    const option = poll.options.find((o) => o.id === id);
    return option ? optionLabel(option) : 'a removed option';
  };
  switch (poll.kind) {
    case 'proposal':
    case 'single_choice':
    case 'multiple_choice':
    case 'count':
      return choices.map((c) => label(c.optionId)).join(', ');
    case 'score':
      return choices.map((c) => `${label(c.optionId)}: ${c.value}`).join(', ');
    case 'ranked_choice':
      return [...choices]
        .sort((a, b) => a.value - b.value)
        .map((c) => `${c.value}. ${label(c.optionId)}`)
        .join(' · ');
    case 'dot_vote':
      return choices
        .filter((c) => c.value > 0)
        .map((c) => `${label(c.optionId)}: ${plural(c.value, 'dot')}`)
        .join(', ');
    case 'meeting_time':
      return MEETING_ANSWER_LABELS.map((answer) => {
        const times = choices.filter((c) => c.value === answer.value).map((c) => label(c.optionId));
        return times.length === 0 ? '' : `${answer.label}: ${times.join('; ')}`;
      })
        .filter(Boolean)
        .join(' · ');
  }
}

/**
 * One spelling for error paths: the shared validators say `options[1].label`,
 * the server's schema `options.1.label`; forms key their inputs by the latter.
 */
export function fieldPath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1');
}

/** A `datetime-local` value (the browser's local time) as an ISO instant, or null. */
export function localToIso(value: string): string | null {
  if (value === '') return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** An instant as a `datetime-local` value in the browser's time zone. */
export function isoToLocal(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
