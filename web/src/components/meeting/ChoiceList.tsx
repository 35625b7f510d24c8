import { useId, useState, type ReactNode } from 'react';

export interface Choice {
  id: string;
  label: string;
  /** Shown after the label (a role, a tag). */
  note?: ReactNode;
}

/**
 * A fieldset of checkboxes in a box that scrolls, with a filter once there
 * are more than a few: for naming facilitators among a group's members and
 * linking its discussions. `selected` keeps the order things were picked in.
 */
export function ChoiceList({
  legend,
  hint,
  error,
  choices,
  selected,
  onChange,
  empty,
}: {
  legend: string;
  hint?: ReactNode;
  error?: string;
  choices: Choice[];
  selected: string[];
  onChange: (next: string[]) => void;
  empty: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const wanted = filter.trim().toLowerCase();
  const shown = wanted
    ? choices.filter((c) => c.label.toLowerCase().includes(wanted) || selected.includes(c.id))
    : choices;
  const describedBy = `${hint ? `${id}-hint` : ''} ${error ? `${id}-error` : ''}`.trim();
  return (
    <fieldset
      className="choice-list"
      aria-describedby={describedBy || undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>{legend}</legend>
      {hint && (
        <div className="hint small muted" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {choices.length > 6 && (
        <input
          type="search"
          className="choice-filter"
          placeholder="Filter"
          aria-label={`Filter: ${legend}`}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {choices.length === 0 ? (
        <p className="small muted">{empty}</p>
      ) : (
        <div className="choice-box">
          {shown.map((choice) => (
            <label key={choice.id} className="check">
              <input
                type="checkbox"
                checked={selected.includes(choice.id)}
                onChange={(e) =>
                  onChange(
                    e.target.checked
                      ? [...selected, choice.id]
                      : selected.filter((s) => s !== choice.id),
                  )
                }
              />
              <span>
                {choice.label}
                {choice.note && <> {choice.note}</>}
              </span>
            </label>
          ))}
          {shown.length === 0 && <p className="small muted">Nothing matches.</p>}
        </div>
      )}
      {error && (
        <div className="error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </fieldset>
  );
}
