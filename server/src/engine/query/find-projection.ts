/**
 * A find projection (find, findAndModify's `fields`) as MongoDB 7.0 applies it,
 * around mingo's projection, which differs in three ways:
 * - `{arr: {$slice: n}}` with nothing else but exclusions is an exclusion
 *   projection (every other field stays); mingo keeps only the sliced field;
 * - the positional `arr.$` needs the query's filter to find the element;
 * - an inclusion projection returns the included fields in the document's
 *   order (so `_id` first) and the computed ones (expressions, `$slice`,
 *   `$elemMatch`, `arr.$`) after them in the projection's order; mingo follows
 *   the projection's order and puts `_id` last.
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';
import { isPlainObject } from './update.js';

type SliceSpec = number | [number, number];

function isExclusion(value: unknown): boolean {
  return value === 0 || value === false;
}

function isInclusion(value: unknown): boolean {
  return value === true || (typeof value === 'number' && value !== 0);
}

function sliceSpec(value: unknown): SliceSpec | null {
  if (!isPlainObject(value) || Object.keys(value).length !== 1) return null;
  const spec = value.$slice;
  if (typeof spec === 'number') return spec;
  if (
    Array.isArray(spec) &&
    spec.length === 2 &&
    spec.every((n) => typeof n === 'number') &&
    spec[1] > 0
  )
    return [spec[0], spec[1]];
  return null;
}

/** The `$slice`s of a projection made of `$slice`s and exclusions only, else null. */
export function sliceOnlyExclusion(
  projection: Document,
): { slices: [string, SliceSpec][]; exclusions: Document } | null {
  const slices: [string, SliceSpec][] = [];
  const exclusions: Document = {};
  for (const [path, value] of Object.entries(projection)) {
    const slice = sliceSpec(value);
    if (slice !== null) slices.push([path, slice]);
    else if (isExclusion(value)) exclusions[path] = value;
    else return null;
  }
  return slices.length > 0 ? { slices, exclusions } : null;
}

function sliceArray(values: unknown[], spec: SliceSpec): unknown[] {
  if (typeof spec === 'number') return spec >= 0 ? values.slice(0, spec) : values.slice(spec);
  const [skip, limit] = spec;
  const start = skip >= 0 ? skip : Math.max(0, values.length + skip);
  return values.slice(start, start + limit);
}

/** `value` with the arrays at `path` sliced (through arrays of documents, as MongoDB walks a path); copies what it changes. */
export function withSlice(value: unknown, path: string[], spec: SliceSpec): unknown {
  if (path.length === 0) return Array.isArray(value) ? sliceArray(value, spec) : value;
  if (Array.isArray(value))
    return value.map((item) => (isPlainObject(item) ? withSlice(item, path, spec) : item));
  if (!isPlainObject(value) || !(path[0] in value)) return value;
  return { ...value, [path[0]]: withSlice(value[path[0]], path.slice(1), spec) };
}

interface SpecNode {
  /** An inclusion (`1`/`true`) at or below this field. */
  included: boolean;
  children: Map<string, SpecNode>;
}

function specTree(projection: Document): SpecNode {
  const root: SpecNode = { included: false, children: new Map() };
  for (const [path, value] of Object.entries(projection)) {
    const included = isInclusion(value) && !path.endsWith('.$');
    let node = root;
    for (const part of path.replace(/\.\$$/, '').split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = { included: false, children: new Map() };
        node.children.set(part, child);
      }
      if (included) child.included = true;
      node = child;
    }
  }
  return root;
}

function reorder(result: unknown, original: unknown, node: SpecNode): unknown {
  if (Array.isArray(result) && Array.isArray(original))
    return result.map((item, i) => reorder(item, original[i], node));
  if (!isPlainObject(result) || !isPlainObject(original) || node.children.size === 0) return result;
  const out: Document = {};
  for (const key of Object.keys(original)) {
    const child = node.children.get(key);
    if (child?.included && key in result) out[key] = reorder(result[key], original[key], child);
  }
  // Computed fields in the projection's order (mingo may emit them in another).
  for (const key of node.children.keys())
    if (key in result && !(key in out)) out[key] = result[key];
  for (const key of Object.keys(result)) if (!(key in out)) out[key] = result[key];
  return out;
}

