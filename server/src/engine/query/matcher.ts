/**
 * Query matching with mingo, after removing what mingo does not know
 * (`$comment`) and rejecting what MongoDB rejects (a filter that is not a document).
 */
import { Query } from 'mingo';
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { assertBounded } from './limits.js';

export type Matcher = (doc: Document) => boolean;

const MATCH_ALL: Matcher = () => true;

export function compileFilter(filter: unknown): Matcher {
  if (filter === undefined || filter === null) return MATCH_ALL;
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw errors.typeMismatch('filter must be an object');
  assertBounded(filter);
  const clean = { ...(filter as Document) };
  delete clean.$comment;
  if (Object.keys(clean).length === 0) return MATCH_ALL;
  try {
    const query = new Query(clean);
    return (doc) => query.test(doc);
  } catch (err) {
    throw errors.badValue((err as Error).message);
  }
}
