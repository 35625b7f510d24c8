/**
 * Open cursors: the rest of a find or aggregate result waiting for getMore, or a
 * change stream. Ids are random positive int64 values (never reused); idle cursors
 * are reaped after ten minutes, as mongod does.
 */
import { randomBytes } from 'node:crypto';
import { Long, calculateObjectSize, type Document } from 'bson';
import type { ChangeStreamCursor } from './changes/change-stream.js';

export const IDLE_CURSOR_MS = 10 * 60_000;
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

/** The session and transaction a cursor was opened in: getMore must come from the same ones. */
export interface CursorOrigin {
  session?: string;
  txnNumber?: number;
}

export interface DocumentCursor {
  kind: 'documents';
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
  owner: number;
  origin?: CursorOrigin;
}

export interface StreamCursor {
  kind: 'changeStream';
  ns: string;
  stream: ChangeStreamCursor;
  lastUsed: number;
  owner: number;
  origin?: CursorOrigin;
}

export type Cursor = DocumentCursor | StreamCursor;

export class CursorRegistry {
  private cursors = new Map<string, Cursor>();

  open(cursor: Cursor): Long {
    let id: Long;
    do id = Long.fromBytesLE([...randomBytes(8)]).and(Long.MAX_VALUE);
    while (id.isZero() || this.cursors.has(id.toString()));
    this.cursors.set(id.toString(), cursor);
    return id;
  }

  get(id: unknown): Cursor | undefined {
    const cursor = this.cursors.get(String(id));
    if (cursor) cursor.lastUsed = Date.now();
    return cursor;
  }

  kill(id: unknown): boolean {
    const key = String(id);
    const cursor = this.cursors.get(key);
    if (!cursor) return false;
    if (cursor.kind === 'changeStream') cursor.stream.close();
    return this.cursors.delete(key);
  }

  reapIdle(now = Date.now()): void {
    for (const [key, cursor] of this.cursors)
      if (now - cursor.lastUsed > IDLE_CURSOR_MS) this.kill(key);
  }

  closeAll(): void {
    for (const key of [...this.cursors.keys()]) this.kill(key);
  }
}

/** Takes the next batch from a document cursor, bounded by count and by reply size. */
export function takeBatch(cursor: DocumentCursor, batchSize: number | undefined): Document[] {
  const limit = batchSize && batchSize > 0 ? batchSize : Infinity;
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.position];
    bytes += approximateSize(doc);
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(doc);
    cursor.position++;
  }
  return batch;
}

function approximateSize(doc: Document): number {
  return calculateObjectSize(doc);
}

export function cursorReply(
  id: Long | number,
  ns: string,
  batch: Document[],
  first: boolean,
): Document {
  const cursorId = typeof id === 'number' ? Long.fromNumber(id) : id;
  return {
    cursor: first
      ? { firstBatch: batch, id: cursorId, ns }
      : { nextBatch: batch, id: cursorId, ns },
    ok: 1,
  };
}
