/**
 * How collation and `let` variables reach mingo, which evaluates the engine's
 * filters, pipelines and update expressions.
 *
 * Why: mingo knows `let` (its `variables` option) but applies a collation only
 * in `$sort`. Under a collation, this module builds a mingo operator context in
 * which every comparison that MongoDB collates uses `compareCollated`: the
 * query operators (`$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin`,
 * `$all`), the expression comparisons (`$eq`, `$ne`, `$gt`, `$gte`, `$lt`,
 * `$lte`, `$cmp`, `$in`, in `$expr` and in pipelines), `$sort`, the keys of
 * `$group` and `$sortByCount`, and the operators that pick values by order
 * (`$min`, `$max`, `$top`, `$sortArray`...: ordered-operators.ts, also used
 * without a collation for MongoDB's BSON order). What would still compare binary is refused
 * (uncollated.ts). mingo's public entry points put their own operators before any
 * given ones, so the collated context is used through its base classes.
 */
import type { Document } from 'bson';
import { Query as BaseQuery } from 'mingo/query';
import { Aggregator as BaseAggregator } from 'mingo/aggregator';
import { update as baseUpdate } from 'mingo/updater';
import { Context, evalExpr } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { ensureArray, flatten, isNil, isRegExp, resolve } from 'mingo/util';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { bsonRank, compareBson, TypeRank } from '../storage/bson-order.js';
import { CollatedSet, collatedEqual, compareCollated, type Collation } from './collation.js';
import { jsonSchemaValidator } from './json-schema-check.js';
import { typeQueryOperator } from './type-operator.js';
import { checkPipeline } from './stage-check.js';
import { isPlainObject } from './update.js';
import {
  inMongoOrder,
  isInclusionProjection,
  sliceOnlyExclusion,
  withSlice,
} from './find-projection.js';
import { orderedOperators } from './ordered-operators.js';
import { wideOperators } from './wide-operators.js';
import { isNaNValue } from './wide-numbers.js';
import { sortDocs } from './sort.js';
import { assertCollationApplies } from './uncollated.js';

/** What a read or write evaluates with, beyond its filter: a collation and `let` variables. */
export interface EvalOptions {
  /** Null or absent: MongoDB's binary string comparison. */
  collation?: Collation | null;
  /** The command's `let` variables, already evaluated (`$$name` in expressions). */
  variables?: Document;
}

type Predicate = (doc: unknown) => boolean;
type QueryOp = (selector: string, value: unknown, options: Options) => Predicate;
type ExpressionOp = (obj: unknown, expr: unknown, options: Options) => unknown;
type PipelineOp = (coll: Iterator, expr: unknown, options: Options) => Iterator;
type ProjectionOp = (obj: unknown, expr: unknown, field: string, options: Options) => unknown;

function depthOf(selector: string): number {
  let depth = 0;
  for (const c of selector) if (c === '.') depth++;
  return depth;
}

/** A field condition: resolves the field (arrays unwrapped, as mingo does) and tests the values. */
function fieldOp(test: (lhs: unknown, value: unknown, depth: number) => boolean): QueryOp {
  return (selector, value) => {
    const depth = depthOf(selector);
    return (doc) => test(resolve(doc as Document, selector, { unwrapArray: true }), value, depth);
  };
}

function queryOps(c: Collation): Record<string, QueryOp> {
  const eq = (lhs: unknown, value: unknown, depth: number): boolean => {
    if (collatedEqual(lhs, value, c)) return true;
    if (isNil(lhs) && isNil(value)) return true;
    if (!Array.isArray(lhs)) return false;
    return (
      lhs.some((v) => collatedEqual(v, value, c)) ||
      flatten(lhs, depth).some((v) => collatedEqual(v, value, c))
    );
  };
  const within = (lhs: unknown, list: unknown) => {
    const values = list as unknown[];
    if (isNil(lhs)) return values.some((v) => v === null);
    return ensureArray(lhs).some((item) =>
      values.some((v) =>
        isRegExp(v) ? typeof item === 'string' && v.test(item) : collatedEqual(item, v, c),
      ),
    );
  };
  const ordered = (holds: (cmp: number) => boolean) =>
    fieldOp((lhs, value) =>
      ensureArray(lhs).some(
        (v) => bsonRank(v) === bsonRank(value) && holds(compareCollated(v, value, c)),
      ),
    );
  const defaultAll = queryOperators.$all as unknown as QueryOp;
  return {
    $eq: fieldOp(eq),
    $ne: fieldOp((lhs, value, depth) => !eq(lhs, value, depth)),
    $in: fieldOp(within),
    $nin: fieldOp((lhs, list) => !within(lhs, list)),
    $gt: ordered((cmp) => cmp > 0),
    $gte: ordered((cmp) => cmp >= 0),
    $lt: ordered((cmp) => cmp < 0),
    $lte: ordered((cmp) => cmp <= 0),
    $all: (selector, value, options) => {
      const list = value as unknown[];
      const plain = Array.isArray(list) && list.every((v) => !isRegExp(v) && !isElemMatch(v));
      if (!plain) return defaultAll(selector, value, options);
      return fieldOp(
        (lhs) =>
          Array.isArray(lhs) &&
          lhs.length > 0 &&
          list.length > 0 &&
          list.every((wanted) => lhs.some((v) => collatedEqual(v, wanted, c))),
      )(selector, value, options);
    },
  };
}

