/**
 * What a command reads and writes through. Outside a transaction a view reads the
 * committed state and commits each write at once; inside one it reads the
 * transaction's snapshot overlaid with its staged writes, and stages writes until
 * commitTransaction.
 */
import type { Document } from 'bson';
import type { Catalog, WriteOp } from '../storage/catalog.js';
import { type Collection, duplicateError, ID_INDEX, type Doc } from '../storage/collection.js';
import type { IndexSpec } from '../storage/secondary-index.js';
import { compileFilter } from '../query/matcher.js';
import type { EvalOptions } from '../query/mingo-context.js';
import { collationKey } from '../query/collation.js';
import { isPlainObject } from '../query/update.js';
import { errors } from '../errors.js';
import { resolveView, runViewPipeline } from '../query/view-definitions.js';
import { SYSTEM_VIEWS, viewDefinitions, viewsAmong } from '../query/system-views.js';
import { enforceValidator } from '../query/validation.js';
import type { Transaction, TransactionManager } from './transaction.js';

/** The lock a transaction takes on a namespace it creates (two creators conflict). */
const CREATE_LOCK = '\0create';

export interface DataView {
  readonly txn: Transaction | null;
  /** Documents of db.coll matching `filter` (under `options`' collation and variables), in natural order. */
  find(db: string, coll: string, filter: Document | undefined, options?: EvalOptions): Doc[];
  get(db: string, coll: string, idKey: string): Doc | null;
  write(op: WriteOp): void;
  /** The collection as this view sees it (a transaction also sees the ones it created). */
  collection(db: string, name: string): Collection | undefined;
  createCollection(db: string, name: string, options: Document): Collection;
  createIndex(db: string, name: string, spec: IndexSpec): void;
}

/** Reads a view (its backing collection through `view`, then its pipeline, then `filter`) or `system.views`. */
export function findThroughView(
  view: DataView,
  catalog: Catalog,
  db: string,
  coll: string,
  filter: Document | undefined,
  options: EvalOptions = {},
): Doc[] | null {
  if (coll === SYSTEM_VIEWS) {
    const views = viewsAmong(catalog.dbs.get(db)?.values() ?? []);
    const matches = compileFilter(filter, options);
    return viewDefinitions(db, views).filter((doc) => matches(doc));
  }
  const resolved = resolveView(catalog, db, coll);
  if (!resolved) return null;
  // The backing collection is read through its indexes for the view's leading
  // $match (or, for a view of no stages, the filter itself), as explain reports.
  const [first, ...rest] = resolved.pipeline;
  if (!first) return view.find(db, resolved.source, filter, options);
  const collation = options.collation ? { collation: options.collation } : {};
  const leading = isPlainObject(first.$match) ? first.$match : undefined;
  const input = view.find(db, resolved.source, leading, collation);
  const docs = runViewPipeline(input, leading ? rest : resolved.pipeline, collation, (name) =>
    view.find(db, name, undefined),
  );
  const matches = compileFilter(filter, options);
  return docs.filter((doc) => matches(doc));
}

export class CommittedView implements DataView {
  readonly txn = null;
  constructor(private catalog: Catalog) {}

  find(db: string, coll: string, filter: Document | undefined, options: EvalOptions = {}): Doc[] {
    const viewed = findThroughView(this, this.catalog, db, coll, filter, options);
    if (viewed) return viewed;
    const collection = this.catalog.collection(db, coll);
    if (!collection) return [];
    const matches = compileFilter(filter, options);
    const out: Doc[] = [];
    const candidates = collection.candidates(filter ?? {}, collationKey(options.collation));
    for (const [, doc] of candidates) if (matches(doc)) out.push(doc);
    return out;
  }

  get(db: string, coll: string, idKey: string): Doc | null {
    return this.catalog.collection(db, coll)?.docs.get(idKey) ?? null;
  }

  write(op: WriteOp): void {
    const options = this.catalog.collection(op.db, op.coll)?.options;
    if (options && !op.bypassValidation) enforceValidator(options, op.before, op.after);
    this.catalog.commit([op]);
  }

  collection(db: string, name: string): Collection | undefined {
    return this.catalog.collection(db, name);
  }

  createCollection(db: string, name: string, options: Document): Collection {
    return this.catalog.ensureCollection(db, name, options);
  }

  createIndex(db: string, name: string, spec: IndexSpec): void {
    this.catalog.createIndex(db, name, spec);
  }
}

