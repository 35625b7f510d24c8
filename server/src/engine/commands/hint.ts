/**
 * `hint`: the engine's planner picks its own index and the result is the same
 * whichever index serves it, so a hint is honoured by answering correctly. What
 * must not pass silently is a hint naming an index that does not exist, which
 * MongoDB refuses (BadValue) rather than run the query some other way.
 */
import { errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import type { DataView } from '../txn/views.js';

function sameKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** Throws when `hint` names no index of db.coll (a missing collection takes any hint: nothing to scan). */
export function assertHintExists(view: DataView, db: string, coll: string, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  const collection = view.collection(db, coll);
  if (!collection) return;
  if (typeof hint === 'string') {
    if (collection.indexSpecs.some((spec) => spec.name === hint)) return;
  } else if (isPlainObject(hint)) {
    if (Object.keys(hint).length === 0 || '$natural' in hint) return;
    if (collection.indexSpecs.some((spec) => sameKey(spec.key, hint))) return;
  }
  throw errors.badValue(
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );
}
