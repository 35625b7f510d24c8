/**
 * Exact times in the reader's own time zone, with the zone named ("Tue 9 Dec,
 * 18:00 CET"), for moments people plan around, such as a poll's closing. The
 * locale and zone are the browser's; tests pass their own.
 */

export interface ZoneOptions {
  /** A BCP 47 locale; the browser's when unset. */
  locale?: string;
  /** An IANA time zone; the browser's when unset. */
  timeZone?: string;
}

/**
 * "Tue 9 Dec, 18:00 CET" (in the reader's locale and zone; the year is added
 * when it is not the current one).
 */
export function zonedTime(iso: string, options: ZoneOptions = {}, now = Date.now()): string {
  const at = new Date(iso);
  const zone = options.timeZone;
  const yearOf = (d: Date) =>
    new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone }).format(d);
  return new Intl.DateTimeFormat(options.locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: yearOf(at) === yearOf(new Date(now)) ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: zone,
  }).format(at);
}

/** The reader's time zone, as "Europe/Paris (CET)": where datetime fields are read. */
export function zoneName(options: ZoneOptions = {}, now = Date.now()): string {
  const format = new Intl.DateTimeFormat(options.locale, {
    timeZoneName: 'short',
    timeZone: options.timeZone,
  });
  const short = format.formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const id = format.resolvedOptions().timeZone;
  return short && short !== id ? `${id} (${short})` : id;
}