export class TransactionView implements DataView {
  constructor(
    private catalog: Catalog,
    private manager: TransactionManager,
    readonly txn: Transaction,
  ) {}

  find(db: string, coll: string, filter: Document | undefined, options: EvalOptions = {}): Doc[] {
    const viewed = findThroughView(this, this.catalog, db, coll, filter, options);
    if (viewed) return viewed;
    const ns = `${db}.${coll}`;
    const collection = this.catalog.collection(db, coll);
    const staged = this.txn.staged.get(ns);
    const keys = new Set<string>(
      collection ? collection.candidateKeys(filter ?? {}, collationKey(options.collation)) : [],
    );
    for (const key of this.catalog.changedKeys(ns)) keys.add(key);
    if (this.txn.readAt) {
      this.catalog.history.assertStable(ns, this.txn.readAt.ts);
      for (const key of this.catalog.history.changedSince(ns, this.txn.readSeq)) keys.add(key);
    }
    if (staged) for (const key of staged.keys()) keys.add(key);
    const matches = compileFilter(filter, options);
    const out: Doc[] = [];
    for (const key of keys) {
      const doc = this.get(db, coll, key);
      if (doc && matches(doc)) out.push(doc);
    }
    return out;
  }

  get(db: string, coll: string, idKey: string): Doc | null {
    const staged = this.txn.staged.get(`${db}.${coll}`);
    if (staged?.has(idKey)) return staged.get(idKey) ?? null;
    const collection = this.catalog.collection(db, coll);
    if (this.txn.readsPast) {
      const current = collection?.docs.get(idKey) ?? null;
      return this.catalog.history.versionAt(`${db}.${coll}`, idKey, this.txn.readSeq, current);
    }
    return collection ? this.catalog.versionAt(collection, idKey, this.txn.snapshot) : null;
  }

  write(op: WriteOp): void {
    const ns = `${op.db}.${op.coll}`;
    const collection = this.collection(op.db, op.coll) ?? this.createCollection(op.db, op.coll, {});
    if (!op.bypassValidation) enforceValidator(collection.options, op.before, op.after);
    this.manager.lock(this.txn, ns, op.idKey);
    if (op.after) {
      if (!op.before && this.get(op.db, op.coll, op.idKey))
        throw duplicateError(collection, ID_INDEX, { _id: op.id });
      // Unique indexes, with a collated `_id` ('a' and 'A' clash at strength 2): refused here, not at commit.
      for (const index of collection.uniqueIndexes) {
        for (const tuple of index.keysOf(op.after)) {
          const candidates = new Set(index.equal(tuple));
          for (const key of this.txn.staged.get(ns)?.keys() ?? []) candidates.add(key);
          for (const key of candidates) {
            if (key === op.idKey) continue;
            const other = this.get(op.db, op.coll, key);
            if (other && index.keysOf(other).some((t) => index.sameKey(t, tuple))) {
              const fields = Object.keys(index.spec.key);
              throw duplicateError(
                collection,
                index.spec,
                Object.fromEntries(fields.map((f, i) => [f, tuple[i]])),
              );
            }
          }
        }
      }
    }
    this.txn.stagedIn(ns).set(op.idKey, op.after);
    this.txn.ops.push(op);
  }

  collection(db: string, name: string): Collection | undefined {
    return this.catalog.collection(db, name) ?? this.txn.createdCollections.get(`${db}.${name}`);
  }

  /** Creates the collection inside the transaction only; commit makes it real, abort forgets it. */
  createCollection(db: string, name: string, options: Document): Collection {
    this.manager.lock(this.txn, `${db}.${name}`, CREATE_LOCK);
    return this.txn.createCollection(db, name, options);
  }

  /** MongoDB builds indexes in a transaction only on a collection that transaction created, while empty. */
  createIndex(db: string, name: string, spec: IndexSpec): void {
    const ns = `${db}.${name}`;
    const coll = this.txn.createdCollections.get(ns);
    if (!coll)
      throw errors.operationNotSupportedInTransaction(
        `Cannot create new indexes on existing collection ${ns} in a multi-document transaction.`,
      );
    if ([...(this.txn.staged.get(ns)?.values() ?? [])].some((doc) => doc !== null))
      throw errors.operationNotSupportedInTransaction(
        `Cannot create new indexes on non-empty collection ${ns} in a multi-document transaction.`,
      );
    coll.addIndex(spec);
  }
}
