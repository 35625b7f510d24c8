/**
 * How much one socket may ask of the server, and the per-socket bookkeeping
 * that enforces it (used by client-events.ts, the one place client events
 * enter). A signed-out socket sending a few thousand `discussion:watch` once
 * kept the server busy enough that `/api/health` failed and memory tripled;
 * these bounds make the work one socket can cause small and steady:
 *
 * - A token bucket per socket, shared by all its events: `burst` tokens,
 *   refilled at `refillPerSecond`, each event costing `costs[event]` (a watch
 *   reads the database and joins rooms; an unwatch only leaves rooms). Some
 *   events also have a bucket of their own (`perEvent`), e.g. typing.
 * - At most `maxInFlight` events of a socket are being handled at once, so a
 *   slow database cannot let refilled tokens pile up work.
 * - Refused events are strikes, in a bucket of their own: a socket that keeps
 *   sending past its allowance (`strikes.burst` refusals, one forgiven per
 *   `1 / strikes.perSecond` s) is told why and disconnected.
 * - A socket watches at most `maxWatchedDiscussions` discussions and
 *   `maxWatchedGroups` groups (rooms, index entries and presence records
 *   grow with them).
 *
 * A normal client spends a few tokens on each screen change (unwatch 1,
 * watch 2) and about 12 on a reconnect that re-watches three discussions and
 * three groups: far below the limits.
 */
import type { ClientToServerEvents } from '../../../shared/events.js';
import { TokenBucket } from './token-bucket.js';

export type ClientEvent = keyof ClientToServerEvents;

/** A steady rate with a burst allowance. */
export interface Rate {
  burst: number;
  perSecond: number;
}

export interface SocketLimits extends Rate {
  /** Tokens each client event costs; every event of the contract must be priced. */
  costs: Record<ClientEvent, number>;
  /** What an event name outside the contract costs (it is refused, but still counted). */
  unknownCost: number;
  /** Events with a rate of their own, on top of the shared bucket. */
  perEvent: Partial<Record<ClientEvent, Rate>>;
  /** Events of one socket being handled at once. */
  maxInFlight: number;
  /** Refused events tolerated before the socket is disconnected. */
  strikes: Rate;
  maxWatchedDiscussions: number;
  maxWatchedGroups: number;
}

/** The limits every socket gets (documented in the README's "Live updates" section). */
export const DEFAULT_SOCKET_LIMITS: Readonly<SocketLimits> = {
  burst: 40,
  perSecond: 10,
  costs: {
    'discussion:watch': 2,
    'discussion:unwatch': 1,
    'group:watch': 2,
    'group:unwatch': 1,
    'discussion:typing': 1,
    'moderation:watch': 2,
    'moderation:unwatch': 1,
  },
  unknownCost: 1,
  // A client repeats `typing: true` every few seconds while typing.
  perEvent: { 'discussion:typing': { burst: 5, perSecond: 5 } },
  maxInFlight: 8,
  strikes: { burst: 20, perSecond: 1 },
  maxWatchedDiscussions: 20,
  maxWatchedGroups: 20,
};

/** The answer to one incoming event. */
export type Admission =
  | { admitted: true }
  | {
      admitted: false;
      retryAfterMs: number;
      /** Past the strikes: disconnect the socket. */ flooding: boolean;
    };

/** One socket's allowance: its buckets, its strikes and what it has in flight. */
export class SocketGuard {
  private readonly shared: TokenBucket;
  private readonly own = new Map<string, TokenBucket>();
  private readonly strikes: TokenBucket;
  private inFlight = 0;
  /** `discussion:<id>` / `group:<id>` being watched right now (not yet in a room). */
  readonly pendingWatches = new Set<string>();

  constructor(readonly limits: Readonly<SocketLimits>) {
    this.shared = new TokenBucket(limits.burst, limits.perSecond);
    this.strikes = new TokenBucket(limits.strikes.burst, limits.strikes.perSecond);
  }

  /** Whether an event may be handled now; an admitted event must be followed by `done()`. */
  admit(event: string): Admission {
    const known = Object.hasOwn(this.limits.costs, event);
    const cost = known ? this.limits.costs[event as ClientEvent] : this.limits.unknownCost;
    const own = known ? this.bucketOf(event as ClientEvent) : null;
    let wait = Math.max(this.shared.wait(cost), own?.wait(cost) ?? 0);
    if (wait === 0 && this.inFlight >= this.limits.maxInFlight)
      wait = Math.ceil(1000 / this.limits.perSecond);
    if (wait === 0) {
      this.shared.take(cost);
      own?.take(cost);
      this.inFlight++;
      return { admitted: true };
    }
    const retryAfterMs = Number.isFinite(wait) ? wait : 1000;
    return { admitted: false, retryAfterMs, flooding: !this.strikes.take(1) };
  }

  /** An admitted event has been answered. */
  done(): void {
    this.inFlight--;
  }

  private bucketOf(event: ClientEvent): TokenBucket | null {
    const rate = this.limits.perEvent[event];
    if (!rate) return null;
    let bucket = this.own.get(event);
    if (!bucket) this.own.set(event, (bucket = new TokenBucket(rate.burst, rate.perSecond)));
    return bucket;
  }
}
