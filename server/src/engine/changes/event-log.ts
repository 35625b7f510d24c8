/**
 * The change-event history behind change streams. Every committed write gets a
 * contiguous sequence number; a stream's position is "everything up to seq P
 * consumed". History is bounded by age and count; a position older than what is
 * kept can no longer be resumed (ChangeStreamHistoryLost).
 */
import type { Document, Timestamp } from 'bson';

export type OperationType =
  | 'insert'
  | 'update'
  | 'replace'
  | 'delete'
  | 'drop'
  | 'dropDatabase'
  | 'rename'
  | 'create'
  | 'createIndexes'
  | 'dropIndexes'
  | 'modify';

/** DDL events only streams opened with showExpandedEvents see. */
const EXPANDED_ONLY: ReadonlySet<OperationType> = new Set([
  'create',
  'createIndexes',
  'dropIndexes',
  'modify',
]);

/** Whether only showExpandedEvents streams see `event` (catalog events, and the drop of a view). */
export function isExpandedOnly(event: Pick<ChangeEvent, 'op' | 'view'>): boolean {
  return EXPANDED_ONLY.has(event.op) || event.view === true;
}

export interface UpdateDescription {
  updatedFields: Document;
  removedFields: string[];
  truncatedArrays: Array<{ field: string; newSize: number }>;
  /** Ambiguous paths split into their steps (shown with showExpandedEvents). */
  disambiguatedPaths?: Document;
}

export interface ChangeEvent {
  seq: number;
  ts: Timestamp;
  wallTime: Date;
  op: OperationType;
  db: string;
  coll?: string;
  /** The document's _id (documentKey) for data events. */
  id?: unknown;
  /** Full document for insert and replace. */
  doc?: Document;
  ud?: UpdateDescription;
  lsid?: Document;
  txnNumber?: unknown;
  /** The collection's UUID (collectionUUID, shown with showExpandedEvents). */
  uuid?: Uint8Array;
  /** DDL details (operationDescription). */
  desc?: Document;
  /** rename: the new namespace. */
  to?: { db: string; coll: string };
  /** modify: the collection's options and the index before the change (stateBeforeChange). */
  before?: Document;
  /** The event concerns a view (its drop is shown to showExpandedEvents streams only). */
  view?: boolean;
  /** Pre- and post-images, kept when the collection has changeStreamPreAndPostImages enabled. */
  pre?: Document;
  post?: Document;
}

export interface RetentionOptions {
  /** Events older than this are forgotten. */
  maxAgeMs: number;
  /**
   * At most this many events are kept. The catalog events only showExpandedEvents
   * streams see (create, createIndexes, dropIndexes, modify) are tiny and rare and do
   * not count: an application creating its indexes must not push document changes out.
   */
  maxEvents: number;
}

export class EventLog {
  private events: ChangeEvent[] = [];
  private head = 0;
  /** Kept events that count against maxEvents. */
  private counted = 0;
  private waiters = new Set<() => void>();
  /** Highest seq that has been forgotten; positions below it cannot resume. */
  lostThrough = 0;
  nextSeq = 1;

  constructor(private retention: RetentionOptions) {}

  get latest(): number {
    return this.nextSeq - 1;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  append(event: Omit<ChangeEvent, 'seq'>): ChangeEvent {
    const full = { ...event, seq: this.nextSeq++ };
    this.events.push(full);
    if (!isExpandedOnly(full)) this.counted++;
    return full;
  }

  /** Restores history (from a snapshot) in seq order. */
  restore(events: ChangeEvent[], nextSeq: number, lostThrough: number): void {
    this.events = events;
    this.head = 0;
    this.counted = events.filter((event) => !isExpandedOnly(event)).length;
    this.nextSeq = nextSeq;
    this.lostThrough = lostThrough;
  }

  /** Whether a stream positioned at `position` can continue without a gap. */
  canResumeFrom(position: number): boolean {
    return position >= this.lostThrough && position <= this.latest;
  }

  /** Events with seq > position, at most `limit`. */
  after(position: number, limit: number): ChangeEvent[] {
    const first = this.events[this.head]?.seq ?? this.nextSeq;
    const start = this.head + Math.max(0, position + 1 - first);
    return this.events.slice(start, Math.min(this.events.length, start + limit));
  }

  /** The event at `seq`, if still kept. */
  get(seq: number): ChangeEvent | undefined {
    const first = this.events[this.head]?.seq;
    if (first === undefined || seq < first) return undefined;
    return this.events[this.head + seq - first];
  }

  /** The position just before the first event at or after cluster time `ts`; null if history before it was lost. */
  positionBefore(ts: Timestamp): number | null {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].ts.compare(ts) < 0) lo = mid + 1;
      else hi = mid;
    }
    const position = lo < this.events.length ? this.events[lo].seq - 1 : this.latest;
    return position >= this.lostThrough ? position : null;
  }

  /** Kept events, oldest first (for snapshots). */
  all(): ChangeEvent[] {
    return this.events.slice(this.head);
  }

  /** Forgets what the retention no longer covers. */
  trim(now = Date.now()): void {
    const oldest = now - this.retention.maxAgeMs;
    let overflow = this.counted - this.retention.maxEvents;
    while (this.head < this.events.length) {
      const event = this.events[this.head];
      if (overflow <= 0 && event.wallTime.getTime() >= oldest) break;
      this.lostThrough = event.seq;
      this.head++;
      if (!isExpandedOnly(event)) {
        this.counted--;
        overflow--;
      }
    }
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Wakes every stream waiting for new events. */
  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at the next notify, after `timeoutMs`, or when one of `signals` aborts. */
  wait(timeoutMs: number, signals: AbortSignal[] = []): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        for (const signal of signals) signal.removeEventListener('abort', done);
        resolve();
      };
      if (signals.some((signal) => signal.aborted)) return resolve();
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      for (const signal of signals) signal.addEventListener('abort', done, { once: true });
    });
  }
}