/**
 * `$gt`, `$gte`, `$lt` and `$lte` against a number, in MongoDB's numeric
 * order whatever the numbers' BSON types: mingo compares a Decimal128, or a
 * Long beyond 2^53 (both stay BSON values in the engine), as objects, so
 * `{n: {$gt: 10}}` missed them. As in MongoDB, only numbers match, and NaN
 * is equal to NaN and otherwise compares false. Other operands go to `base`.
 */
function numericComparisons(base: Record<string, QueryOp>): Record<string, QueryOp> {
  const op = (name: string, holds: (cmp: number) => boolean, equalNaN: boolean): QueryOp => {
    const test = (v: unknown, value: unknown) => {
      if (bsonRank(v) !== TypeRank.number) return false;
      if (isNaNValue(v) || isNaNValue(value)) return equalNaN && isNaNValue(v) && isNaNValue(value);
      return holds(compareBson(v, value));
    };
    const numeric = fieldOp((lhs, value) => ensureArray(lhs).some((v) => test(v, value)));
    return (selector, value, options) =>
      bsonRank(value) === TypeRank.number
        ? numeric(selector, value, options)
        : base[name](selector, value, options);
  };
  return {
    $gt: op('$gt', (cmp) => cmp > 0, false),
    $gte: op('$gte', (cmp) => cmp >= 0, true),
    $lt: op('$lt', (cmp) => cmp < 0, false),
    $lte: op('$lte', (cmp) => cmp <= 0, true),
  };
}

function isElemMatch(value: unknown): boolean {
  return !!value && typeof value === 'object' && '$elemMatch' in value;
}

/**
 * The find projection `$elemMatch`: the first element matching the condition,
 * as MongoDB returns it. A condition made only of operators (`{$gt: 5}`) tests
 * the element itself, so arrays of plain values work too (as in the query
 * `$elemMatch`); mingo's own treats it as a document filter and fails.
 */
const projectElemMatch: ProjectionOp = (obj, expr, field, options) => {
  const values = resolve(obj as Document, field);
  if (!Array.isArray(values)) return undefined;
  const condition = (expr ?? {}) as Document;
  const keys = Object.keys(condition);
  const onValue =
    keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k));
  const query = new BaseQuery(onValue ? { v: condition } : condition, options);
  const found = values.find((item) => query.test(onValue ? { v: item } : item));
  return found === undefined ? undefined : [found];
};

function expressionOps(c: Collation): Record<string, ExpressionOp> {
  const pair = (obj: unknown, expr: unknown, options: Options): [unknown, unknown] => {
    const args = evalExpr(obj, expr, options);
    if (!Array.isArray(args) || args.length !== 2)
      throw new Error('comparison expressions take exactly 2 arguments');
    return [args[0], args[1]];
  };
  const comparison =
    (holds: (cmp: number) => boolean): ExpressionOp =>
    (obj, expr, options) => {
      const [a, b] = pair(obj, expr, options);
      return holds(compareCollated(a ?? null, b ?? null, c));
    };
  return {
    $eq: comparison((cmp) => cmp === 0),
    $ne: comparison((cmp) => cmp !== 0),
    $gt: comparison((cmp) => cmp > 0),
    $gte: comparison((cmp) => cmp >= 0),
    $lt: comparison((cmp) => cmp < 0),
    $lte: comparison((cmp) => cmp <= 0),
    $cmp: (obj, expr, options) => {
      const [a, b] = pair(obj, expr, options);
      return compareCollated(a ?? null, b ?? null, c);
    },
    $in: (obj, expr, options) => {
      const [item, list] = pair(obj, expr, options);
      if (!Array.isArray(list)) throw new Error('$in requires an array as a second argument');
      return list.some((v) => collatedEqual(item, v, c));
    },
  };
}

