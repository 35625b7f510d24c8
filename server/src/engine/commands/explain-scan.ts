/**
 * The scan under an explained command: the plan the storage layer chooses for
 * a filter (the `_id` pin, one secondary index, or a collection scan) and what
 * running it cost (keys visited in the index, documents fetched, documents
 * matched), as explain's queryPlanner and executionStats report them.
 */
import type { Document } from 'bson';
import { compileFilter } from '../query/matcher.js';
import { collationKey, SIMPLE_KEY, type Collation } from '../query/collation.js';
import { isPlainObject } from '../query/update.js';
import { planBounds, planWithCandidates } from '../storage/planner.js';
import { mentionsStringId, type Collection } from '../storage/collection.js';

/** What scanning for one filter cost: the plan's stage tree and its counters. */
export interface Scan {
  stage: Document;
  keysExamined: number;
  docsExamined: number;
  /** Documents the scan produced (matching the whole filter). */
  matched: Document[];
  /** Record ids the index (or `_id` pin) handed to the fetch. */
  candidates: number;
}

/**
 * The scan for `filter` over the committed collection under `collation` (the one
 * the command runs with), counted as it happens. Like the real read, it plans
 * only over indexes of that same collation, and scans when a collated filter
 * names a string `_id`.
 */
export function scanFor(
  coll: Collection | undefined,
  filter: Document | undefined,
  collation: Collation | null = null,
): Scan {
  const query = filter ?? {};
  const matches = compileFilter(filter, collation ? { collation } : {});
  if (!coll)
    return {
      stage: { stage: 'EOF' },
      keysExamined: 0,
      docsExamined: 0,
      matched: [],
      candidates: 0,
    };
  const indexes = [...coll.indexes.values()];
  const key = collationKey(collation);
  const usable = indexes.filter((index) => index.collationKey === key);
  const visitedBefore = indexes.reduce((n, index) => n + index.keysVisited, 0);
  const { plan, keys } =
    key !== SIMPLE_KEY && mentionsStringId(query)
      ? { plan: null, keys: null }
      : planWithCandidates(query, usable);
  const visited = indexes.reduce((n, index) => n + index.keysVisited, 0) - visitedBefore;
  const matched: Document[] = [];
  let docsExamined = 0;
  for (const key of keys ?? coll.docs.keys()) {
    const doc = coll.docs.get(key);
    if (!doc) continue;
    docsExamined++;
    if (matches(doc)) matched.push(doc);
  }
  if (!plan) {
    const stage = { stage: 'COLLSCAN', filter: parsedQuery(query), direction: 'forward' };
    return { stage, keysExamined: 0, docsExamined, matched, candidates: docsExamined };
  }
  if (plan.kind === 'id' || !plan.index)
    return {
      stage: { stage: 'IDHACK' },
      keysExamined: keys?.size ?? 0,
      docsExamined,
      matched,
      candidates: keys?.size ?? 0,
    };
  const index = plan.index;
  const ixscan = {
    stage: 'IXSCAN',
    keyPattern: index.spec.key,
    indexName: index.name,
    isMultiKey: index.fields.some((_, i) => index.isMultikey(i)),
    multiKeyPaths: Object.fromEntries(
      index.fields.map((field, i) => [field, index.isMultikey(i) ? [field] : []]),
    ),
    isUnique: index.unique,
    isSparse: index.sparse,
    isPartial: index.isPartial,
    indexVersion: 2,
    direction: 'forward',
    indexBounds: planBounds(query, plan, index),
  };
  return {
    stage: { stage: 'FETCH', filter: parsedQuery(query), inputStage: ixscan },
    keysExamined: visited,
    docsExamined,
    matched,
    candidates: keys?.size ?? 0,
  };
}

/** The filter as MongoDB's explain shows it: each top-level equality spelled `$eq`, several joined by `$and`. */
export function parsedQuery(filter: Document): Document {
  const terms = Object.entries(filter).map(([field, cond]) =>
    field.startsWith('$') || (isPlainObject(cond) && Object.keys(cond)[0]?.startsWith('$'))
      ? { [field]: cond }
      : { [field]: { $eq: cond } },
  );
  if (terms.length === 0) return {};
  return terms.length === 1 ? terms[0] : { $and: terms };
}

/** The scan stage with its execution counters (executionStats verbosity). */
export function withStats(scan: Scan): Document {
  const annotate = (stage: Document, nReturned: number): Document => {
    const out: Document = { ...stage, nReturned };
    if (stage.stage === 'IXSCAN') out.keysExamined = scan.keysExamined;
    if (stage.stage === 'IDHACK') out.keysExamined = scan.keysExamined;
    if (['FETCH', 'COLLSCAN', 'IDHACK'].includes(stage.stage as string))
      out.docsExamined = scan.docsExamined;
    if (stage.inputStage) out.inputStage = annotate(stage.inputStage as Document, scan.candidates);
    return out;
  };
  return annotate(scan.stage, scan.matched.length);
}
