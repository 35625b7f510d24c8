/**
 * A token bucket: up to `burst` tokens, refilled continuously at `perSecond`.
 * It lets a client do a short burst of work and then a steady rate, without a
 * timer: tokens are counted from the clock when asked.
 */
export class TokenBucket {
  private tokens: number;
  private updated: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updated = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.updated) / 1000) * this.perSecond,
    );
    this.updated = now;
  }

  /** How long until `cost` tokens are there (ms, rounded up); 0 when they are there now. */
  wait(cost: number): number {
    this.refill();
    if (this.tokens >= cost) return 0;
    if (cost > this.burst || this.perSecond <= 0) return Infinity;
    return Math.ceil(((cost - this.tokens) / this.perSecond) * 1000);
  }

  /** Takes `cost` tokens if they are there; says whether it did. */
  take(cost: number): boolean {
    if (this.wait(cost) > 0) return false;
    this.tokens -= cost;
    return true;
  }
}
