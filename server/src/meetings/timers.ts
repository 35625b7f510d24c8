/**
 * Server-authoritative timers as pure functions of a stored timer and the
 * server's clock: start, pause, resume, add a minute. Nothing ticks on the
 * server; the stored numbers are the timer, so a restart resumes it exactly.
 */
import type { TimerDto } from '../../../shared/meetings.js';
import type { TimerRecord } from '../models/meeting.js';

/** A timer running from `now` (`durationMs` null counts up). */
export const startTimer = (durationMs: number | null, now: Date): TimerRecord => ({
  durationMs,
  elapsedMs: 0,
  runningSince: now,
});

export function pauseTimer(timer: TimerRecord, now: Date): TimerRecord {
  if (timer.runningSince === null) return timer;
  return {
    ...timer,
    elapsedMs: timer.elapsedMs + Math.max(0, now.getTime() - timer.runningSince.getTime()),
    runningSince: null,
  };
}

export const resumeTimer = (timer: TimerRecord, now: Date): TimerRecord =>
  timer.runningSince === null ? { ...timer, runningSince: now } : timer;

/** One more minute; a timer counting up is left as it is. */
export const addMinute = (timer: TimerRecord): TimerRecord =>
  timer.durationMs === null ? timer : { ...timer, durationMs: timer.durationMs + 60_000 };

export const presentTimer = (timer: TimerRecord): TimerDto => ({
  durationMs: timer.durationMs,
  elapsedMs: timer.elapsedMs,
  runningSince: timer.runningSince?.toISOString() ?? null,
});
