/** Runs operations one after another per key (a socket's presence, a discussion's recount). */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  push(key: string, op: () => Promise<unknown>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(op).then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }

  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
