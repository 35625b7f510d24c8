/**
 * Views: a name standing for a pipeline over another namespace (a collection or
 * another view). A view lives in the catalog as a collection entry whose
 * options hold `viewOn` and `pipeline`, so creation, drop, rename, the journal
 * and snapshots need nothing new. Reading one resolves the chain down to the
 * backing collection and runs the concatenated pipelines, as mongod does.
 */
import type { Document } from 'bson';
import { EngineError, errors, toEngineError } from '../errors.js';
import { isKnownStage } from './stages.js';
import { cloneDoc, isPlainObject } from './update.js';
import { assertBounded } from './limits.js';
import { runPipeline, type EvalOptions } from './mingo-context.js';

/** mongod refuses view chains deeper than this (ViewDepthLimitExceeded). */
const MAX_VIEW_DEPTH = 20;
/** Stages a view definition may not contain. */
const FORBIDDEN_IN_VIEW = new Set(['$out', '$merge', '$changeStream']);

export interface ViewCatalog {
  collection(db: string, name: string): { options: Document } | undefined;
}

export interface ResolvedView {
  /** The collection the chain of views finally reads. */
  source: string;
  /** Every view's pipeline, innermost first. */
  pipeline: Document[];
}

export function isViewOptions(options: Document | undefined): boolean {
  return typeof options?.viewOn === 'string';
}

export function isView(catalog: ViewCatalog, db: string, name: string): boolean {
  return isViewOptions(catalog.collection(db, name)?.options);
}

/** The backing collection and the full pipeline of `db.name`, or null if it is not a view. */
export function resolveView(catalog: ViewCatalog, db: string, name: string): ResolvedView | null {
  let options = catalog.collection(db, name)?.options;
  if (!isViewOptions(options)) return null;
  const chain: Document[][] = [];
  const seen = new Set<string>([name]);
  let source = name;
  while (isViewOptions(options)) {
    if (chain.length >= MAX_VIEW_DEPTH)
      throw new EngineError(
        149,
        'ViewDepthLimitExceeded',
        `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`,
      );
    chain.unshift((options!.pipeline as Document[] | undefined) ?? []);
    source = options!.viewOn as string;
    if (seen.has(source))
      throw new EngineError(93, 'GraphContainsCycle', `View cycle detected: ${db}.${source}`);
    seen.add(source);
    options = catalog.collection(db, source)?.options;
  }
  return { source, pipeline: chain.flat() };
}

/** Checks a view's `viewOn` and `pipeline` the way `create` and `collMod` do. */
export function validateViewDefinition(viewOn: unknown, pipeline: unknown): Document[] {
  if (typeof viewOn !== 'string')
    throw errors.typeMismatch(
      `BSON field 'create.viewOn' is the wrong type '${typeof viewOn}', expected type 'string'`,
    );
  if (viewOn.length === 0) throw errors.badValue("'viewOn' cannot be empty");
  if (pipeline === undefined) return [];
  if (!Array.isArray(pipeline))
    throw errors.typeMismatch(
      "BSON field 'create.pipeline' is the wrong type, expected type 'array'",
    );
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
      throw errors.failedToParse(
        'A pipeline stage specification object must contain exactly one field.',
      );
    const name = Object.keys(stage)[0];
    if (!isKnownStage(name))
      throw new EngineError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);
    if (FORBIDDEN_IN_VIEW.has(name))
      throw new EngineError(
        167,
        'OptionNotSupportedOnView',
        `${name} cannot be used in a view definition`,
      );
  }
  assertBounded(pipeline);
  return pipeline as Document[];
}

/**
 * Runs a view's pipeline over the backing collection's documents (which it does
 * not modify), under the view's collation.
 */
export function runViewPipeline(
  input: Document[],
  pipeline: Document[],
  options: EvalOptions,
  resolver: (name: string) => Document[],
): Document[] {
  if (pipeline.length === 0) return input;
  try {
    return runPipeline(pipeline, input.map(cloneDoc), options, { collectionResolver: resolver });
  } catch (err) {
    throw toEngineError(err);
  }
}

/** CommandNotSupportedOnView, worded as mongod words it. */
export function notSupportedOnView(db: string, name: string): EngineError {
  return new EngineError(
    166,
    'CommandNotSupportedOnView',
    `Namespace ${db}.${name} is a view, not a collection`,
  );
}
