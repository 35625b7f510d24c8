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
 * - A refused event sent before the previous refusal's `retryAfterMs` was up
 *   is a strike, in a bucket of its own: a socket that keeps sending past its
 *   allowance regardless (`strikes.burst` such refusals, one forgiven per
 *   `1 / strikes.perSecond` s) is told why and disconnected. A client that
 *   waits as told is only ever slowed down.
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
  /**
   * Events with a rate of their own, on top of the shared bucket: each such
   * event takes one token of its own bucket whatever its shared cost, and is
   * bounded by that rate instead of the in-flight cap (a collaborative update
   * waits for its durable write before its acknowledgement).
   */
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
    'meeting:watch': 2,
    'meeting:unwatch': 1,
    // A raised hand, a temperature tap, a facilitator's click.
    'meeting:act': 1,
    'clock:sync': 1,
    // Typing in a shared document: each keystroke is an update and a caret move, paced by
    // their own rates below rather than the shared allowance.
    'collab:open': 2,
    'collab:close': 1,
    'collab:sync': 0,
    'collab:awareness': 0,
  },
  unknownCost: 1,
  // A client repeats `typing: true` every few seconds while typing.
  perEvent: {
    'discussion:typing': { burst: 5, perSecond: 5 },
    'collab:open': { burst: 20, perSecond: 5 },
    // A paste or a reconnect sends a burst; a fast typist sends a few dozen a second at most.
    'collab:sync': { burst: 200, perSecond: 60 },
    'collab:awareness': { burst: 40, perSecond: 20 },
  },
  maxInFlight: 8,
  strikes: { burst: 20, perSecond: 1 },
  maxWatchedDiscussions: 20,
  maxWatchedGroups: 20,
};

/** The answer to one incoming event. */
export type Admission =
  | { admitted: true; /** Counts towards the in-flight cap until `done`. */ counted: boolean }
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
  /** Until when (by `now`) the last refusal asked this socket to wait. */
  private notBefore = 0;
  /** `discussion:<id>` / `group:<id>` being watched right now (not yet in a room). */
  readonly pendingWatches = new Set<string>();

  constructor(
    readonly limits: Readonly<SocketLimits>,
    /** The clock (tests drive it). */
    private readonly now: () => number = Date.now,
  ) {
    this.shared = new TokenBucket(limits.burst, limits.perSecond, now);
    this.strikes = new TokenBucket(limits.strikes.burst, limits.strikes.perSecond, now);
  }

  /** Whether an event may be handled now; an admitted event must be followed by `done()`. */
  admit(event: string): Admission {
    const known = Object.hasOwn(this.limits.costs, event);
    const cost = known ? this.limits.costs[event as ClientEvent] : this.limits.unknownCost;
    const own = known ? this.bucketOf(event as ClientEvent) : null;
    let wait = Math.max(this.shared.wait(cost), own?.wait(1) ?? 0);
    const counted = own === null;
    if (wait === 0 && counted && this.inFlight >= this.limits.maxInFlight)
      wait = Math.ceil(1000 / this.limits.perSecond);
    if (wait === 0) {
      this.shared.take(cost);
      own?.take(1);
      if (counted) this.inFlight++;
      return { admitted: true, counted };
    }
    const retryAfterMs = Number.isFinite(wait) ? wait : 1000;
    // A client that waited as it was told is paced, not flooding: only an event sent before
    // the last refusal's retryAfterMs was up counts as a strike.
    const now = this.now();
    const ignoredAdvice = now < this.notBefore;
    this.notBefore = Math.max(this.notBefore, now + retryAfterMs);
    return { admitted: false, retryAfterMs, flooding: ignoredAdvice && !this.strikes.take(1) };
  }

  /** An admitted event has been answered (`counted`: as its admission said). */
  done(counted: boolean): void {
    if (counted) this.inFlight--;
  }

  private bucketOf(event: ClientEvent): TokenBucket | null {
    const rate = this.limits.perEvent[event];
    if (!rate) return null;
    let bucket = this.own.get(event);
    if (!bucket)
      this.own.set(event, (bucket = new TokenBucket(rate.burst, rate.perSecond, this.now)));
    return bucket;
  }
}
