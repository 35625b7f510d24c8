/**
 * Start times of meeting polls. Parsed by hand rather than by `Date.parse`,
 * which accepts impossible dates (February 30th becomes March 1st) and differs
 * between JavaScript engines: the server and every browser must agree on
 * which times are valid and on the instant each one names.
 */

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The instant (milliseconds since the epoch) an ISO-8601 date-time names, or
 * null when it is not one. A time zone (`Z` or `+hh:mm`) is required: without
 * one, each viewer's browser would read a different instant.
 */
export function parseStartsAt(text: string): number | null {
  const match = ISO_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const millis = match[7] === undefined ? 0 : Math.floor(Number(`0.${match[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const midnight = new Date(0).setUTCFullYear(year, month - 1, day);
  const sinceMidnight = ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
  return midnight + sinceMidnight;
}
