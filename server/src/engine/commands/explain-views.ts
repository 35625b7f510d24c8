/**
 * `explain` of a read on a view. mongod resolves a find, count, distinct or
 * aggregate on a view into an aggregate on the backing collection (the views'
 * pipelines, innermost first, then the command's own part as stages) under the
 * view's default collation, and explains that; so does the engine. Explained
 * writes on a view are refused as the writes themselves are (166).
 */
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import { notSupportedOnView, resolveView, type ViewCatalog } from '../query/view-definitions.js';
import { storedCollation } from '../query/collation.js';

function optionalDoc(inner: Document, field: string): Document | undefined {
  const value = inner[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw errors.typeMismatch(`'${field}' must be an object`);
  return value;
}

function nonEmpty(doc: Document | undefined): doc is Document {
  return doc !== undefined && Object.keys(doc).length > 0;
}

/** skip and limit as the stages a find or count on a view becomes. */
function skipLimit(inner: Document): Document[] {
  const stages: Document[] = [];
  const skip = Number(inner.skip ?? 0);
  const limit = Math.abs(Number(inner.limit ?? 0));
  if (Number.isFinite(skip) && skip > 0) stages.push({ $skip: skip });
  if (Number.isFinite(limit) && limit > 0) stages.push({ $limit: limit });
  return stages;
}

function findStages(inner: Document): Document[] {
  const filter = optionalDoc(inner, 'filter');
  const sort = optionalDoc(inner, 'sort');
  const projection = optionalDoc(inner, 'projection');
  return [
    ...(nonEmpty(filter) ? [{ $match: filter }] : []),
    ...(nonEmpty(sort) ? [{ $sort: sort }] : []),
    ...skipLimit(inner),
    ...(nonEmpty(projection) ? [{ $project: projection }] : []),
  ];
}

function countStages(inner: Document): Document[] {
  const query = optionalDoc(inner, 'query');
  return [
    ...(nonEmpty(query) ? [{ $match: query }] : []),
    ...skipLimit(inner),
    { $count: 'count' },
  ];
}

/** distinct: each value of the key (arrays unwound), once; grouped by value under a collation. */
function distinctStages(inner: Document, collated: boolean): Document[] {
  const key = inner.key;
  if (typeof key !== 'string') throw errors.typeMismatch("'key' must be a string");
  const query = optionalDoc(inner, 'query');
  const path = `$${key}`;
  return [
    ...(nonEmpty(query) ? [{ $match: query }] : []),
    { $unwind: { path, preserveNullAndEmptyArrays: true } },
    collated ? { $group: { _id: path } } : { $group: { _id: null, distinct: { $addToSet: path } } },
  ];
}

/**
 * The aggregate command a read of a view resolves to (null when `inner` does
 * not target a view). Its collation is the view's, or simple: the backing
 * collection's default does not apply through a view.
 */
export function viewAsAggregate(
  catalog: ViewCatalog,
  db: string,
  name: string,
  inner: Document,
): Document | null {
  const target = inner[name];
  if (typeof target !== 'string') return null;
  const resolved = resolveView(catalog, db, target);
  if (!resolved) return null;
  const viewCollation = catalog.collection(db, target)?.options.collation as Document | undefined;
  const collated = storedCollation(viewCollation) !== null;
  let stages: Document[];
  if (name === 'find') stages = findStages(inner);
  else if (name === 'count') stages = countStages(inner);
  else if (name === 'distinct') stages = distinctStages(inner, collated);
  else if (name === 'aggregate') {
    if (!Array.isArray(inner.pipeline)) throw errors.typeMismatch("'pipeline' must be an array");
    stages = inner.pipeline as Document[];
  } else throw notSupportedOnView(db, target);
  return {
    aggregate: resolved.source,
    pipeline: [...resolved.pipeline, ...stages],
    cursor: {},
    collation: collated ? viewCollation : { locale: 'simple' },
    ...(inner.let !== undefined ? { let: inner.let as unknown } : {}),
  };
}
