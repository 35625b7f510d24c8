/**
 * Starting a poll of any kind: its question, options (fixed ones shown for
 * proposals and count polls), the settings of its kind and the settings every
 * poll has. The shared `validateRules` checks it before sending, and the
 * server's field errors show at the field they name.
 */
import { useId, useState, type FormEvent } from 'react';
import type { PollDto } from '../../../../shared/dto.js';
import { POLL_KINDS, type HideResults, type PollKind } from '../../../../shared/domain.js';
import {
  POLL_DEFAULTS,
  defaultOptions,
  validateRules,
  type PollRules,
} from '../../../../shared/polls.js';
import { ApiError } from '../../api/client.js';
import { createPoll, type NewPollInput } from '../../data/polls.js';
import { Field, FormError, TextAreaField } from '../Form.js';
import { zoneName } from '../../lib/zoned-time.js';
import { OptionsEditor, newOptionRow, type OptionRow } from './OptionsEditor.js';
import {
  KIND_HINTS,
  KIND_LABELS,
  fieldPath,
  formatMeetingTime,
  isoToLocal,
  localToIso,
} from './poll-text.js';

const NUMBER_FIELDS = [
  'minChoices',
  'maxChoices',
  'minScore',
  'maxScore',
  'dotsPerPerson',
  'threshold',
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];

const KNOWN_FIELDS = new Set<string>([
  'kind',
  'title',
  'details',
  'closesAt',
  'hideResults',
  ...NUMBER_FIELDS,
]);

const HIDE_CHOICES: { value: HideResults; label: string }[] = [
  { value: 'never', label: 'Show results as votes come in' },
  { value: 'until_voted', label: 'Hide results from each person until they vote' },
  { value: 'until_closed', label: 'Hide results until the poll closes' },
];

/** Which of the kind-specific settings each kind has. */
const KIND_SETTINGS: Partial<Record<PollKind, NumberField[]>> = {
  multiple_choice: ['minChoices', 'maxChoices'],
  score: ['minScore', 'maxScore'],
  dot_vote: ['dotsPerPerson'],
  count: ['threshold'],
};

const NUMBER_LABELS: Record<NumberField, { label: string; hint: string }> = {
  minChoices: { label: 'Fewest choices', hint: 'Leave empty for 1.' },
  maxChoices: { label: 'Most choices', hint: 'Leave empty for all options.' },
  minScore: { label: 'Lowest score', hint: `Leave empty for ${POLL_DEFAULTS.minScore}.` },
  maxScore: { label: 'Highest score', hint: `Leave empty for ${POLL_DEFAULTS.maxScore}.` },
  dotsPerPerson: {
    label: 'Dots per person',
    hint: `Leave empty for ${POLL_DEFAULTS.dotsPerPerson}.`,
  },
  threshold: { label: 'People needed', hint: 'It goes ahead once this many are in.' },
};

