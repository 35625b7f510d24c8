/**
 * A secondary index: an ordered set of key tuples `[...fieldValues, idKey]` in a
 * B+ tree, ordered by MongoDB's BSON order (descending fields reversed).
 *
 * Why: unique constraints (mongoose's `unique: true`, the app's duplicate-email
 * checks) must be enforced the way mongod does (multikey, compound, sparse,
 * partial; missing = null), and equality/range lookups on an indexed prefix must
 * cost O(log n + matches) instead of a collection scan.
 */
import { calculateObjectSize } from 'bson';
import btree from 'sorted-btree';
import { EngineError } from '../errors.js';
import { compareBson, isDocument, tracePath } from './bson-order.js';
import { collationKey, compareCollated, storedCollation } from '../query/collation.js';
import { compileFilter, type Matcher } from '../query/matcher.js';

/** An index definition as createIndexes receives it and listIndexes returns it. */
export interface IndexSpec {
  v?: number;
  name: string;
  key: Record<string, number | string>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Record<string, unknown>;
  expireAfterSeconds?: number;
  [other: string]: unknown;
}

/** What a unique index reports on a conflict, in MongoDB's reply shape (`keyValue` as `{field: value}`). */
export interface DuplicateKey {
  keyPattern: Record<string, number | string>;
  keyValue: Record<string, unknown>;
}

/** Bounds on an index's first field; either side may be absent. */
export interface RangeBounds {
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
}

/** Key types that are stored but never used to answer queries (no text or geo search here). */
const NON_QUERYABLE = new Set(['text', '2d', '2dsphere', 'geoHaystack']);
const KNOWN_TYPES = new Set([...NON_QUERYABLE, 'hashed']);

// sorted-btree is CommonJS: under Node's ESM loader the class arrives as `.default`.
const BTree =
  (btree as unknown as { default?: typeof btree.default }).default ??
  (btree as unknown as typeof btree.default);
type Key = unknown[];
type Tree = InstanceType<typeof BTree<Key, undefined>>;

/** Sentinels that sort below / above every value at their tuple position (bounds for prefix scans). */
const LOW = Symbol('low');
const HIGH = Symbol('high');

function cannotCreate(msg: string): EngineError {
  return new EngineError(67, 'CannotCreateIndex', msg);
}

/**
 * One secondary index over one collection. The caller owns consistency: call
 * `remove` with the document exactly as it was added, `add` with the new one,
 * and `findDuplicate` (unique indexes) before `add`.
 */
export class SecondaryIndex {
  /** Dotted field paths, in key order. */
  readonly fields: string[];
  /** +1 / -1 per field (non-numeric key types count as ascending). */
  readonly directions: number[];
  /** False for text and geo indexes: they are kept for listIndexes but hold no keys. */
  readonly isQueryable: boolean;
  private readonly tree: Tree;
  private readonly compareKeys: (a: Key, b: Key) => number;
  /** The partial filter, matched as any query is (the engine's `$type` and operators). */
  private readonly partial: Matcher | null;
  private readonly multikey: boolean[];
  /** The collation the keys are ordered (and unique keys compared) by; 'simple' for binary. */
  readonly collationKey: string;
  private readonly compareValues: (a: unknown, b: unknown) => number;
  /** Index entries visited by lookups so far (explain reports the difference around one query). */
  keysVisited = 0;

