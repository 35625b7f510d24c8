/**
 * Whether an update operator can create the field its path names, checked
 * before the update is applied.
 *
 * Why: mingo silently skips `{$set: {'x.y': 1}}` when `x` is a scalar (5,
 * 'a', null, a date...) or `{$set: {'arr.foo': 1}}` when `arr` is an array,
 * and the write reported one match and nothing modified. MongoDB refuses both
 * with error 28 PathNotViable: "Cannot create field 'y' in element {x: 5}".
 * Removing operators (`$unset`, `$pop`, `$pull`, `$pullAll`) stay no-ops on
 * such paths, as in MongoDB. Paths through a positional operator (`$`, `$[]`,
 * `$[id]`) are left to the update itself.
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';

/** The operators that create the field at their path when it is missing. */
const CREATING = new Set([
  '$set',
  '$setOnInsert',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$currentDate',
  '$push',
  '$addToSet',
  '$bit',
]);

const INDEX = /^\d+$/;

function isContainer(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A value as mongod prints it in this message: `5`, `"a"`, `[ 1, 2 ]`, `{ a: 1 }`. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length ? `[ ${value.map(shown).join(', ')} ]` : '[]';
  if (isContainer(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${shown(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  return JSON.stringify(value) ?? typeof value;
}

function notViable(field: string, parent: string, value: unknown): EngineError {
  return new EngineError(
    28,
    'PathNotViable',
    `Cannot create field '${field}' in element {${parent}: ${shown(value)}}`,
  );
}

/** Throws 28 PathNotViable when `path` runs through a scalar, or names a field of an array. */
export function assertPathViable(doc: Document, path: string): void {
  const parts = path.split('.');
  let holder: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith('$')) return;
    let next: unknown;
    if (Array.isArray(holder)) {
      if (!INDEX.test(part)) throw notViable(part, parts[i - 1], holder);
      next = holder[Number(part)];
    } else if (isContainer(holder)) {
      next = holder[part];
    } else {
      throw notViable(part, parts[i - 1], holder);
    }
    if (next === undefined) return;
    holder = next;
  }
}

/** Checks every path an operator update would create. */
export function assertUpdatePathsViable(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    if (!CREATING.has(op) || !isContainer(fields)) continue;
    for (const path of Object.keys(fields)) assertPathViable(doc, path);
  }
}
