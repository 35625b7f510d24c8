/**
 * What a command reads and writes through. Outside a transaction a view reads the
 * committed state and commits each write at once; inside one it reads the
 * transaction's snapshot overlaid with its staged writes, and stages writes until
 * commitTransaction.
 */
import type { Document } from 'bson';
import type { Catalog, WriteOp } from '../storage/catalog.js';
import { duplicateError, ID_INDEX, type Doc } from '../storage/collection.js';
import { valueKey } from '../storage/bson-order.js';
import { compileFilter } from '../query/matcher.js';
import { resolveView, runViewPipeline } from '../query/view-definitions.js';
import { enforceValidator } from '../query/validation.js';
import type { Transaction, TransactionManager } from './transaction.js';

export interface DataView {
  readonly txn: Transaction | null;
  /** Documents of db.coll matching `filter`, in natural (insertion) order. */
  find(db: string, coll: string, filter: Document | undefined): Doc[];
  get(db: string, coll: string, idKey: string): Doc | null;
  write(op: WriteOp): void;
}

/** Reads a view: its backing collection through `view`, then the view's pipeline, then `filter`. */
export function findThroughView(
  view: DataView,
  catalog: Catalog,
  db: string,
  coll: string,
  filter: Document | undefined,
): Doc[] | null {
  const resolved = resolveView(catalog, db, coll);
  if (!resolved) return null;
  const input = view.find(db, resolved.source, undefined);
  const docs = runViewPipeline(input, resolved.pipeline, (name) => view.find(db, name, undefined));
  const matches = compileFilter(filter);
  return docs.filter((doc) => matches(doc));
}

export class CommittedView implements DataView {
  readonly txn = null;
  constructor(private catalog: Catalog) {}

  find(db: string, coll: string, filter: Document | undefined): Doc[] {
    const viewed = findThroughView(this, this.catalog, db, coll, filter);
    if (viewed) return viewed;
    const collection = this.catalog.collection(db, coll);
    if (!collection) return [];
    const matches = compileFilter(filter);
    const out: Doc[] = [];
    for (const [, doc] of collection.candidates(filter ?? {})) if (matches(doc)) out.push(doc);
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
}

export class TransactionView implements DataView {
  constructor(
    private catalog: Catalog,
    private manager: TransactionManager,
    readonly txn: Transaction,
  ) {}

  find(db: string, coll: string, filter: Document | undefined): Doc[] {
    const viewed = findThroughView(this, this.catalog, db, coll, filter);
    if (viewed) return viewed;
    const ns = `${db}.${coll}`;
    const collection = this.catalog.collection(db, coll);
    const staged = this.txn.staged.get(ns);
    const keys = new Set<string>(collection ? collection.candidateKeys(filter ?? {}) : []);
    for (const key of this.catalog.changedKeys(ns)) keys.add(key);
    if (staged) for (const key of staged.keys()) keys.add(key);
    const matches = compileFilter(filter);
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
    return collection ? this.catalog.versionAt(collection, idKey, this.txn.snapshot) : null;
  }

  write(op: WriteOp): void {
    const ns = `${op.db}.${op.coll}`;
    const collection = this.catalog.ensureCollection(op.db, op.coll);
    if (!op.bypassValidation) enforceValidator(collection.options, op.before, op.after);
    this.manager.lock(this.txn, ns, op.idKey);
    if (op.after) {
      if (!op.before && this.get(op.db, op.coll, op.idKey))
        throw duplicateError(collection, ID_INDEX, { _id: op.id });
      for (const index of collection.indexes.values()) {
        if (!index.spec.unique) continue;
        for (const tuple of index.keysOf(op.after)) {
          const wanted = tupleKey(tuple);
          const candidates = new Set(index.equal(tuple));
          for (const key of this.txn.staged.get(ns)?.keys() ?? []) candidates.add(key);
          for (const key of candidates) {
            if (key === op.idKey) continue;
            const other = this.get(op.db, op.coll, key);
            if (other && index.keysOf(other).some((t) => tupleKey(t) === wanted)) {
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
}

function tupleKey(tuple: unknown[]): string {
  return tuple.map(valueKey).join('\u0001');
}
