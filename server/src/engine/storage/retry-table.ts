/**
 * The engine's config.transactions: per logical session, the txnNumber of its
 * latest retryable write and the result of every statement that write executed.
 * Entries reach it only through the catalog's commit path (in the same journal
 * record as the statement's write) or from the journal and snapshot at recovery,
 * so a write and the memory that it happened cannot be separated by a crash.
 */
import type { Document } from 'bson';

/** mongod's localLogicalSessionTimeoutMinutes default: a session idle this long is gone. */
export const SESSION_TIMEOUT_MS = 30 * 60_000;

/** The write commands whose statements are recorded. */
export type StatementKind = 'insert' | 'update' | 'delete' | 'findAndModify';

/** What an executed statement did, like the type of the oplog entry mongod keeps for it. */
export interface RecordedStatement {
  /** What the statement answered (for findAndModify, the whole reply with its image). */
  result: Document;
  /** The command it belonged to (absent in records journaled before this was kept). */
  kind?: StatementKind;
  /** The write it made, if any (a replacement counts as an update). */
  wrote?: 'insert' | 'update' | 'delete';
  /** The _id of the document it inserted (an insert or an upsert). */
  insertedId?: unknown;
}

/** One executed statement, as journaled with its write. */
export interface RetryRecord extends RecordedStatement {
  lsid: Document;
  txnNumber: number;
  stmtId: number;
}

export interface SessionWrites {
  lsid: Document;
  txnNumber: number;
  /** Wall-clock ms of the session's last use; the entry expires SESSION_TIMEOUT_MS after it. */
  lastUsed: number;
  results: Map<number, RecordedStatement>;
}

/** The key a session is known by: its lsid's UUID bytes in hex. */
export function sessionKey(lsid: Document): string {
  const id = lsid.id as { buffer?: Uint8Array; toString(encoding?: string): string } | undefined;
  if (id?.buffer) return Buffer.from(id.buffer).toString('hex');
  return JSON.stringify(lsid);
}

export class RetryTable {
  private readonly sessions = new Map<string, SessionWrites>();

  get(lsid: Document): SessionWrites | undefined {
    return this.sessions.get(sessionKey(lsid));
  }

  /** Remembers an executed statement; a newer txnNumber replaces what the session held. */
  note(record: RetryRecord, at: number): void {
    const key = sessionKey(record.lsid);
    let entry = this.sessions.get(key);
    if (!entry || entry.txnNumber < record.txnNumber) {
      entry = { lsid: record.lsid, txnNumber: record.txnNumber, lastUsed: at, results: new Map() };
      this.sessions.set(key, entry);
    } else if (entry.txnNumber > record.txnNumber) return;
    const { result, kind, wrote, insertedId } = record;
    entry.results.set(record.stmtId, { result, kind, wrote, insertedId });
    entry.lastUsed = Math.max(entry.lastUsed, at);
  }

  /**
   * Makes `txnNumber` the session's active one before any statement of it ran
   * (in memory, like mongod's session state: only executed statements are durable).
   */
  advance(lsid: Document, txnNumber: number, now = Date.now()): void {
    const entry = this.sessions.get(sessionKey(lsid));
    if (entry && entry.txnNumber >= txnNumber) return;
    this.sessions.set(sessionKey(lsid), { lsid, txnNumber, lastUsed: now, results: new Map() });
  }

  /** Any command in the session keeps its entry alive. */
  touch(lsid: Document, now = Date.now()): void {
    const entry = this.sessions.get(sessionKey(lsid));
    if (entry) entry.lastUsed = Math.max(entry.lastUsed, now);
  }

  /** Forgets sessions idle longer than the logical session timeout. */
  sweep(now = Date.now()): void {
    for (const [key, entry] of this.sessions)
      if (now - entry.lastUsed > SESSION_TIMEOUT_MS) this.sessions.delete(key);
  }

  entries(): Iterable<SessionWrites> {
    return this.sessions.values();
  }

  /** Loads one entry from a snapshot. */
  restore(entry: SessionWrites): void {
    this.sessions.set(sessionKey(entry.lsid), entry);
  }

  get size(): number {
    return this.sessions.size;
  }
}