/**
 * `$lookup` by `localField`/`foreignField`: joined by collated equality (an
 * array on either side joins by any element). Other forms go to mingo, whose
 * sub-pipeline `$match` already uses the collated operators.
 */
function collatedLookup(c: Collation): PipelineOp {
  const defaultLookup = pipelineOperators.$lookup as unknown as PipelineOp;
  return (coll, expr, options) => {
    const spec = expr as Document;
    const resolver = options.collectionResolver;
    const { from, localField, foreignField, as } = spec;
    if (
      typeof from !== 'string' ||
      typeof localField !== 'string' ||
      typeof foreignField !== 'string' ||
      typeof as !== 'string' ||
      spec.pipeline !== undefined ||
      !resolver
    )
      return defaultLookup(coll, expr, options);
    const joined = new CollatedSet<Document[]>(c);
    for (const doc of resolver(from) as Document[]) {
      for (const value of ensureArray(resolve(doc, foreignField) ?? null)) {
        const slot = joined.slot(value, () => []);
        if (!joined.payloads[slot].includes(doc)) joined.payloads[slot].push(doc);
      }
    }
    return coll.map((obj: unknown) => {
      const matches = new Set<Document>();
      for (const value of ensureArray(resolve(obj as Document, localField) ?? null)) {
        const slot = joined.indexOf(value);
        if (slot >= 0) for (const doc of joined.payloads[slot]) matches.add(doc);
      }
      return { ...(obj as Document), [as]: [...matches] };
    });
  };
}

function pipelineOps(c: Collation): Record<string, PipelineOp> {
  const defaultGroup = pipelineOperators.$group as unknown as PipelineOp;
  const ops: Record<string, PipelineOp> = {
    $lookup: collatedLookup(c),
    $sort: (coll, spec) =>
      coll.transform((items: unknown[]) =>
        Lazy(sortDocs(items as Document[], spec as Document, c)),
      ),
    // Groups form by collated equality of their keys; each is then accumulated by mingo alone.
    $group: (coll, expr, options) =>
      coll.transform((items: unknown[]) => {
        const spec = expr as Document;
        const groups = new CollatedSet<unknown[]>(c);
        for (const item of items) {
          const slot = groups.slot(evalExpr(item, spec._id, options) ?? null, () => []);
          groups.payloads[slot].push(item);
        }
        const out = groups.values.map((id, i) => {
          const [grouped] = defaultGroup(
            Lazy(groups.payloads[i]),
            { ...spec, _id: null },
            options,
          ).collect<Document>();
          return { ...grouped, _id: id };
        });
        return Lazy(out);
      }),
    // `{$group: {_id: expr, count: {$sum: 1}}}` then `{$sort: {count: -1}}`, as MongoDB defines it.
    $sortByCount: (coll, expr, options) =>
      ops.$sort(
        ops.$group(coll, { _id: expr, count: { $sum: 1 } }, options),
        { count: -1 },
        options,
      ),
  };
  return ops;
}

const defaultProject = pipelineOperators.$project as unknown as PipelineOp;

/** `$project` with its output in MongoDB's field order (find-projection.ts), under any collation. */
const orderedProject: PipelineOp = (coll, expr, options) => {
  if (!isPlainObject(expr) || !isInclusionProjection(expr))
    return defaultProject(coll, expr, options);
  return coll.transform((items: unknown[]) => {
    const out = defaultProject(Lazy(items), expr, options).collect<Document>();
    return Lazy(out.map((doc, i) => inMongoOrder(doc, items[i] as Document, expr)));
  });
};

const contexts = new Map<string, Context>();

/** The operator context for a collation: mingo's operators with the collated ones in their place. */
function collatedContext(c: Collation): Context {
  let context = contexts.get(c.key);
  if (!context) {
    const ordered = orderedOperators(c);
    const collatedQuery = queryOps(c);
    context = Context.init({
      accumulator: {
        ...accumulatorOperators,
        ...ordered.accumulator,
        ...wideOperators.accumulator,
      },
      // The collated comparisons already compare wide numbers (compareCollated): they come after.
      expression: {
        ...expressionOperators,
        ...wideOperators.expression,
        ...expressionOps(c),
        ...ordered.expression,
      },
      pipeline: { ...pipelineOperators, $project: orderedProject, ...pipelineOps(c) },
      projection: { ...projectionOperators, $elemMatch: projectElemMatch },
      query: {
        ...queryOperators,
        ...collatedQuery,
        ...numericComparisons(collatedQuery),
        $type: typeQueryOperator as unknown as QueryOp,
      },
      window: { ...windowOperators },
    });
    contexts.set(c.key, context);
  }
  return context;
}

