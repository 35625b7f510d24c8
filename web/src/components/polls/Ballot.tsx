/**
 * The inputs of a ballot, one set per kind of poll. A draft is a map from
 * option id to value (ranked choice: the order of the options), turned into
 * the choices the API takes by `choicesOf`.
 */
import { useId, useState } from 'react';
import type { ChoiceDto, OwnVoteDto, PollDto } from '../../../../shared/dto.js';
import { effectiveSettings, type PollRules } from '../../../../shared/polls.js';
import { MEETING_ANSWER_LABELS, optionLabel, plural } from './poll-text.js';

export interface Draft {
  values: Record<string, number>;
  /** ranked_choice: option ids, first choice first. */
  order: string[];
}

/** The poll's rules as the shared validators read them. */
export function rulesOf(poll: PollDto): PollRules {
  const s = poll.settings;
  const rules: PollRules = { kind: poll.kind, options: poll.options };
  if (s.minChoices !== null) rules.minChoices = s.minChoices;
  if (s.maxChoices !== null) rules.maxChoices = s.maxChoices;
  if (s.minScore !== null) rules.minScore = s.minScore;
  if (s.maxScore !== null) rules.maxScore = s.maxScore;
  if (s.dotsPerPerson !== null) rules.dotsPerPerson = s.dotsPerPerson;
  if (s.threshold !== null) rules.threshold = s.threshold;
  return rules;
}

export function initialDraft(poll: PollDto, vote: OwnVoteDto | null): Draft {
  const values: Record<string, number> = {};
  for (const c of vote?.choices ?? []) values[c.optionId] = c.value;
  if (poll.kind === 'score' && !vote) {
    const { minScore } = effectiveSettings(rulesOf(poll));
    for (const o of poll.options) values[o.id] = minScore;
  }
  const ranked = [...(vote?.choices ?? [])]
    .sort((a, b) => a.value - b.value)
    .map((c) => c.optionId);
  const order = [...ranked, ...poll.options.map((o) => o.id).filter((id) => !ranked.includes(id))];
  return { values, order };
}

export function choicesOf(poll: PollDto, draft: Draft): ChoiceDto[] {
  if (poll.kind === 'ranked_choice') {
    return draft.order.map((optionId, i) => ({ optionId, value: i + 1 }));
  }
  const known = new Set(poll.options.map((o) => o.id));
  return Object.entries(draft.values)
    .filter(([id, value]) => known.has(id) && (poll.kind !== 'dot_vote' || value > 0))
    .map(([optionId, value]) => ({ optionId, value }));
}

interface BallotProps {
  poll: PollDto;
  draft: Draft;
  onChange: (draft: Draft) => void;
  error?: string;
}

function setValue(draft: Draft, id: string, value: number | undefined): Draft {
  const values = { ...draft.values };
  if (value === undefined) delete values[id];
  else values[id] = value;
  return { ...draft, values };
}

function OneOf({ poll, draft, onChange }: BallotProps) {
  const name = useId();
  return (
    <div
      className={poll.kind === 'proposal' ? 'ballot-choices ballot-positions' : 'ballot-choices'}
    >
      {poll.options.map((o) => (
        <label
          key={o.id}
          className="ballot-choice"
          data-option={poll.kind === 'proposal' ? o.id : undefined}
        >
          <input
            type="radio"
            name={name}
            checked={draft.values[o.id] === 1}
            onChange={() => onChange({ ...draft, values: { [o.id]: 1 } })}
          />
          <span>{optionLabel(o)}</span>
        </label>
      ))}
    </div>
  );
}

function Count({ poll, draft, onChange }: BallotProps) {
  const option = poll.options[0];
  return (
    <label className="ballot-choice">
      <input
        type="checkbox"
        checked={draft.values[option.id] === 1}
        onChange={(e) => onChange(setValue(draft, option.id, e.target.checked ? 1 : undefined))}
      />
      <span>{optionLabel(option)}</span>
    </label>
  );
}

function SomeOf({ poll, draft, onChange }: BallotProps) {
  return (
    <div className="ballot-choices">
      {poll.options.map((o) => (
        <label key={o.id} className="ballot-choice">
          <input
            type="checkbox"
            checked={draft.values[o.id] === 1}
            onChange={(e) => onChange(setValue(draft, o.id, e.target.checked ? 1 : undefined))}
          />
          <span>{optionLabel(o)}</span>
        </label>
      ))}
    </div>
  );
}

function Scores({ poll, draft, onChange }: BallotProps) {
  const { minScore, maxScore } = effectiveSettings(rulesOf(poll));
  const base = useId();
  return (
    <div className="ballot-scores">
      {poll.options.map((o, i) => {
        const value = draft.values[o.id] ?? minScore;
        return (
          <div key={o.id} className="ballot-score">
            <label htmlFor={`${base}-${i}`}>{optionLabel(o)}</label>
            <input
              id={`${base}-${i}`}
              type="range"
              min={minScore}
              max={maxScore}
              step={1}
              value={value}
              onChange={(e) => onChange(setValue(draft, o.id, Number(e.target.value)))}
            />
            <output htmlFor={`${base}-${i}`} className="ballot-score-value">
              {value}
            </output>
          </div>
        );
      })}
    </div>
  );
}

