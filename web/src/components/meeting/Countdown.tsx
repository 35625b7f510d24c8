import { useEffect, useState } from 'react';
import { timerRemainingMs, timerElapsedMs, type TimerDto } from '../../../../shared/meetings.js';
import { useStore } from '../../store/index.js';

/** m:ss (with a minus sign once overrun). */
export function formatClock(ms: number): string {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const text = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  return negative ? `−${text}` : text;
}

/** The server's clock as this client estimates it, re-read four times a second. */
function useServerNow(): number {
  const offset = useStore((s) => s.clockOffset);
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [offset]);
  return now;
}

type Phase = 'running' | 'last_minute' | 'overrun';

/**
 * A server-authoritative timer shown from the server's clock. Screen readers
 * hear only its changes of phase (the last minute, the overrun), politely,
 * never every second; the ticking digits are hidden from them.
 */
export function Countdown({
  timer,
  label,
  large = false,
}: {
  timer: TimerDto;
  label: string;
  large?: boolean;
}) {
  const now = useServerNow();
  const remaining = timerRemainingMs(timer, now);
  const shown = remaining ?? timerElapsedMs(timer, now);
  const phase: Phase =
    remaining === null
      ? 'running'
      : remaining < 0
        ? 'overrun'
        : remaining <= 60_000
          ? 'last_minute'
          : 'running';
  const announcement =
    phase === 'overrun'
      ? `${label}: time is up, now overrunning.`
      : phase === 'last_minute'
        ? `${label}: one minute left.`
        : '';
  return (
    <div className={`countdown${large ? ' large' : ''}`} data-phase={phase}>
      <span className="countdown-label">{label}</span>
      <span className="countdown-digits" aria-hidden="true">
        {formatClock(shown)}
      </span>
      <span className="visually-hidden">
        {remaining === null ? 'elapsed' : 'remaining'} {formatClock(shown)}
        {timer.runningSince === null ? ', paused' : ''}
      </span>
      {timer.runningSince === null && <span className="pill warn">Paused</span>}
      <span className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </span>
    </div>
  );
}