  constructor(public spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    if (this.fields.length === 0) throw cannotCreate('Index keys cannot be empty.');
    this.directions = this.fields.map((field) => {
      const type = spec.key[field];
      if (typeof type === 'string') {
        if (!KNOWN_TYPES.has(type)) throw cannotCreate(`Unknown index plugin '${type}'`);
        return 1;
      }
      if (typeof type !== 'number' || !Number.isFinite(type) || type === 0) {
        throw cannotCreate(
          `Values in the index key pattern must be non-zero numbers or index types: ${field}`,
        );
      }
      return type < 0 ? -1 : 1;
    });
    this.isQueryable = !this.fields.some((field) => NON_QUERYABLE.has(String(spec.key[field])));
    this.multikey = this.fields.map(() => false);
    const pfe = spec.partialFilterExpression;
    if (pfe !== undefined && !isDocument(pfe))
      throw cannotCreate('partialFilterExpression must be an object');
    try {
      this.partial = pfe ? compileFilter(pfe) : null;
    } catch (err) {
      throw cannotCreate(`bad partialFilterExpression: ${(err as Error).message}`);
    }
    const collation = storedCollation(spec.collation);
    this.collationKey = collationKey(collation);
    const compareValues = collation
      ? (a: unknown, b: unknown) => compareCollated(a, b, collation)
      : compareBson;
    this.compareValues = compareValues;
    const n = this.fields.length;
    const dirs = this.directions;
    this.compareKeys = (a, b) => {
      for (let i = 0; i <= n; i++) {
        const x = a[i];
        const y = b[i];
        if (x === LOW || x === HIGH || y === LOW || y === HIGH) {
          if (x === y) return 0;
          return x === LOW || y === HIGH ? -1 : 1;
        }
        if (i === n)
          return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
        const c = compareValues(x, y);
        if (c !== 0) return c * dirs[i];
      }
      return 0;
    };
    this.tree = new BTree<Key, undefined>(undefined, this.compareKeys);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether two key tuples (field values only) are the same key under the index's collation. */
  sameKey(a: unknown[], b: unknown[]): boolean {
    return a.length === b.length && a.every((v, i) => this.compareValues(v, b[i]) === 0);
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  get sparse(): boolean {
    return this.spec.sparse === true;
  }

  get isPartial(): boolean {
    return this.partial !== null;
  }

  /** Whether some document ever had an array on the path of field `i` (then bounds on it cannot be intersected). */
  isMultikey(i = 0): boolean {
    return this.multikey[i] === true;
  }

  /** Number of key entries (a multikey document holds several). */
  get size(): number {
    return this.tree.size;
  }

  clear(): void {
    this.tree.clear();
    this.multikey.fill(false);
  }

  /**
   * The key tuples (field values only) `doc` contributes: arrays expand to one
   * key per element (cartesian across fields), a missing field keys as null.
   * None when the index skips the document (sparse without any of the fields,
   * partial filter not matched, text/geo index). Throws 171 on parallel arrays.
   */
  keysOf(doc: Record<string, unknown>): unknown[][] {
    return this.analyse(doc).keys;
  }

  private analyse(doc: Record<string, unknown>): { keys: unknown[][]; arrayFields: boolean[] } {
    const arrayFields = this.fields.map(() => false);
    if (!this.isQueryable || (this.partial && !this.partial(doc))) return { keys: [], arrayFields };
    const perField: unknown[][] = [];
    const arrays: string[] = [];
    let present = false;
    this.fields.forEach((field, i) => {
      const trace = tracePath(doc, field);
      const values: unknown[] = [];
      for (const v of trace.values) {
        if (!Array.isArray(v)) values.push(v);
        else {
          trace.arrays.push(field);
          if (v.length === 0) values.push([]);
          else values.push(...(v as unknown[]));
        }
      }
      if (trace.values.length > 0) present = true;
      if (values.length === 0 || trace.missing) values.push(null);
      if (trace.arrays.length > 0) arrayFields[i] = true;
      arrays.push(...trace.arrays);
      perField.push(values);
    });
    if (this.sparse && !present) return { keys: [], arrayFields };
    checkParallelArrays(arrays);
    let keys: unknown[][] = [[]];
    for (const values of perField) {
      const next: unknown[][] = [];
      for (const prefix of keys) for (const v of values) next.push([...prefix, v]);
      keys = next;
    }
    return { keys, arrayFields };
  }

  /** Indexes `doc` under `idKey` (no uniqueness check: see findDuplicate / tryAdd). */
  add(idKey: string, doc: Record<string, unknown>): void {
    const { keys, arrayFields } = this.analyse(doc);
    arrayFields.forEach((isArray, i) => {
      if (isArray) this.multikey[i] = true;
    });
    for (const key of keys) this.tree.set([...key, idKey], undefined);
  }

  /** Adds `doc` unless (unique index) another document holds one of its keys; returns that conflict. */
  tryAdd(idKey: string, doc: Record<string, unknown>): DuplicateKey | null {
    const dup = this.findDuplicate(idKey, doc);
    if (!dup) this.add(idKey, doc);
    return dup;
  }

  /** Removes the keys of `doc` (the version that was added) for `idKey`. */
  remove(idKey: string, doc: Record<string, unknown>): void {
    for (const key of this.keysOf(doc)) this.tree.delete([...key, idKey]);
  }

  /**
   * For a unique index: the first key of `doc` already held by a document other
   * than `idKey`, as `{keyPattern, keyValue}`; null if none (or not unique).
   */
  findDuplicate(idKey: string, doc: Record<string, unknown>): DuplicateKey | null {
    if (!this.unique) return null;
    for (const key of this.keysOf(doc)) {
      const high = [...key, HIGH];
      for (const [entry] of this.tree.entries([...key, LOW])) {
        if (this.compareKeys(entry, high) > 0) break;
        if (entry[this.fields.length] === idKey) continue;
        const keyValue: Record<string, unknown> = {};
        this.fields.forEach((field, i) => (keyValue[field] = key[i]));
        return { keyPattern: { ...this.spec.key }, keyValue };
      }
    }
    return null;
  }

  /** idKeys whose key starts with `values` (a prefix of the key fields; all of them for an exact match). */
  equal(values: unknown[]): Set<string> {
    const prefix = values.slice(0, this.fields.length);
    return this.collect([...prefix, LOW], [...prefix, HIGH]);
  }

  /**
   * idKeys whose first-field key lies within `bounds` (BSON order, any type).
   * On a multikey first field only the lower bound is used: an array may meet
   * each bound with a different element. Callers re-filter every candidate.
   */
  range(bounds: RangeBounds): Set<string> {
    const lower =
      bounds.gte !== undefined
        ? { v: bounds.gte, inc: true }
        : bounds.gt !== undefined
          ? { v: bounds.gt, inc: false }
          : null;
    let upper =
      bounds.lte !== undefined
        ? { v: bounds.lte, inc: true }
        : bounds.lt !== undefined
          ? { v: bounds.lt, inc: false }
          : null;
    if (lower && upper && this.multikey[0]) upper = null;
    // In tree order a descending field runs from the upper value bound down to the lower one.
    const [first, last] = this.directions[0] > 0 ? [lower, upper] : [upper, lower];
    const low: Key = first ? [first.v, first.inc ? LOW : HIGH] : [LOW];
    const high: Key = last ? [last.v, last.inc ? HIGH : LOW] : [HIGH];
    if (this.compareKeys(low, high) > 0) return new Set();
    return this.collect(low, high);
  }

  /** BSON bytes of every key entry (key values and record id): what collStats reports as its size. */
  approximateBytes(): number {
    let bytes = 0;
    for (const [key] of this.tree.entries())
      bytes += calculateObjectSize({
        k: key.slice(0, this.fields.length),
        r: key[this.fields.length],
      });
    return bytes;
  }

  /** Every idKey in index order (ascending tree order), each once; for index-ordered scans. */
  *idKeysInOrder(): IterableIterator<string> {
    const seen = new Set<string>();
    for (const [key] of this.tree.entries()) {
      const id = key[this.fields.length] as string;
      if (!seen.has(id)) {
        seen.add(id);
        yield id;
      }
    }
  }

  private collect(low: Key, high: Key): Set<string> {
    const out = new Set<string>();
    const at = this.fields.length;
    this.tree.forRange(low, high, true, (key) => {
      this.keysVisited++;
      out.add(key[at] as string);
    });
    return out;
  }
}

/** MongoDB allows at most one array per compound key per document (arrays sharing a path prefix count as one). */
function checkParallelArrays(arrays: string[]): void {
  if (arrays.length < 2) return;
  let longest = arrays[0];
  for (const p of arrays) if (p.length > longest.length) longest = p;
  for (const p of arrays) {
    if (p !== longest && !longest.startsWith(p + '.')) {
      throw new EngineError(
        171,
        'CannotIndexParallelArrays',
        `cannot index parallel arrays [${p}] [${longest}]`,
      );
    }
  }
}

/** Renders a key value the way mongod's E11000 messages do (`"x"`, `ObjectId('..')`, `new Date(..)`). */
export function formatKeyValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(formatKeyValue).join(', ')} ]`;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  if (tag === 'ObjectId')
    return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
  if (isDocument(value)) {
    const parts = Object.entries(value).map(([k, v]) => `${k}: ${formatKeyValue(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  // numbers, booleans, Long, Decimal128, Timestamp print themselves
  return (value as { toString(): string }).toString();
}

/** The 11000 DuplicateKey error as mongod words it (mongoose parses the message and reads keyValue). */
export function duplicateKeyError(ns: string, indexName: string, dup: DuplicateKey): EngineError {
  const shown = formatKeyValue(dup.keyValue);
  return new EngineError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: ${shown}`,
    [],
    {
      keyPattern: dup.keyPattern,
      keyValue: dup.keyValue,
    },
  );
}

/**
 * Builds an index over existing documents. Fails with the first duplicate
 * (11000, for unique indexes) or parallel arrays (171); the partly built index
 * is discarded, so the caller's state is untouched.
 */
export function buildIndex(
  spec: IndexSpec,
  docs: Iterable<[string, Record<string, unknown>]>,
  ns = 'unknown',
): SecondaryIndex {
  const index = new SecondaryIndex(spec);
  for (const [idKey, doc] of docs) {
    const dup = index.tryAdd(idKey, doc);
    if (dup) throw duplicateKeyError(ns, spec.name, dup);
  }
  return index;
}
