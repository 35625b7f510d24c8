/**
 * TTL indexes: documents whose indexed date is older than `expireAfterSeconds`
 * are deleted by a periodic sweep, through the normal commit path so change
 * streams see the deletes (mongod runs its TTL monitor every 60 s).
 */
import { idKeyOf } from '../storage/bson-order.js';
import { getPathValues } from '../storage/bson-order.js';
import type { Catalog, WriteOp } from '../storage/catalog.js';

export function sweepExpired(catalog: Catalog, now = Date.now()): number {
  let removed = 0;
  for (const colls of catalog.dbs.values()) {
    for (const coll of colls.values()) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (typeof seconds !== 'number') continue;
        const field = Object.keys(index.spec.key)[0];
        const cutoff = now - seconds * 1000;
        const ops: WriteOp[] = [];
        for (const key of index.range({ lt: new Date(cutoff) })) {
          const doc = coll.docs.get(key);
          if (!doc) continue;
          const dates = getPathValues(doc, field)
            .flat()
            .filter((v): v is Date => v instanceof Date);
          if (dates.length === 0 || Math.min(...dates.map((d) => d.getTime())) >= cutoff) continue;
          ops.push({
            kind: 'delete',
            db: coll.db,
            coll: coll.name,
            idKey: idKeyOf(doc._id),
            id: doc._id,
            before: doc,
            after: null,
          });
        }
        for (const op of ops) {
          catalog.commit([op]);
          removed++;
        }
      }
    }
  }
  if (removed > 0) catalog.flush();
  return removed;
}
