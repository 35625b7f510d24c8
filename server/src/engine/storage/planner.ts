/**
 * Picks the documents worth examining for a query filter.
 *
 * Why: equality and range lookups on an indexed prefix must not scan the whole
 * collection. The planner reads only the conjunctive top level of the filter
 * (plus top-level `$and`), picks one index and returns candidate idKeys: always
 * a superset of the matching documents, because the caller re-checks every
 * candidate against the full filter. When no index helps it returns null (scan).
 */
import { EJSON } from 'bson';
import { TypeRank, bsonRank, compareBson, idKeyOf, isDocument, valueKey } from './bson-order.js';
import type { RangeBounds, SecondaryIndex } from './secondary-index.js';

/** What the filter says about one field, as far as indexes can use it. */
interface FieldPredicates {
  eq?: { value: unknown };
  in?: unknown[];
  range: RangeBounds;
  hasRange: boolean;
  /** Every raw condition on the field (for partial-index implication). */
  raw: unknown[];
}

/** Tells whether an idKey exists; lets the planner drop `_id` values that match nothing. */
export type IdLookup = (idKey: string) => boolean;

/** The plan chosen for a filter; `explain` and tests read it. */
export interface Plan {
  kind: 'id' | 'eq' | 'in' | 'range';
  index?: SecondaryIndex;
  /** Number of leading key fields pinned (eq / in plans). */
  fields: number;
  /** An eq plan whose next key field is pinned by `$in`: one lookup per listed value. */
  inNext?: boolean;
}

const RANGE_RANKS = new Set<number>([
  TypeRank.number,
  TypeRank.string,
  TypeRank.binary,
  TypeRank.objectId,
  TypeRank.boolean,
  TypeRank.date,
  TypeRank.timestamp,
]);

function isRegex(v: unknown): boolean {
  return bsonRank(v) === TypeRank.regex;
}

/** A value usable as an index equality: arrays (whole-array or element match) and regexes are not. */
function isPointValue(v: unknown): boolean {
  return v !== undefined && !Array.isArray(v) && !isRegex(v);
}

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (!isDocument(v)) return false;
  const first = Object.keys(v)[0];
  return first !== undefined && first.startsWith('$');
}

function predicatesFor(map: Map<string, FieldPredicates>, field: string): FieldPredicates {
  let p = map.get(field);
  if (!p) map.set(field, (p = { range: {}, hasRange: false, raw: [] }));
  return p;
}

function addCondition(map: Map<string, FieldPredicates>, field: string, cond: unknown): void {
  const p = predicatesFor(map, field);
  p.raw.push(cond);
  if (!isOperatorObject(cond)) {
    if (isPointValue(cond) && !p.eq) p.eq = { value: cond };
    return;
  }
  for (const [op, arg] of Object.entries(cond)) {
    if (op === '$eq' && isPointValue(arg) && !p.eq) p.eq = { value: arg };
    else if (op === '$in' && Array.isArray(arg) && arg.every(isPointValue) && !p.in) p.in = arg;
    else if (
      (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') &&
      RANGE_RANKS.has(bsonRank(arg))
    ) {
      p.range[op.slice(1) as keyof RangeBounds] = arg;
      p.hasRange = true;
    }
  }
}

/** The field predicates of a filter's conjunctive top level (top-level `$and` branches included). */
function collectPredicates(
  filter: Record<string, unknown>,
  map = new Map<string, FieldPredicates>(),
): Map<string, FieldPredicates> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const branch of cond) if (isDocument(branch)) collectPredicates(branch, map);
    } else if (!field.startsWith('$')) {
      addCondition(map, field, cond);
    }
  }
  return map;
}

/**
 * The idKeys a filter pins `_id` to (by equality or `$in`, also inside a
 * top-level `$and`), or null when `_id` is not pinned. Matching documents are
 * among those keys; the caller still applies the whole filter.
 */
export function idCandidates(filter: Record<string, unknown>): string[] | null {
  return pinnedIds(collectPredicates(filter));
}

function pinnedIds(preds: Map<string, FieldPredicates>): string[] | null {
  const p = preds.get('_id');
  if (p?.eq) return [idKeyOf(p.eq.value)];
  if (p?.in) return [...new Set(p.in.map(idKeyOf))];
  return null;
}

