/**
 * `system.views`: mongod keeps a database's view definitions as documents of a
 * collection by that name, which listCollections lists and dbStats counts. The
 * engine keeps views in its catalog instead (a collection entry whose options
 * hold `viewOn`), and presents the same `system.views` from them: one document
 * per view, `{_id: '<db>.<view>', viewOn, pipeline, collation?}`, present while
 * the database holds a view.
 */
import { createHash } from 'node:crypto';
import type { Document } from 'bson';
import { isViewOptions } from './view-definitions.js';
import { Collection, ID_INDEX } from '../storage/collection.js';
import { idKeyOf } from '../storage/bson-order.js';

export const SYSTEM_VIEWS = 'system.views';

/** The views among a database's catalog entries. */
export function viewsAmong(colls: Iterable<Collection>): Collection[] {
  return [...colls].filter((coll) => isViewOptions(coll.options));
}

/** The documents `system.views` holds for these views, in catalog order. */
export function viewDefinitions(db: string, views: Collection[]): Document[] {
  return views.map((view) => {
    const { viewOn, pipeline, collation } = view.options;
    return {
      _id: `${db}.${view.name}`,
      viewOn: viewOn as string,
      pipeline: (pipeline as Document[] | undefined) ?? [],
      ...(collation ? { collation: collation as Document } : {}),
    };
  });
}

/** A uuid for the database's `system.views`, the same on every call and across restarts. */
function systemViewsUuid(db: string): Buffer {
  const bytes = createHash('sha256').update(`${db}.${SYSTEM_VIEWS}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return Buffer.from(bytes);
}

/** The listCollections entry of `system.views` (an ordinary collection, as mongod lists it). */
export function systemViewsInfo(db: string): Document {
  return {
    name: SYSTEM_VIEWS,
    type: 'collection',
    options: {},
    info: { readOnly: false, uuid: systemViewsUuid(db) },
    idIndex: ID_INDEX,
  };
}

/**
 * The database's `system.views` as a collection of its own (built on demand,
 * never stored), for the commands that measure one: dbStats, collStats,
 * `$collStats`. Null when the database holds no view.
 */
export function systemViewsCollection(
  db: string,
  entries: Iterable<Collection>,
): Collection | null {
  const views = viewsAmong(entries);
  if (views.length === 0) return null;
  const coll = new Collection(db, SYSTEM_VIEWS, {}, systemViewsUuid(db));
  for (const doc of viewDefinitions(db, views)) coll.write(idKeyOf(doc._id), null, doc);
  return coll;
}
