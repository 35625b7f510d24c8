import { useState, type FormEvent } from 'react';
import type { MeetingDto } from '../../../../shared/meetings.js';
import { useAction } from '../../lib/use-action.js';
import { act } from '../../realtime/meeting.js';
import { Field, FormError, fieldError, formError } from '../Form.js';
import { formatMinutes } from './group-choices.js';

const FIELD = 'action.speakingCapSeconds';

function CapForm({ meeting }: { meeting: MeetingDto }) {
  const cap = meeting.speakingCapSeconds;
  const [minutes, setMinutes] = useState(cap === null ? '' : String(cap / 60));
  const { busy, error, run } = useAction();
  const set = (speakingCapSeconds: number | null) =>
    void run(() => act(meeting.id, { type: 'settings', speakingCapSeconds }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set(Math.round(Number(minutes || 0) * 60));
  };
  return (
    <form className="speaking-cap" onSubmit={submit} noValidate aria-label="Speaking time">
      <FormError message={formError(error, [FIELD])} />
      <div className="speaking-cap-row">
        <Field
          label="Cap per speaker (minutes)"
          type="number"
          inputMode="decimal"
          min={0.5}
          max={60}
          step="any"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          error={fieldError(error, FIELD)}
          frameClassName="speaking-cap-field"
        />
        <button type="submit" className="small secondary" disabled={busy}>
          Set cap
        </button>
        {cap !== null && (
          <button
            type="button"
            className="small secondary"
            disabled={busy}
            onClick={() => set(null)}
          >
            No cap
          </button>
        )}
      </div>
      <p className="small muted speaking-cap-now">
        {cap === null
          ? 'No cap: speakers’ timers count up.'
          : `${formatMinutes(cap / 60)} per speaker, the current one included.`}
      </p>
    </form>
  );
}

/** Facilitators cap each speaker's time (the current speaker's turn takes it at once) or lift the cap. */
export function SpeakingCap({ meeting }: { meeting: MeetingDto }) {
  // A cap changed elsewhere (another facilitator) resets what the field shows.
  return <CapForm key={String(meeting.speakingCapSeconds)} meeting={meeting} />;
}
