/**
 * Journal records: one per commit (or DDL step), BSON-encoded. A record holds the
 * post-image of each written document, so replay is a plain "set or delete" that
 * also reproduces the change events with their original cluster times.
 */
import { deserialize, serialize, type Document, type Timestamp } from 'bson';
import type { UpdateDescription } from '../changes/event-log.js';
import type { IndexSpec } from './secondary-index.js';
import type { RetryRecord } from './retry-table.js';

export interface RecordOp {
  k:
    | 'insert'
    | 'update'
    | 'replace'
    | 'delete'
    | 'create'
    | 'drop'
    | 'dropDatabase'
    | 'createIndex'
    | 'dropIndex'
    | 'rename'
    | 'collMod';
  db: string;
  c?: string;
  id?: unknown;
  doc?: Document;
  ud?: UpdateDescription;
  options?: Document;
  uuid?: unknown;
  spec?: IndexSpec;
  name?: string;
  /** rename: the new namespace (an existing target is replaced). */
  toDb?: string;
  toC?: string;
  /** collMod: the index whose options change. */
  index?: { name: string; expireAfterSeconds?: number; hidden?: boolean };
}

export interface JournalRecord {
  ts: Timestamp;
  wall: Date;
  ops: RecordOp[];
  lsid?: Document;
  txnNumber?: unknown;
  /** The retryable-write statement this record's write (or no-op) executed. */
  retry?: RetryRecord;
}

export function encodeRecord(record: JournalRecord): Buffer {
  const bytes = serialize(record, { ignoreUndefined: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeRecord(buffer: Buffer): JournalRecord {
  return deserialize(buffer) as JournalRecord;
}