function mingoOptions(options: EvalOptions, extra: Partial<Options> = {}): Partial<Options> {
  const out: Partial<Options> = { ...extra };
  Object.assign(out, { jsonSchemaValidator });
  if (options.variables) Object.assign(out, { variables: options.variables });
  if (options.collation) Object.assign(out, { context: collatedContext(options.collation) });
  return out;
}

/** A compiled mingo query evaluating with the collation and variables. */
export function makeQuery(filter: Document, options: EvalOptions): { test(doc: unknown): boolean } {
  if (!options.collation)
    return new BaseQuery(filter, { ...mingoOptions(options), context: defaultContext() });
  return new BaseQuery(filter, mingoOptions(options));
}

/**
 * A find projection (`$elemMatch`, `$slice`, the positional `arr.$`,
 * expressions) over documents, with the collation and variables; `filter` is
 * the query's, which the positional projection reads. See find-projection.ts
 * for where MongoDB's projection and mingo's part.
 */
export function projectWith(
  docs: Document[],
  projection: Document,
  options: EvalOptions,
  filter: Document = {},
): Document[] {
  const sliced = sliceOnlyExclusion(projection);
  if (sliced) {
    const base = Object.keys(sliced.exclusions).length
      ? projectWith(docs, sliced.exclusions, options)
      : docs;
    return base.map((doc) =>
      sliced.slices.reduce(
        (out, [path, spec]) => withSlice(out, path.split('.'), spec) as Document,
        doc,
      ),
    );
  }
  const positional = Object.keys(projection).some((path) => path.endsWith('.$'));
  const query = new ProjectingQuery(positional ? filter : {}, {
    ...mingoOptions(options),
    context: options.collation ? collatedContext(options.collation) : defaultContext(),
  });
  const out = query.find(docs, projection).all() as Document[];
  if (!isInclusionProjection(projection)) return out;
  return out.map((doc, i) => inMongoOrder(doc, docs[i], projection));
}

/** A query whose find keeps every document given (already filtered): its condition is only for `arr.$`. */
class ProjectingQuery extends BaseQuery {
  override test(): boolean {
    return true;
  }
}

/** Runs a pipeline over documents with the collation and variables. */
export function runPipeline(
  pipeline: Document[],
  docs: Document[],
  options: EvalOptions,
  extra: Partial<Options> = {},
): Document[] {
  checkPipeline(pipeline);
  assertCollationApplies(pipeline, options.collation);
  if (!options.collation)
    return new BaseAggregator(pipeline, {
      ...mingoOptions(options, extra),
      context: defaultContext(),
    }).run<Document>(docs);
  return new BaseAggregator(pipeline, mingoOptions(options, extra)).run<Document>(docs);
}

let plainContext: Context | null = null;

function defaultContext(): Context {
  const ordered = orderedOperators(null);
  plainContext ??= Context.init({
    accumulator: { ...accumulatorOperators, ...ordered.accumulator, ...wideOperators.accumulator },
    expression: { ...expressionOperators, ...ordered.expression, ...wideOperators.expression },
    pipeline: { ...pipelineOperators, $project: orderedProject },
    projection: { ...projectionOperators, $elemMatch: projectElemMatch },
    query: {
      ...queryOperators,
      ...numericComparisons(queryOperators as unknown as Record<string, QueryOp>),
      $type: typeQueryOperator as unknown as QueryOp,
    },
    window: { ...windowOperators },
  });
  return plainContext;
}

/** mingo's operator update, with array filters and the positional query under the collation and variables. */
export function applyOperatorUpdate(
  doc: Document,
  modifier: Document,
  arrayFilters: Document[] | undefined,
  condition: Document | undefined,
  options: EvalOptions,
): void {
  baseUpdate(doc, modifier, arrayFilters, condition, {
    cloneMode: 'none',
    queryOptions: {
      ...mingoOptions(options),
      context: options.collation ? collatedContext(options.collation) : defaultContext(),
    },
  });
}

/** Evaluates an expression (a `let` value) against `doc`. */
export function evaluate(expr: unknown, doc: Document, options: EvalOptions = {}): unknown {
  return evalExpr(doc, expr, {
    ...mingoOptions(options),
    context: options.collation ? collatedContext(options.collation) : defaultContext(),
  } as Options);
}
