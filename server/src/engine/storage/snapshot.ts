/**
 * A full image of the catalog and the retained change history, written when the
 * journal is compacted. Entries are tagged BSON documents so no single BSON
 * document has to hold a whole collection (BSON caps a document at 16 MB).
 */
import { deserialize, serialize, type Binary, type Document, type Timestamp } from 'bson';
import type { ChangeEvent } from '../changes/event-log.js';
import type { Catalog } from './catalog.js';
import { Collection } from './collection.js';
import { idKeyOf } from './bson-order.js';
import type { RecordedStatement } from './retry-table.js';

const HEADER = 0x48; // 'H'
const COLLECTION = 0x43; // 'C'
const DOCUMENT = 0x44; // 'D'
const EVENT = 0x45; // 'E'
const RETRY = 0x52; // 'R': one session's executed retryable-write statements

function entry(tag: number, doc: Document): Buffer {
  const body = serialize(doc, { ignoreUndefined: true });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

/** Serialises the catalog's state and its retained events. */
export function encodeSnapshot(catalog: Catalog): Buffer {
  const parts: Buffer[] = [
    entry(HEADER, {
      format: 1,
      seq: catalog.seq,
      ts: catalog.clusterTime,
      nextEventSeq: catalog.events.nextSeq,
      lostThrough: catalog.events.lostThrough,
    }),
  ];
  for (const colls of catalog.dbs.values()) {
    for (const coll of colls.values()) {
      parts.push(
        entry(COLLECTION, {
          db: coll.db,
          c: coll.name,
          options: coll.options,
          uuid: coll.uuid,
          indexes: [...coll.indexes.values()].map((index) => index.spec),
        }),
      );
      for (const doc of coll.docs.values()) parts.push(entry(DOCUMENT, doc));
    }
  }
  for (const event of catalog.events.all()) parts.push(entry(EVENT, event));
  for (const session of catalog.retries.entries()) {
    parts.push(
      entry(RETRY, {
        lsid: session.lsid,
        txnNumber: session.txnNumber,
        lastUsed: session.lastUsed,
        stmts: [...session.results].map(([id, statement]) => ({ id, ...statement })),
      }),
    );
  }
  return Buffer.concat(parts);
}

/** Loads a snapshot into an empty catalog. */
export function restoreSnapshot(catalog: Catalog, buffer: Buffer): void {
  let offset = 0;
  let current: Collection | null = null;
  let pendingIndexes: Document[] = [];
  const events: ChangeEvent[] = [];
  let header: Document | null = null;
  const finishCollection = () => {
    if (current) for (const spec of pendingIndexes) current.addIndex(spec as never);
    current = null;
    pendingIndexes = [];
  };
  while (offset < buffer.length) {
    const tag = buffer[offset];
    const size = buffer.readInt32LE(offset + 1);
    const doc = deserialize(buffer.subarray(offset + 1, offset + 1 + size));
    offset += 1 + size;
    if (tag === HEADER) header = doc;
    else if (tag === COLLECTION) {
      finishCollection();
      const coll = new Collection(
        doc.db,
        doc.c,
        doc.options ?? {},
        Buffer.from((doc.uuid as Binary).buffer),
      );
      let colls = catalog.dbs.get(coll.db);
      if (!colls) catalog.dbs.set(coll.db, (colls = new Map()));
      colls.set(coll.name, coll);
      current = coll;
      pendingIndexes = doc.indexes ?? [];
    } else if (tag === DOCUMENT) {
      current?.docs.set(idKeyOf(doc._id), doc);
    } else if (tag === EVENT) events.push(doc as ChangeEvent);
    else if (tag === RETRY) {
      const stmts = doc.stmts as Array<RecordedStatement & { id: number }>;
      catalog.retries.restore({
        lsid: doc.lsid as Document,
        txnNumber: doc.txnNumber as number,
        lastUsed: doc.lastUsed as number,
        results: new Map(stmts.map(({ id, ...statement }) => [id, statement])),
      });
    } else throw new Error(`snapshot: unknown entry tag ${tag} at offset ${offset}`);
  }
  finishCollection();
  if (!header) throw new Error('snapshot: missing header');
  catalog.seq = header.seq as number;
  catalog.advanceClock(header.ts as Timestamp);
  catalog.events.restore(events, header.nextEventSeq as number, header.lostThrough as number);
}