/**
 * Puts an inclusion projection's output in MongoDB's order: included fields
 * as the document has them (`_id` too, unless excluded), computed ones after.
 */
export function inMongoOrder(result: Document, original: Document, projection: Document): Document {
  const tree = specTree(projection);
  if (!tree.children.has('_id') && '_id' in result)
    tree.children.set('_id', { included: true, children: new Map() });
  return reorder(result, original, tree) as Document;
}

/** Whether a projection is an inclusion projection (any field kept by `1`, an expression or an operator). */
export function isInclusionProjection(projection: Document): boolean {
  return Object.entries(projection).some(([path, value]) => path !== '_id' && !isExclusion(value));
}

/** A projection that only includes, or only excludes, whole top-level fields. */
interface TopLevelProjection {
  include: boolean;
  fields: Set<string>;
  keepId: boolean;
}

/**
 * `projection` as a plain choice of top-level fields (`{a: 1, b: 1}`,
 * `{a: 0, _id: 0}`), else null: dotted paths, operators, expressions and
 * mixes of inclusion and exclusion (an error) take mingo's path.
 */
function topLevelProjection(projection: Document): TopLevelProjection | null {
  let include: boolean | null = null;
  let keepId = true;
  const fields = new Set<string>();
  for (const [path, value] of Object.entries(projection)) {
    if (typeof value !== 'number' && typeof value !== 'boolean') return null;
    if (path === '' || path.includes('.') || path.startsWith('$')) return null;
    if (path === '_id') {
      keepId = isInclusion(value);
      continue;
    }
    if (include !== null && include !== isInclusion(value)) return null;
    include = isInclusion(value);
    fields.add(path);
  }
  // Only `_id` named: `{_id: 1}` keeps it alone, `{_id: 0}` drops it from whole documents.
  return { include: include ?? keepId, fields, keepId };
}

/**
 * The documents with a top-level projection applied, without building a
 * projection engine per read: a read of 300 small documents asking for five
 * fields spent most of its time there. Null when the projection is not one.
 * As MongoDB does, an inclusion returns `_id` first and the fields in the
 * document's order; the values are shared, as an unprojected read's are.
 */
export function projectTopLevel(docs: Document[], projection: Document): Document[] | null {
  const spec = topLevelProjection(projection);
  if (!spec) return null;
  const { include, fields, keepId } = spec;
  return docs.map((doc) => {
    const out: Document = {};
    if (keepId && '_id' in doc) out._id = doc._id;
    for (const key of Object.keys(doc))
      if (key !== '_id' && fields.has(key) === include) out[key] = doc[key];
    return out;
  });
}

/**
 * Refuses a projection that both includes and excludes fields (other than
 * `_id`) as MongoDB 7.0 does: the first such field sets the kind, and the
 * first field of the other kind is named (31254 excluding in an inclusion,
 * 31253 including in an exclusion).
 */
export function assertOneKind(projection: Document): void {
  let include: boolean | null = null;
  for (const [path, value] of Object.entries(projection)) {
    if (path === '_id' || path.startsWith('_id.')) continue;
    if (typeof value !== 'number' && typeof value !== 'boolean') continue;
    const included = isInclusion(value);
    if (include === null) include = included;
    else if (include && !included)
      throw new EngineError(
        31254,
        'Location31254',
        `Cannot do exclusion on field ${path} in inclusion projection`,
      );
    else if (!include && included)
      throw new EngineError(
        31253,
        'Location31253',
        `Cannot do inclusion on field ${path} in exclusion projection`,
      );
  }
}