function capitalized(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function toNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

type Errors = Record<string, string>;

/** What "Closes" holds until someone changes it: empty for a proposal, else three days from now. */
function defaultClosing(kind: PollKind): string {
  return kind === 'proposal' ? '' : isoToLocal(new Date(Date.now() + 3 * 24 * 3600 * 1000));
}

export function NewPollForm({
  discussionId,
  onDone,
  onCancel,
}: {
  discussionId: string;
  onDone: (poll: PollDto) => void;
  onCancel: () => void;
}) {
  const kindName = useId();
  const [kind, setKind] = useState<PollKind>('proposal');
  const [title, setTitle] = useState('');
  const [details, setDetails] = useState('');
  const [choiceRows, setChoiceRows] = useState<OptionRow[]>(() => [newOptionRow(), newOptionRow()]);
  const [timeRows, setTimeRows] = useState<OptionRow[]>(() => [newOptionRow(), newOptionRow()]);
  const [numbers, setNumbers] = useState<Record<NumberField, string>>({
    minChoices: '',
    maxChoices: '',
    minScore: '',
    maxScore: '',
    dotsPerPerson: '',
    threshold: '5',
  });
  // A proposal stays open until someone closes it unless a time is chosen; other kinds need one.
  const [closesAt, setClosesAt] = useState('');
  const [closesTouched, setClosesTouched] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const [hideResults, setHideResults] = useState<HideResults>('never');
  const [reasonRequired, setReasonRequired] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formMessage, setFormMessage] = useState<string | undefined>();
  const [sending, setSending] = useState(false);

  const fixed = defaultOptions(kind);
  const meeting = kind === 'meeting_time';
  const rows = meeting ? timeRows : choiceRows;
  const errorAt = (field: string) => errors[field];
  /** Forgets the errors of a field (and, for `options`, of every option) once it is edited. */
  const clear = (prefix: string) =>
    setErrors((held) => {
      const keys = Object.keys(held).filter((k) => k === prefix || k.startsWith(`${prefix}.`));
      if (keys.length === 0) return held;
      const next = { ...held };
      for (const k of keys) delete next[k];
      return next;
    });

  function buildInput(): NewPollInput {
    const input: NewPollInput = {
      kind,
      title: title.trim(),
      details: details.trim(),
      closesAt: localToIso(closesAt),
      anonymous,
      hideResults,
      reasonRequired,
    };
    if (!fixed) {
      input.options = rows.map((r) => {
        if (!meeting) return { label: r.label.trim() };
        const startsAt = localToIso(r.when);
        return startsAt === null
          ? { label: 'Time', startsAt: '' }
          : { label: formatMeetingTime(Date.parse(startsAt)), startsAt };
      });
    }
    for (const field of KIND_SETTINGS[kind] ?? []) {
      const value = toNumber(numbers[field]);
      if (value !== undefined) input[field] = value;
    }
    return input;
  }

  /** The problems the client can see itself, keyed like the server's fields. */
  function check(input: NewPollInput): Errors {
    const found: Errors = {};
    if (input.title === '') found.title = 'Give the poll a title.';
    if (input.closesAt === null && kind !== 'proposal')
      found.closesAt = 'Choose when the poll closes.';
    else if (input.closesAt !== null && Date.parse(input.closesAt) <= Date.now())
      found.closesAt = 'Choose a time in the future.';
    const rules: PollRules = {
      kind,
      options: fixed ?? (input.options ?? []).map((o, i) => ({ id: `o${i}`, ...o })),
    };
    for (const field of NUMBER_FIELDS) if (input[field] !== undefined) rules[field] = input[field];
    const problem = validateRules(rules);
    if (problem) {
      const field = fieldPath(problem.field);
      const message =
        meeting && field.endsWith('.startsAt') && problem.message.startsWith('must be an ISO')
          ? 'Choose a date and time.'
          : capitalized(
              problem.message.replace(
                /options\[(\d+)\]/g,
                (_, n: string) => `${meeting ? 'time' : 'option'} ${Number(n) + 1}`,
              ),
            );
      found[field] = field === 'options' ? `The options ${problem.message}.` : message;
    }
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = buildInput();
    const found = check(input);
    setErrors(found);
    setFormMessage(undefined);
    if (Object.keys(found).length > 0) return;
    setSending(true);
    try {
      onDone(await createPoll(discussionId, input));
    } catch (error) {
      if (error instanceof ApiError && error.field) {
        const field = fieldPath(error.field);
        if (KNOWN_FIELDS.has(field) || field.startsWith('options')) {
          setErrors({ [field]: capitalized(error.message) });
          return;
        }
      }
      setFormMessage(
        error instanceof ApiError ? error.message : 'Something went wrong. Please try again.',
      );
    } finally {
      setSending(false);
    }
  }

  const settingFields = KIND_SETTINGS[kind] ?? [];
  return (
    <form
      className="card new-poll"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${kindName}-title`}
    >
      <h2 id={`${kindName}-title`}>New poll</h2>
      <fieldset className="kind-picker">
        <legend>Kind of poll</legend>
        <div className="kind-grid">
          {POLL_KINDS.map((k) => (
            <label key={k} className="kind-tile" data-checked={k === kind || undefined}>
              <input
                type="radio"
                name={kindName}
                value={k}
                checked={k === kind}
                onChange={() => {
                  setKind(k);
                  setErrors({});
                  if (!closesTouched) setClosesAt(defaultClosing(k));
                }}
              />
              <span className="kind-tile-name">{KIND_LABELS[k]}</span>
              <span className="kind-tile-hint">{KIND_HINTS[k]}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <Field
        label={kind === 'proposal' ? 'Proposal' : 'Question'}
        type="text"
        value={title}
        maxLength={250}
        required
        onChange={(e) => {
          setTitle(e.target.value);
          clear('title');
        }}
        error={errorAt('title')}
      />
      <TextAreaField
        label="Details (optional)"
        formatting
        value={details}
        maxLength={20_000}
        rows={3}
        onChange={(e) => {
          setDetails(e.target.value);
          clear('details');
        }}
        error={errorAt('details')}
      />

      {fixed ? (
        <div className="field">
          <div className="field-label">Voters answer</div>
          <div className="row">
            {fixed.map((o) => (
              <span key={o.id} className="pill option-preview" data-option={o.id}>
                {o.label}
              </span>
            ))}
          </div>
          {errorAt('options') && <div className="field-error">{errorAt('options')}</div>}
        </div>
      ) : (
        <OptionsEditor
          rows={rows}
          onChange={(next) => {
            (meeting ? setTimeRows : setChoiceRows)(next);
            clear('options');
          }}
          meeting={meeting}
          errorAt={errorAt}
        />
      )}

      {settingFields.length > 0 && (
        <div className="settings-grid">
          {settingFields.map((field) => (
            <Field
              key={field}
              label={NUMBER_LABELS[field].label}
              hint={NUMBER_LABELS[field].hint}
              type="number"
              inputMode="numeric"
              step={1}
              value={numbers[field]}
              onChange={(e) => {
                setNumbers({ ...numbers, [field]: e.target.value });
                clear(field);
              }}
              error={errorAt(field)}
            />
          ))}
        </div>
      )}

      <Field
        label={kind === 'proposal' ? 'Closes (optional)' : 'Closes'}
        hint={`${
          kind === 'proposal'
            ? 'Leave empty to keep it open until someone closes it.'
            : closesTouched
              ? 'When voting ends.'
              : 'Three days from now unless you change it.'
        } Your time zone: ${zoneName()}.`}
        type="datetime-local"
        value={closesAt}
        onChange={(e) => {
          setClosesAt(e.target.value);
          setClosesTouched(true);
          clear('closesAt');
        }}
        error={errorAt('closesAt')}
      />

      <fieldset>
        <legend>Results</legend>
        {HIDE_CHOICES.map((c) => (
          <label key={c.value} className="check">
            <input
              type="radio"
              name={`${kindName}-hide`}
              checked={hideResults === c.value}
              onChange={() => setHideResults(c.value)}
            />
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>Votes</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={anonymous}
            onChange={(e) => setAnonymous(e.target.checked)}
          />
          <span>
            Anonymous votes
            <span className="muted small poll-check-hint">
              Nobody, coordinators included, can see who voted how. This cannot be undone.
            </span>
          </span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={reasonRequired}
            onChange={(e) => setReasonRequired(e.target.checked)}
          />
          <span>Ask every voter for a reason</span>
        </label>
      </fieldset>

      <FormError message={formMessage} />
      <div className="row">
        <button type="submit" disabled={sending}>
          {sending ? 'Starting…' : kind === 'proposal' ? 'Start proposal' : 'Start poll'}
        </button>
        <button type="button" className="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