function Ranking({ poll, draft, onChange }: BallotProps) {
  const [moved, setMoved] = useState('');
  const label = (id: string) => {
    const option = poll.options.find((o) => o.id === id);
    return option ? optionLabel(option) : id;
  };
  const move = (from: number, to: number) => {
    const order = [...draft.order];
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id);
    onChange({ ...draft, order });
    setMoved(`${label(id)} moved to position ${to + 1} of ${order.length}.`);
  };
  return (
    <>
      <ol className="ballot-ranking">
        {draft.order.map((id, i) => (
          <li key={id}>
            <span className="poll-rank" aria-hidden="true">
              {i + 1}
            </span>
            <span className="ballot-ranking-label">{label(id)}</span>
            <button
              type="button"
              className="secondary small"
              aria-label={`Move ${label(id)} up`}
              disabled={i === 0}
              onClick={() => move(i, i - 1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="secondary small"
              aria-label={`Move ${label(id)} down`}
              disabled={i === draft.order.length - 1}
              onClick={() => move(i, i + 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite">
        {moved}
      </p>
    </>
  );
}

function Dots({ poll, draft, onChange }: BallotProps) {
  const { dotsPerPerson } = effectiveSettings(rulesOf(poll));
  const used = poll.options.reduce((sum, o) => sum + (draft.values[o.id] ?? 0), 0);
  const left = dotsPerPerson - used;
  const base = useId();
  return (
    <div className="ballot-dots">
      <p
        className="ballot-dots-left"
        role="status"
        aria-live="polite"
        data-over={left < 0 || undefined}
      >
        {left >= 0
          ? `${plural(left, 'dot')} left of ${dotsPerPerson}`
          : `${plural(-left, 'dot')} too many`}
      </p>
      {poll.options.map((o, i) => {
        const value = draft.values[o.id] ?? 0;
        const set = (n: number) => onChange(setValue(draft, o.id, Math.max(0, n)));
        return (
          <div key={o.id} className="ballot-dot">
            <label htmlFor={`${base}-${i}`}>{optionLabel(o)}</label>
            <div className="ballot-stepper">
              <button
                type="button"
                className="secondary small"
                aria-label={`One dot fewer on ${optionLabel(o)}`}
                disabled={value <= 0}
                onClick={() => set(value - 1)}
              >
                −
              </button>
              <input
                id={`${base}-${i}`}
                type="number"
                min={0}
                max={dotsPerPerson}
                value={value}
                onChange={(e) =>
                  set(e.target.value === '' ? 0 : Math.floor(Number(e.target.value)))
                }
              />
              <button
                type="button"
                className="secondary small"
                aria-label={`One dot more on ${optionLabel(o)}`}
                disabled={left <= 0}
                onClick={() => set(value + 1)}
              >
                +
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}

function MeetingTimes({ poll, draft, onChange }: BallotProps) {
  const base = useId();
  return (
    <div className="poll-grid-wrap">
      <table className="poll-grid ballot-grid">
        <caption className="visually-hidden">Can you make each time?</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {MEETING_ANSWER_LABELS.map((a) => (
              <th scope="col" key={a.key}>
                {a.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {poll.options.map((o, i) => (
            <tr key={o.id} role="radiogroup" aria-label={optionLabel(o)}>
              <th scope="row">{optionLabel(o)}</th>
              {MEETING_ANSWER_LABELS.map((a) => (
                <td key={a.key} data-answer={a.key}>
                  <input
                    type="radio"
                    name={`${base}-${i}`}
                    aria-label={`${a.label} for ${optionLabel(o)}`}
                    checked={draft.values[o.id] === a.value}
                    onChange={() => onChange(setValue(draft, o.id, a.value))}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LEGENDS: Record<PollDto['kind'], string> = {
  proposal: 'Your position',
  single_choice: 'Your choice',
  multiple_choice: 'Your choices',
  score: 'Your scores',
  ranked_choice: 'Your ranking, first choice at the top',
  dot_vote: 'Your dots',
  meeting_time: 'Which times can you make?',
  count: 'Are you in?',
};

function hintOf(poll: PollDto): string | null {
  const s = effectiveSettings(rulesOf(poll));
  switch (poll.kind) {
    case 'multiple_choice':
      return s.minChoices === s.maxChoices
        ? `Choose ${s.minChoices}.`
        : `Choose ${s.minChoices} to ${s.maxChoices}.`;
    case 'score':
      return `Score each option from ${s.minScore} to ${s.maxScore}.`;
    case 'ranked_choice':
      return 'Use the arrows to move an option up or down.';
    case 'dot_vote':
      return `Spread up to ${plural(s.dotsPerPerson, 'dot')} over the options.`;
    case 'count':
      return poll.settings.threshold === null
        ? null
        : `It goes ahead if ${poll.settings.threshold} or more are in.`;
    default:
      return null;
  }
}

/** The ballot of any kind, in a fieldset whose legend says what to do. */
export function Ballot(props: BallotProps) {
  const id = useId();
  const hint = hintOf(props.poll);
  const Inputs = {
    proposal: OneOf,
    single_choice: OneOf,
    count: Count,
    multiple_choice: SomeOf,
    score: Scores,
    ranked_choice: Ranking,
    dot_vote: Dots,
    meeting_time: MeetingTimes,
  }[props.poll.kind];
  return (
    <fieldset
      className="ballot"
      aria-describedby={
        `${hint ? `${id}-hint` : ''} ${props.error ? `${id}-error` : ''}`.trim() || undefined
      }
      aria-invalid={props.error ? true : undefined}
    >
      <legend>{LEGENDS[props.poll.kind]}</legend>
      {hint && (
        <p className="hint muted small" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <Inputs {...props} />
      {props.error && (
        <div className="field-error" id={`${id}-error`}>
          {props.error}
        </div>
      )}
    </fieldset>
  );
}