const IMPLIED_BY_ORDER: Record<string, (c: number) => boolean> = {
  $eq: (c) => c === 0,
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
};

/** True when a partial-filter condition on a field holds for every document whose field equals `value`. */
function impliedByValue(cond: unknown, value: unknown): boolean {
  if (!isOperatorObject(cond)) return isPointValue(cond) && compareBson(value, cond) === 0;
  return Object.entries(cond).every(([op, arg]) => {
    if (op === '$exists') return arg === true || arg === 1;
    const holds = IMPLIED_BY_ORDER[op];
    return (
      holds !== undefined && bsonRank(arg) === bsonRank(value) && holds(compareBson(value, arg))
    );
  });
}

/**
 * Whether every document matching the query is sure to be in a partial index:
 * each condition of the partialFilterExpression appears verbatim in the query,
 * or is `$exists: true` / a comparison that the query's equality value satisfies.
 */
function partialIsSafe(pfe: Record<string, unknown>, preds: Map<string, FieldPredicates>): boolean {
  return Object.entries(pfe).every(([field, cond]) => {
    if (field === '$and')
      return Array.isArray(cond) && cond.every((b) => isDocument(b) && partialIsSafe(b, preds));
    if (field.startsWith('$')) return false;
    const p = preds.get(field);
    if (!p) return false;
    const key = valueKey(cond);
    if (p.raw.some((c) => valueKey(c) === key)) return true;
    const value = p.eq?.value;
    return (
      value !== undefined && value !== null && !isDocument(value) && impliedByValue(cond, value)
    );
  });
}

/** How many leading key fields the filter pins by equality (null stops the prefix where it is unsafe). */
function equalityPrefix(index: SecondaryIndex, preds: Map<string, FieldPredicates>): unknown[] {
  const values: unknown[] = [];
  for (const field of index.fields) {
    const eq = preds.get(field)?.eq;
    if (!eq) break;
    // Documents lacking every key field are absent from sparse indexes; partial ones are checked apart.
    if (eq.value === null && (index.isPartial || (index.sparse && values.every((v) => v === null))))
      break;
    values.push(eq.value);
  }
  return values;
}

/** Whether `$in` on this key field can be answered by lookups (a sparse or partial index lacks the nulls). */
function inUsable(
  index: SecondaryIndex,
  p: FieldPredicates | undefined,
): p is FieldPredicates & {
  in: unknown[];
} {
  return !!p?.in && !((index.sparse || index.isPartial) && p.in.some((v) => v === null));
}

function choose(preds: Map<string, FieldPredicates>, indexes: SecondaryIndex[]): Plan | null {
  let best: Plan | null = null;
  let bestScore = -Infinity;
  for (const index of indexes) {
    if (!index.isQueryable) continue;
    const pfe = index.spec.partialFilterExpression;
    if (index.isPartial && (!pfe || !partialIsSafe(pfe, preds))) continue;
    const bonus = (index.unique ? 0.5 : 0) - index.fields.length / 1000;
    const eq = equalityPrefix(index, preds);
    const first = preds.get(index.fields[0]);
    let plan: Plan | null = null;
    let score = 0;
    const afterPrefix =
      eq.length < index.fields.length ? preds.get(index.fields[eq.length]) : undefined;
    if (eq.length > 0 && inUsable(index, afterPrefix))
      [plan, score] = [
        { kind: 'eq', index, fields: eq.length, inNext: true },
        2000 + eq.length * 10 + 5,
      ];
    else if (eq.length > 0)
      [plan, score] = [{ kind: 'eq', index, fields: eq.length }, 2000 + eq.length * 10];
    else if (inUsable(index, first)) {
      [plan, score] = [{ kind: 'in', index, fields: 1 }, 1000];
    } else if (first?.hasRange) [plan, score] = [{ kind: 'range', index, fields: 0 }, 500];
    if (plan && score + bonus > bestScore) [best, bestScore] = [plan, score + bonus];
  }
  return best;
}

/**
 * The plan for a filter: an `_id` pin, else the best index (longest equality
 * prefix, extended by `$in` on the next key field, then `$in`, then range;
 * unique indexes win ties), else null (scan).
 */
export function choosePlan(
  filter: Record<string, unknown>,
  indexes: SecondaryIndex[],
): Plan | null {
  const preds = collectPredicates(filter);
  return pinnedIds(preds) ? { kind: 'id', fields: 1 } : choose(preds, indexes);
}

