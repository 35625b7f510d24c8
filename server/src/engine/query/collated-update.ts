/**
 * Update operators that compare values, under a collation.
 *
 * Why: mingo's `$addToSet`, `$min` and `$max` compare binary, but MongoDB
 * compares by the statement's collation (at strength 2, `$addToSet: 'BLUE'`
 * adds nothing to `['blue']`). Before mingo applies the update, those
 * operators are settled here against the document: `$addToSet` keeps only
 * values the array lacks under the collation, and `$min`/`$max` become a
 * `$set` when the collation says the value wins, or nothing when it does not.
 * (`$pull` and array filters already match through the collated query operators.)
 */
import type { Document } from 'bson';
import { collatedEqual, compareCollated, type Collation } from './collation.js';
import { isPlainObject } from './update.js';

/** The value at a dotted path of plain documents (undefined if absent or through an array). */
function valueAt(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function settleAddToSet(doc: Document, fields: Document, collation: Collation): Document {
  const out: Document = {};
  for (const [path, arg] of Object.entries(fields)) {
    const existing = valueAt(doc, path);
    if (path.includes('$') || (existing !== undefined && !Array.isArray(existing))) {
      out[path] = arg;
      continue;
    }
    const each = isPlainObject(arg) && '$each' in arg;
    const candidates = each ? (arg.$each as unknown[]) : [arg];
    if (!Array.isArray(candidates)) {
      out[path] = arg;
      continue;
    }
    const present = (existing as unknown[] | undefined) ?? [];
    const kept: unknown[] = [];
    for (const value of candidates) {
      const known = (v: unknown) => collatedEqual(v, value, collation);
      if (!present.some(known) && !kept.some(known)) kept.push(value);
    }
    out[path] = { $each: kept };
  }
  return out;
}

/** The modifier with `$addToSet`, `$min` and `$max` decided by the collation against `doc`. */
export function settleCollatedOperators(
  doc: Document,
  modifier: Document,
  collation: Collation,
): Document {
  const out: Document = { ...modifier };
  if (isPlainObject(out.$addToSet)) out.$addToSet = settleAddToSet(doc, out.$addToSet, collation);
  for (const op of ['$min', '$max'] as const) {
    const fields = out[op];
    if (!isPlainObject(fields)) continue;
    const kept: Document = {};
    const set: Document = {};
    for (const [path, value] of Object.entries(fields)) {
      const existing = path.includes('$') ? undefined : valueAt(doc, path);
      if (existing === undefined) {
        kept[path] = value;
        continue;
      }
      const cmp = compareCollated(value, existing, collation);
      if ((op === '$min' && cmp < 0) || (op === '$max' && cmp > 0)) set[path] = value;
    }
    out[op] = kept;
    if (Object.keys(set).length > 0) out.$set = { ...(out.$set as Document), ...set };
  }
  for (const key of Object.keys(out))
    if (isPlainObject(out[key]) && Object.keys(out[key]).length === 0) delete out[key];
  return out;
}
