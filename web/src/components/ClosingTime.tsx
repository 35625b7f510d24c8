import { zonedTime } from '../lib/zoned-time.js';
import { RelativeTime } from './RelativeTime.js';

/**
 * When something closes, exactly and in the reader's time zone with the zone
 * named ("Tue 9 Dec, 18:00 CET"), then how far off it is ("in 2 days").
 */
export function ClosingTime({ iso }: { iso: string }) {
  return (
    <span className="closing-time">
      <time dateTime={iso}>{zonedTime(iso)}</time>{' '}
      <span className="closing-time-left">
        (<RelativeTime iso={iso} />)
      </span>
    </span>
  );
}
