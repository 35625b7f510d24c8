/**
 * One collection's committed state: documents by idKey, the commit sequence that
 * last touched each one (for transaction conflict checks), and its secondary
 * indexes. It knows nothing of transactions or durability; the catalog drives it.
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { idKeyOf } from './bson-order.js';
import { SecondaryIndex, buildIndex, type IndexSpec } from './secondary-index.js';
import { idCandidates, planCandidates } from './planner.js';
import { SIMPLE_KEY, containsString } from '../query/collation.js';

export type Doc = Document;

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Doc>();
  /** Commit sequence of the last write per idKey; deleted documents keep a tombstone while transactions may need it. */
  readonly versions = new Map<string, number>();
  /**
   * The idKeys of deleted documents (whose versions are tombstones): what
   * pruning looks at, so closing a transaction's snapshot costs the deletes
   * since, not every document the collection has ever written.
   */
  readonly tombstones = new Set<string>();
  readonly indexes = new Map<string, SecondaryIndex>();
  /** Under a default collation the `_id` index compares string ids by it, as in MongoDB ('a' and 'A' clash at strength 2). */
  private readonly collatedIds: SecondaryIndex | null;

  constructor(
    /** db and name change only through Catalog.renameCollection; options through modifyCollection. */
    public db: string,
    public name: string,
    public options: Document = {},
    readonly uuid: Buffer,
  ) {
    this.collatedIds = options.collation
      ? new SecondaryIndex({ ...this.idIndexSpec, unique: true })
      : null;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** The `_id` index as listIndexes shows it: with the collection's default collation, if any. */
  get idIndexSpec(): IndexSpec {
    const collation = this.options.collation as Document | undefined;
    return collation ? { ...ID_INDEX, collation } : ID_INDEX;
  }

  /** The indexes that refuse duplicates: the collated `_id` index (if any), then the unique secondary ones. */
  get uniqueIndexes(): SecondaryIndex[] {
    const unique = [...this.indexes.values()].filter((index) => index.spec.unique);
    return this.collatedIds ? [this.collatedIds, ...unique] : unique;
  }

  get indexSpecs(): IndexSpec[] {
    return [this.idIndexSpec, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /**
   * idKeys worth examining for a filter: a point lookup, an index range, or every
   * document. Under a collation (`collation` is its key) only indexes built with
   * the same collation can answer, and `_id` lookups only when no string is involved.
   */
  candidateKeys(filter: Document, collation = SIMPLE_KEY): Iterable<string> {
    let indexes = [...this.indexes.values()];
    if (collation !== SIMPLE_KEY) {
      if (mentionsStringId(filter)) return this.docs.keys();
      indexes = indexes.filter((index) => index.collationKey === collation);
    } else if (this.indexes.size > 0) {
      indexes = indexes.filter((index) => index.collationKey === SIMPLE_KEY);
    }
    const ids = idCandidates(filter);
    if (ids) return ids;
    const planned = planCandidates(filter, indexes);
    return planned ?? this.docs.keys();
  }

  /** Committed documents that may match `filter` (a superset; callers filter exactly). */
  *candidates(filter: Document, collation = SIMPLE_KEY): Iterable<[string, Doc]> {
    for (const key of this.candidateKeys(filter, collation)) {
      const doc = this.docs.get(key);
      if (doc) yield [key, doc];
    }
  }

  /**
   * Replaces `before` by `after` under `idKey` (either may be null), keeping every
   * index consistent. Throws DuplicateKey (11000) without changing anything.
   */
  write(idKey: string, before: Doc | null, after: Doc | null): void {
    if (after && !before && this.docs.has(idKey))
      throw duplicateError(this, ID_INDEX, { _id: after._id });
    const touched: SecondaryIndex[] = [];
    const indexes = this.collatedIds
      ? [this.collatedIds, ...this.indexes.values()]
      : this.indexes.values();
    try {
      for (const index of indexes) {
        if (before) index.remove(idKey, before);
        touched.push(index);
        if (after) {
          const dup = index.spec.unique ? index.findDuplicate(idKey, after) : null;
          if (dup) throw duplicateError(this, index.spec, dup.keyValue);
          index.add(idKey, after);
        }
      }
    } catch (err) {
      for (const index of touched) {
        if (after) index.remove(idKey, after);
        if (before) index.add(idKey, before);
      }
      throw err;
    }
    if (after) {
      this.docs.set(idKey, after);
      this.tombstones.delete(idKey);
    } else {
      this.docs.delete(idKey);
      this.tombstones.add(idKey);
    }
  }

  /** Builds a new index over the existing documents; fails with 11000 on duplicates. */
  addIndex(spec: IndexSpec): void {
    const index = buildIndex(spec, this.docs.entries(), this.ns);
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw errors.invalidOptions('cannot drop _id index');
    if (!this.indexes.delete(name))
      throw errors.indexNotFound(`index not found with name [${name}]`);
  }

  /** Tombstones older than every live transaction snapshot can go. */
  pruneVersions(oldestSnapshot: number): void {
    for (const key of this.tombstones) {
      if ((this.versions.get(key) ?? -Infinity) > oldestSnapshot) continue;
      this.versions.delete(key);
      this.tombstones.delete(key);
    }
  }
}

/** Whether a filter's top level (or a top-level `$and`) constrains `_id` with a string. */
export function mentionsStringId(filter: Document): boolean {
  if ('_id' in filter && containsString(filter._id)) return true;
  const and = filter.$and;
  return Array.isArray(and) && and.some((b) => b && typeof b === 'object' && mentionsStringId(b));
}

/** The duplicate key error exactly as mongod words it, so mongoose reports it the same way. */
export function duplicateError(coll: Collection, spec: IndexSpec, keyValue: Document): EngineError {
  const shown = Object.entries(keyValue)
    .map(
      ([k, v]) =>
        `${k}: ${JSON.stringify(v instanceof Object && 'toHexString' in v ? `ObjectId('${String(v)}')` : v)}`,
    )
    .join(', ');
  return new EngineError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${coll.ns} index: ${spec.name} dup key: { ${shown} }`,
    [],
    { keyPattern: spec.key, keyValue },
  );
}

export { idKeyOf };
