/**
 * `updateDescription` at mongod's granularity. An operator update is described
 * path by path, as mongod logs it: a `$set` names the path it set (a whole
 * sub-document stays whole), a path created under a missing parent is named at
 * the first missing field, `$push`/`$addToSet` that append name each new
 * element (`arr.3`), `$pull`/`$pop` name the whole array. A pipeline update is
 * described by comparing the two versions, arrays element by element, with
 * shrunk arrays in `truncatedArrays`. Paths that a reader could not split back
 * unambiguously (a numeric field name below the top level, a dot inside a field
 * name) are listed in `disambiguatedPaths`, shown to showExpandedEvents streams.
 */
import type { Document } from 'bson';
import { isPlainObject } from '../query/update.js';
import { valueKey } from '../storage/bson-order.js';
import type { UpdateDescription } from './event-log.js';

/** One step of a path: a field name, or an index into an array. */
type Step = string | number;

const APPENDING = new Set(['$push', '$addToSet']);
const WHOLE_ARRAY = new Set(['$pop', '$pull', '$pullAll']);

class Description {
  readonly updatedFields: Document = {};
  readonly removedFields: string[] = [];
  readonly truncatedArrays: Array<{ field: string; newSize: number }> = [];
  readonly disambiguatedPaths: Document = {};

  updated(steps: Step[], value: unknown): void {
    this.updatedFields[this.name(steps)] = value;
  }

  removed(steps: Step[]): void {
    this.removedFields.push(this.name(steps));
  }

  truncated(steps: Step[], newSize: number): void {
    this.truncatedArrays.push({ field: this.name(steps), newSize });
  }

  private name(steps: Step[]): string {
    const path = steps.join('.');
    const ambiguous = steps.some(
      (step, i) =>
        typeof step === 'string' && (step.includes('.') || (i > 0 && /^\d+$/.test(step))),
    );
    if (ambiguous) this.disambiguatedPaths[path] = [...steps];
    return path;
  }

  result(): UpdateDescription {
    const out: UpdateDescription = {
      updatedFields: this.updatedFields,
      removedFields: this.removedFields,
      truncatedArrays: this.truncatedArrays,
    };
    if (Object.keys(this.disambiguatedPaths).length > 0)
      out.disambiguatedPaths = this.disambiguatedPaths;
    return out;
  }
}

function same(a: unknown, b: unknown): boolean {
  return a === b || valueKey(a) === valueKey(b);
}

/** Compares two values at `steps`, recording the differences mongod's diff would record. */
function diff(out: Description, steps: Step[], a: unknown, b: unknown): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of Object.keys(b)) {
      if (!(key in a)) out.updated([...steps, key], b[key]);
      else if (!same(a[key], b[key])) diff(out, [...steps, key], a[key], b[key]);
    }
    for (const key of Object.keys(a)) if (!(key in b)) out.removed([...steps, key]);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && steps.length > 0) {
    if (b.length < a.length) out.truncated(steps, b.length);
    for (let i = 0; i < b.length; i++) {
      if (i >= a.length) out.updated([...steps, i], b[i]);
      else if (!same(a[i], b[i])) diff(out, [...steps, i], a[i], b[i]);
    }
    return;
  }
  out.updated(steps, b);
}

/** Follows `path` through `doc`, typing each step; `found` is false past the first missing step. */
function walk(doc: Document, path: string[]): { steps: Step[]; value: unknown; found: boolean } {
  let current: unknown = doc;
  const steps: Step[] = [];
  for (const part of path) {
    if (Array.isArray(current) && /^\d+$/.test(part)) {
      steps.push(Number(part));
      if (Number(part) >= current.length) return { steps, value: undefined, found: false };
      current = current[Number(part)];
    } else if (isPlainObject(current) && part in current) {
      steps.push(part);
      current = current[part];
    } else {
      steps.push(part);
      return { steps, value: undefined, found: false };
    }
  }
  return { steps, value: current, found: true };
}

function valueAt(doc: Document, steps: Step[]): unknown {
  let current: unknown = doc;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** Describes one operator's effect on `path`. */
function describePath(
  out: Description,
  op: string,
  path: string,
  before: Document,
  after: Document,
): void {
  const parts = path.split('.');
  const positional = parts.findIndex((part) => part.startsWith('$'));
  if (positional !== -1) {
    // Positional paths resolve per document: compare what lies under the array they address.
    const prefix = walk(after, parts.slice(0, positional));
    const old = walk(before, parts.slice(0, positional));
    if (!same(old.value, prefix.value)) diff(out, prefix.steps, old.value, prefix.value);
    return;
  }
  const was = walk(before, parts);
  const now = walk(after, parts);
  if (op === '$unset' || (op === '$rename' && !now.found)) {
    if (was.found) out.removed(was.steps);
    return;
  }
  if (!now.found) return;
  if (was.found && same(was.value, now.value)) return;
  if (!was.found) {
    // A path created under missing parents is logged at the first field that did not exist.
    const created = was.steps;
    out.updated(created, valueAt(after, created));
    return;
  }
  if (APPENDING.has(op) && Array.isArray(was.value) && Array.isArray(now.value)) {
    const old = was.value;
    const grown = now.value;
    if (grown.length > old.length && old.every((item, i) => same(item, grown[i]))) {
      for (let i = old.length; i < grown.length; i++) out.updated([...now.steps, i], grown[i]);
      return;
    }
  }
  if (WHOLE_ARRAY.has(op) || APPENDING.has(op)) {
    out.updated(now.steps, now.value);
    return;
  }
  out.updated(now.steps, now.value);
}

/**
 * The updateDescription of a change from `before` to `after`; `spec` is the
 * update that made it (an operator document or a pipeline).
 */
export function describeUpdate(
  before: Document,
  after: Document,
  spec?: Document | Document[],
): UpdateDescription {
  const out = new Description();
  if (spec && !Array.isArray(spec) && Object.keys(spec).every((key) => key.startsWith('$'))) {
    for (const [op, fields] of Object.entries(spec)) {
      if (op === '$setOnInsert' || !isPlainObject(fields)) continue;
      for (const [path, target] of Object.entries(fields)) {
        describePath(out, op, path, before, after);
        if (op === '$rename' && typeof target === 'string')
          describePath(out, '$set', target, before, after);
      }
    }
    const result = out.result();
    // Whatever the paths missed (never expected) still shows, rather than a change passing as a no-op.
    if (!isNoopUpdate(result) || same(before, after)) return result;
  }
  diff(out, [], before, after);
  return out.result();
}

/** Whether an update changed nothing (mongod then neither writes nor reports it). */
export function isNoopUpdate(ud: UpdateDescription): boolean {
  return (
    Object.keys(ud.updatedFields).length === 0 &&
    ud.removedFields.length === 0 &&
    ud.truncatedArrays.length === 0
  );
}
