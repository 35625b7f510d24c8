/**
 * Recent history for snapshot reads (`readConcern: snapshot`, `atClusterTime`,
 * snapshot sessions): for every committed write of the last few minutes, the
 * document as it was before, and the cluster time of every commit. A read at
 * time T takes the last commit at or before T and, per document, the image
 * before the first later write. Like mongod's minSnapshotHistoryWindowInSeconds
 * the window is bounded (by age and by count); older reads get SnapshotTooOld.
 */
import type { Document, Timestamp } from 'bson';
import { EngineError } from '../errors.js';

interface Image {
  seq: number;
  ns: string;
  idKey: string;
  before: Document | null;
  at: number;
}

export interface HistoryOptions {
  /** How long images are kept (ms; mongod's default window is 300 s). */
  windowMs: number;
  /** At most this many images are kept; beyond it the oldest go first. */
  maxImages: number;
}

export class SnapshotHistory {
  private images: Image[] = [];
  private head = 0;
  /** ns -> idKey -> images in commit order. */
  private byNs = new Map<string, Map<string, Image[]>>();
  /** Commit seq and cluster time, in order, for the commits still covered. */
  private commits: Array<{ seq: number; ts: Timestamp; at: number }> = [];
  private commitHead = 0;
  /** Snapshots at a seq below this can no longer be rebuilt. */
  private oldestSeq: number;
  private oldestTs: Timestamp;
  /** Last create/drop/rename per namespace: reads from before it cannot see that collection's past. */
  private readonly catalogChanges = new Map<string, Timestamp>();

  constructor(
    startSeq: number,
    startTs: Timestamp,
    private options: HistoryOptions = { windowMs: 300_000, maxImages: 50_000 },
  ) {
    this.oldestSeq = startSeq;
    this.oldestTs = startTs;
  }

  /** Restarts the window at the catalog's current state (after recovery), optionally resized. */
  reset(seq: number, ts: Timestamp, options: Partial<HistoryOptions> = {}): void {
    this.options = { ...this.options, ...options };
    this.images = [];
    this.head = 0;
    this.byNs.clear();
    this.commits = [];
    this.commitHead = 0;
    this.oldestSeq = seq;
    this.oldestTs = ts;
    this.catalogChanges.clear();
  }

  commit(seq: number, ts: Timestamp): void {
    this.commits.push({ seq, ts, at: Date.now() });
  }

  record(seq: number, ns: string, idKey: string, before: Document | null): void {
    const image: Image = { seq, ns, idKey, before, at: Date.now() };
    this.images.push(image);
    let keys = this.byNs.get(ns);
    if (!keys) this.byNs.set(ns, (keys = new Map()));
    const list = keys.get(idKey);
    if (list) list.push(image);
    else keys.set(idKey, [image]);
    if (this.images.length - this.head > this.options.maxImages) this.prune();
  }

  catalogChange(ns: string, ts: Timestamp): void {
    this.catalogChanges.set(ns, ts);
    this.byNs.delete(ns);
  }

  /** Forgets what the window no longer covers. */
  prune(now = Date.now()): void {
    const cutoff = now - this.options.windowMs;
    while (this.head < this.images.length) {
      const image = this.images[this.head];
      const over = this.images.length - this.head > this.options.maxImages;
      if (!over && image.at >= cutoff) break;
      this.head++;
      this.oldestSeq = Math.max(this.oldestSeq, image.seq);
      const keys = this.byNs.get(image.ns);
      const list = keys?.get(image.idKey);
      if (list && list[0] === image) {
        list.shift();
        if (list.length === 0) keys!.delete(image.idKey);
      }
    }
    while (this.commitHead < this.commits.length) {
      const entry = this.commits[this.commitHead];
      if (entry.seq > this.oldestSeq && entry.at >= cutoff) break;
      this.oldestTs = entry.ts;
      this.oldestSeq = Math.max(this.oldestSeq, entry.seq);
      this.commitHead++;
    }
    if (this.head > 4096 && this.head * 2 > this.images.length) {
      this.images = this.images.slice(this.head);
      this.head = 0;
    }
    if (this.commitHead > 4096 && this.commitHead * 2 > this.commits.length) {
      this.commits = this.commits.slice(this.commitHead);
      this.commitHead = 0;
    }
  }

  /** The commit sequence a read at cluster time `ts` sees; throws SnapshotTooOld before the window. */
  seqAt(ts: Timestamp, latestSeq: number): number {
    if (ts.compare(this.oldestTs) < 0) throw tooOld(ts);
    let lo = this.commitHead;
    let hi = this.commits.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.commits[mid].ts.compare(ts) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const seq = lo === this.commitHead ? this.oldestSeq : this.commits[lo - 1].seq;
    if (seq < this.oldestSeq) throw tooOld(ts);
    return Math.min(seq, latestSeq);
  }

  /** Throws SnapshotUnavailable when `ns` was created, dropped or renamed after `ts`. */
  assertStable(ns: string, ts: Timestamp): void {
    const changed = this.catalogChanges.get(ns);
    if (changed && changed.compare(ts) > 0)
      throw new EngineError(
        246,
        'SnapshotUnavailable',
        `Unable to read from a snapshot due to pending collection catalog changes; please retry the operation. Snapshot timestamp is ${showTs(ts)}. Collection minimum is ${showTs(changed)}`,
      );
  }

  /** The document under `idKey` as of commit `seq`, given its current version. */
  versionAt(ns: string, idKey: string, seq: number, current: Document | null): Document | null {
    const list = this.byNs.get(ns)?.get(idKey);
    const image = list?.find((entry) => entry.seq > seq);
    return image ? image.before : current;
  }

  /** Whether the document under `idKey` was written after commit `seq`. */
  writtenAfter(ns: string, idKey: string, seq: number): boolean {
    const list = this.byNs.get(ns)?.get(idKey);
    return list !== undefined && list[list.length - 1].seq > seq;
  }

  /** Keys written after `seq` (documents deleted since still need examining). */
  changedSince(ns: string, seq: number): string[] {
    const out: string[] = [];
    for (const [key, list] of this.byNs.get(ns) ?? [])
      if (list[list.length - 1].seq > seq) out.push(key);
    return out;
  }
}

function tooOld(ts: Timestamp): EngineError {
  return new EngineError(
    239,
    'SnapshotTooOld',
    `Read timestamp ${showTs(ts)} is older than the oldest available timestamp.`,
  );
}

/** A cluster time as mongod prints it in messages. */
export function showTs(ts: Timestamp): string {
  return `Timestamp(${ts.high}, ${ts.low})`;
}
