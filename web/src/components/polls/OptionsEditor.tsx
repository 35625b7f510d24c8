/**
 * The author's options of a poll: add, remove and reorder them; meeting polls
 * take a date and time per option. Errors arrive keyed by the API's field path
 * (`options.1.label`) and show beside the input they concern.
 */
import { useId } from 'react';
import { POLL_LIMITS } from '../../../../shared/polls.js';

export interface OptionRow {
  /** Local only: keeps React's keys stable while rows move. */
  key: string;
  label: string;
  /** meeting_time: a `datetime-local` value. */
  when: string;
}

let nextKey = 0;
export function newOptionRow(label = '', when = ''): OptionRow {
  nextKey += 1;
  return { key: `row-${nextKey}`, label, when };
}

interface Props {
  rows: OptionRow[];
  onChange: (rows: OptionRow[]) => void;
  meeting: boolean;
  errorAt: (field: string) => string | undefined;
}

export function OptionsEditor({ rows, onChange, meeting, errorAt }: Props) {
  const base = useId();
  const listError = errorAt('options');
  const update = (i: number, patch: Partial<OptionRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (from: number, to: number) => {
    const next = [...rows];
    const [row] = next.splice(from, 1);
    next.splice(to, 0, row);
    onChange(next);
  };
  const noun = meeting ? 'Time' : 'Option';
  return (
    <fieldset className="options-editor" aria-describedby={listError ? `${base}-error` : undefined}>
      <legend>{meeting ? 'Proposed times' : 'Options'}</legend>
      <ol className="options-rows">
        {rows.map((row, i) => {
          const field = `options.${i}.${meeting ? 'startsAt' : 'label'}`;
          const error = errorAt(field) ?? (meeting ? errorAt(`options.${i}.label`) : undefined);
          const inputId = `${base}-${row.key}`;
          return (
            <li key={row.key} className="options-row">
              <div className="options-row-main">
                <label htmlFor={inputId} className="visually-hidden">
                  {noun} {i + 1}
                </label>
                {meeting ? (
                  <input
                    id={inputId}
                    type="datetime-local"
                    value={row.when}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${inputId}-error` : undefined}
                    onChange={(e) => update(i, { when: e.target.value })}
                  />
                ) : (
                  <input
                    id={inputId}
                    type="text"
                    value={row.label}
                    maxLength={POLL_LIMITS.maxLabelLength}
                    placeholder={`${noun} ${i + 1}`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${inputId}-error` : undefined}
                    onChange={(e) => update(i, { label: e.target.value })}
                  />
                )}
                <div className="options-row-tools">
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Move ${noun.toLowerCase()} ${i + 1} up`}
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Move ${noun.toLowerCase()} ${i + 1} down`}
                    disabled={i === rows.length - 1}
                    onClick={() => move(i, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="danger small"
                    aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`}
                    disabled={rows.length <= 2}
                    onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  >
                    ✕
                  </button>
                </div>
              </div>
              {error && (
                <div className="field-error" id={`${inputId}-error`}>
                  {error}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {listError && (
        <div className="field-error" id={`${base}-error`}>
          {listError}
        </div>
      )}
      <button
        type="button"
        className="secondary small"
        disabled={rows.length >= POLL_LIMITS.maxOptions}
        onClick={() => onChange([...rows, newOptionRow()])}
      >
        Add {meeting ? 'a time' : 'an option'}
      </button>
    </fieldset>
  );
}
