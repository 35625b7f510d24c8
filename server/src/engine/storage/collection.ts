/**
 * One collection's committed state: documents by idKey, the commit sequence that
 * last touched each one (for transaction conflict checks), and its secondary
 * indexes. It knows nothing of transactions or durability; the catalog drives it.
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { idKeyOf } from './bson-order.js';
import { type SecondaryIndex, buildIndex, type IndexSpec } from './secondary-index.js';
import { idCandidates, planCandidates } from './planner.js';

export type Doc = Document;

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Doc>();
  /** Commit sequence of the last write per idKey; deleted documents keep a tombstone while transactions may need it. */
  readonly versions = new Map<string, number>();
  readonly indexes = new Map<string, SecondaryIndex>();

  constructor(
    /** db and name change only through Catalog.renameCollection; options through modifyCollection. */
    public db: string,
    public name: string,
    public options: Document = {},
    readonly uuid: Buffer,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /** idKeys worth examining for a filter: a point lookup, an index range, or every document. */
  candidateKeys(filter: Document): Iterable<string> {
    const ids = idCandidates(filter);
    if (ids) return ids;
    const planned = planCandidates(filter, [...this.indexes.values()]);
    return planned ?? this.docs.keys();
  }

  /** Committed documents that may match `filter` (a superset; callers filter exactly). */
  *candidates(filter: Document): Iterable<[string, Doc]> {
    for (const key of this.candidateKeys(filter)) {
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
    try {
      for (const index of this.indexes.values()) {
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
    if (after) this.docs.set(idKey, after);
    else this.docs.delete(idKey);
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
    for (const [key, seq] of this.versions) {
      if (seq <= oldestSnapshot && !this.docs.has(key)) this.versions.delete(key);
    }
  }
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
