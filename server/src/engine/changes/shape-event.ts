/**
 * A change event as a client sees it, before the stream's own pipeline: the
 * fields mongod 7.0 gives each operation type, the DDL details only
 * showExpandedEvents streams get (collectionUUID, operationDescription,
 * disambiguatedPaths), and the full document before and after the change as
 * the stream's fullDocument / fullDocumentBeforeChange modes ask.
 */
import { Binary, Long, type Document } from 'bson';
import { EngineError } from '../errors.js';
import { idKeyOf } from '../storage/bson-order.js';
import type { Catalog } from '../storage/catalog.js';
import type { ChangeEvent } from './event-log.js';

export interface ShapeOptions {
  fullDocument: string;
  fullDocumentBeforeChange: string;
  showExpandedEvents: boolean;
}

/** Encodes a resume token (see change-stream.ts). */
export type TokenEncoder = (event: ChangeEvent) => Document;

function uuidOf(value: unknown): Binary | undefined {
  if (value instanceof Binary) return new Binary(value.buffer, Binary.SUBTYPE_UUID);
  if (value instanceof Uint8Array) return new Binary(value, Binary.SUBTYPE_UUID);
  return undefined;
}

function missingImage(kind: 'pre' | 'post', event: ChangeEvent, doc: Document): EngineError {
  const what = kind === 'pre' ? 'pre-image' : 'post-image';
  const events = kind === 'pre' ? 'update, delete and replace' : 'update';
  return new EngineError(
    47,
    'NoMatchingDocument',
    `Change stream was configured to require a ${what} for all ${events} events, but the ${what} was not found for event: ${JSON.stringify(
      { _id: doc._id, ns: doc.ns, documentKey: doc.documentKey, clusterTime: event.ts },
    )}`,
  );
}

function updateDescription(event: ChangeEvent, expanded: boolean): Document {
  const ud = event.ud ?? { updatedFields: {}, removedFields: [], truncatedArrays: [] };
  const out: Document = {
    updatedFields: ud.updatedFields,
    removedFields: ud.removedFields,
    truncatedArrays: ud.truncatedArrays,
  };
  if (expanded && ud.disambiguatedPaths) out.disambiguatedPaths = ud.disambiguatedPaths;
  return out;
}

export function shapeEvent(
  event: ChangeEvent,
  options: ShapeOptions,
  catalog: Catalog,
  token: TokenEncoder,
): Document {
  const expanded = options.showExpandedEvents;
  const doc: Document = {
    _id: token(event),
    operationType: event.op,
    clusterTime: event.ts,
    wallTime: event.wallTime,
    ns: event.coll === undefined ? { db: event.db } : { db: event.db, coll: event.coll },
  };
  if (expanded) {
    const uuid = uuidOf(event.uuid);
    if (uuid && !(event.op === 'create' && event.desc?.viewOn !== undefined))
      doc.collectionUUID = uuid;
  }
  if (event.id !== undefined) doc.documentKey = { _id: event.id };
  switch (event.op) {
    case 'insert':
      doc.fullDocument = event.doc;
      break;
    case 'replace':
      doc.fullDocument = event.doc;
      break;
    case 'update':
      doc.updateDescription = updateDescription(event, expanded);
      if (options.fullDocument === 'updateLookup') {
        doc.fullDocument =
          catalog.collection(event.db, event.coll!)?.docs.get(idKeyOf(event.id)) ?? null;
      } else if (options.fullDocument === 'whenAvailable' || options.fullDocument === 'required') {
        if (!event.post && options.fullDocument === 'required')
          throw missingImage('post', event, doc);
        doc.fullDocument = event.post ?? null;
      }
      break;
    case 'rename':
      doc.to = event.to;
      if (expanded) doc.operationDescription = event.desc;
      break;
    case 'create':
    case 'createIndexes':
    case 'dropIndexes':
      doc.operationDescription = event.desc;
      break;
    case 'modify':
      doc.operationDescription = event.desc;
      if (event.before) doc.stateBeforeChange = event.before;
      break;
    default:
      break;
  }
  if (
    (event.op === 'update' || event.op === 'replace' || event.op === 'delete') &&
    options.fullDocumentBeforeChange !== 'off'
  ) {
    if (!event.pre && options.fullDocumentBeforeChange === 'required')
      throw missingImage('pre', event, doc);
    doc.fullDocumentBeforeChange = event.pre ?? null;
  }
  if (event.lsid) {
    doc.lsid = event.lsid;
    doc.txnNumber = Long.fromNumber(Number(event.txnNumber));
  }
  return doc;
}