/**
 * Candidate idKeys for `filter`: a superset of the matching documents taken
 * from the `_id` pin or one secondary index, or null when the caller must scan.
 * With `idExists`, `_id` candidates that name no document are dropped.
 */
export function planCandidates(
  filter: Record<string, unknown>,
  indexes: SecondaryIndex[],
  idExists?: IdLookup,
): Set<string> | null {
  return planWithCandidates(filter, indexes, idExists).keys;
}

/** The chosen plan with the idKeys it yields (null keys: scan); `explain` reports both. */
export function planWithCandidates(
  filter: Record<string, unknown>,
  indexes: SecondaryIndex[],
  idExists?: IdLookup,
): { plan: Plan | null; keys: Set<string> | null } {
  const preds = collectPredicates(filter);
  const ids = pinnedIds(preds);
  if (ids)
    return {
      plan: { kind: 'id', fields: 1 },
      keys: new Set(idExists ? ids.filter(idExists) : ids),
    };
  const plan = choose(preds, indexes);
  if (!plan?.index) return { plan: null, keys: null };
  return { plan, keys: indexCandidates(plan, plan.index, preds) };
}

function indexCandidates(
  plan: Plan,
  index: SecondaryIndex,
  preds: Map<string, FieldPredicates>,
): Set<string> {
  const first = preds.get(index.fields[0])!;
  if (plan.kind === 'eq' && plan.inNext) {
    const prefix = equalityPrefix(index, preds);
    const out = new Set<string>();
    for (const value of preds.get(index.fields[prefix.length])!.in ?? [])
      for (const id of index.equal([...prefix, value])) out.add(id);
    return out;
  }
  if (plan.kind === 'eq') return index.equal(equalityPrefix(index, preds));
  if (plan.kind === 'range') return index.range(first.range);
  const out = new Set<string>();
  for (const value of first.in ?? []) for (const id of index.equal([value])) out.add(id);
  return out;
}

/**
 * The bounds a plan scans, per key field, in MongoDB's explain notation
 * (`[1, 1]`, `(5, inf.0]`, `[MinKey, MaxKey]`).
 */
export function planBounds(
  filter: Record<string, unknown>,
  plan: Plan,
  index: SecondaryIndex,
): Record<string, string[]> {
  const preds = collectPredicates(filter);
  const eq = equalityPrefix(index, preds);
  const bounds: Record<string, string[]> = {};
  index.fields.forEach((field, i) => {
    const p = preds.get(field);
    if (i < eq.length && plan.kind === 'eq') bounds[field] = [point(eq[i])];
    else if ((plan.kind === 'in' && i === 0) || (plan.inNext && i === eq.length))
      bounds[field] = (p?.in ?? []).map(point);
    else if (plan.kind === 'range' && i === 0 && p) bounds[field] = [interval(p.range)];
    else bounds[field] = ['[MinKey, MaxKey]'];
  });
  return bounds;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  return value === null || value === undefined ? 'null' : EJSON.stringify(value);
}

function point(value: unknown): string {
  return `[${shown(value)}, ${shown(value)}]`;
}

/**
 * A range's interval as MongoDB prints it, bracketed by type: an open-ended
 * numeric range ends at inf.0 (or starts at -inf.0), a string range at `{}`
 * (or `""`); other types reach MinKey or MaxKey.
 */
function interval(range: RangeBounds): string {
  const low = range.gte ?? range.gt;
  const high = range.lte ?? range.lt;
  const ranked = (v: unknown, rank: number) => v !== undefined && bsonRank(v) === rank;
  const open =
    range.gte !== undefined
      ? `[${shown(range.gte)}`
      : range.gt !== undefined
        ? `(${shown(range.gt)}`
        : ranked(high, TypeRank.number)
          ? '[-inf.0'
          : ranked(high, TypeRank.string)
            ? '[""'
            : '[MinKey';
  const close =
    range.lte !== undefined
      ? `${shown(range.lte)}]`
      : range.lt !== undefined
        ? `${shown(range.lt)})`
        : ranked(low, TypeRank.number)
          ? 'inf.0]'
          : ranked(low, TypeRank.string)
            ? '{})'
            : 'MaxKey]';
  return `${open}, ${close}`;
}
