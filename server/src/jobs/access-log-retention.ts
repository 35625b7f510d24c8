/**
 * Deletes access-log days past their retention (P4: raw addresses are kept
 * "for a short amount of time ... and deleted automatically"). A day's file is
 * kept while the day is within the last `retentionDays` days (UTC), today
 * included; older files go at the next tick. Only files named like the access
 * log's days are touched, whatever else the directory holds.
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ACCESS_LOG_PATTERN } from '../http/access-log.js';
import type { Logger } from '../logger.js';
import { startPeriodicJob, type PeriodicJob } from './periodic.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the file of `day` (YYYY-MM-DD) is past `retentionDays` at `now`. */
export function isExpiredDay(day: string, retentionDays: number, now: Date): boolean {
  const dayStart = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(dayStart)) return false;
  const todayStart = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  return todayStart - dayStart >= retentionDays * DAY_MS;
}

/** Deletes the expired day files in `dir`; returns their names. A missing directory has none. */
export async function deleteExpiredAccessLogs(
  dir: string,
  retentionDays: number,
  now: Date = new Date(),
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const expired = names.filter((name) => {
    const day = ACCESS_LOG_PATTERN.exec(name)?.[1];
    return day !== undefined && isExpiredDay(day, retentionDays, now);
  });
  for (const name of expired) {
    await unlink(path.join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      // Another process may have deleted it first.
      if (error.code !== 'ENOENT') throw error;
    });
  }
  return expired;
}

export type AccessLogRetention = PeriodicJob;

export interface AccessLogRetentionOptions {
  dir: string;
  retentionDays: number;
  /** Pause between ticks; hourly is plenty for a daily file. */
  intervalMs?: number;
  logger?: Logger;
}

/** Deletes expired logs at once and then every `intervalMs`, until stopped. */
export function startAccessLogRetention(options: AccessLogRetentionOptions): AccessLogRetention {
  return startPeriodicJob({
    name: 'access log retention',
    intervalMs: options.intervalMs ?? 60 * 60 * 1000,
    logger: options.logger,
    level: 'info',
    work: async () => {
      const deleted = await deleteExpiredAccessLogs(options.dir, options.retentionDays);
      return deleted.length > 0 ? `deleted ${deleted.length} expired file(s)` : null;
    },
  });
}
