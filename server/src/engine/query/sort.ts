/**
 * Sorting and projection for find-like commands. Sorting follows MongoDB's
 * cross-type order (the storage layer's compareBson); an array sorts by its
 * smallest element ascending and its largest descending, as in mongod.
 */
import type { Document } from 'bson';
import { EngineError, toEngineError } from '../errors.js';
import { compareBson, getPathValues } from '../storage/bson-order.js';
import { compareCollated, type Collation } from './collation.js';
import { assertOneKind, projectTopLevel } from './find-projection.js';
import { projectWith, type EvalOptions } from './mingo-context.js';

type Compare = (a: unknown, b: unknown) => number;

function sortKey(doc: Document, path: string, direction: number, compare: Compare): unknown {
  const values = getPathValues(doc, path);
  if (values.length === 0) return null;
  let best = values[0];
  for (const value of values.slice(1)) {
    const cmp = compare(value, best);
    if ((direction > 0 && cmp < 0) || (direction < 0 && cmp > 0)) best = value;
  }
  return best;
}

/** A `{$meta: ...}` sort key: text and search scores, which the engine has not (no `$text`, no Atlas Search). */
export function metaSortUnsupported(key: object): EngineError {
  const meta = String((key as { $meta?: unknown }).$meta);
  return new EngineError(
    115,
    'CommandNotSupported',
    `sorting by {$meta: '${meta}'} is not supported by the embedded engine: it needs a $text query or Atlas Search, which the engine does not have`,
  );
}

/** Sorts in place (stable) and returns the array; strings compare by the collation when one is given. */
export function sortDocs(
  docs: Document[],
  spec: Document | undefined,
  collation: Collation | null = null,
): Document[] {
  if (!spec || Object.keys(spec).length === 0) return docs;
  const compare: Compare = collation ? (a, b) => compareCollated(a, b, collation) : compareBson;
  const fields = Object.entries(spec).map(([path, dir]) => {
    const direction = Number(dir);
    if (direction !== 1 && direction !== -1) {
      if (dir && typeof dir === 'object' && '$meta' in dir) throw metaSortUnsupported(dir);
      throw new EngineError(
        15975,
        'Location15975',
        '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
      );
    }
    return { path, direction };
  });
  const keyed = docs.map((doc) => ({
    doc,
    keys: fields.map((f) => sortKey(doc, f.path, f.direction, compare)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const cmp = compare(a.keys[i], b.keys[i]);
      if (cmp !== 0) return cmp * fields[i].direction;
    }
    return 0;
  });
  for (let i = 0; i < docs.length; i++) docs[i] = keyed[i].doc;
  return docs;
}

/**
 * Applies a find projection (its expressions may read the command's `let`
 * variables, and its `$elemMatch` and comparisons use the collation; its
 * positional `arr.$` reads `filter`); an empty or missing projection returns
 * the documents as they are.
 */
export function projectDocs(
  docs: Document[],
  projection: Document | undefined,
  evaluation: EvalOptions = {},
  filter?: Document,
): Document[] {
  if (!projection || Object.keys(projection).length === 0) return docs;
  assertOneKind(projection);
  const plain = projectTopLevel(docs, projection);
  if (plain) return plain;
  try {
    return projectWith(docs, projection, evaluation, filter);
  } catch (err) {
    throw toEngineError(err);
  }
}
