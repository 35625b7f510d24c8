/**
 * What a read or write evaluates with, taken from the command: its collation
 * (the command's or statement's own, else the collection's default, else
 * binary) and its `let` variables.
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';
import {
  collationKey,
  optionalCollation,
  storedCollation,
  type Collation,
} from '../query/collation.js';
import { isViewOptions } from '../query/view-definitions.js';
import { evaluateLet } from '../query/let-variables.js';
import type { EvalOptions } from '../query/mingo-context.js';
import type { CommandRequest, EngineState } from './context.js';

/**
 * The collation in force: `raw` when given (`{locale: 'simple'}` is binary), else
 * the collection's default. A view's default cannot be overridden (167, as mongod).
 */
export function effectiveCollation(
  engine: EngineState,
  db: string,
  coll: string,
  raw: unknown,
): Collation | null {
  const explicit = optionalCollation(raw);
  const options = engine.catalog.collection(db, coll)?.options;
  const stored = storedCollation(options?.collation);
  if (explicit === undefined) return stored;
  if (isViewOptions(options) && collationKey(explicit) !== collationKey(stored))
    throw new EngineError(
      167,
      'OptionNotSupportedOnView',
      "Cannot override a view's default collation",
    );
  return explicit;
}

/** The command's `let` variables, evaluated once. */
export function commandVariables(request: CommandRequest): Document | undefined {
  return evaluateLet(request.command.let);
}

/** Collation and variables for one read or write statement on `coll`. */
export function evaluationFor(
  request: CommandRequest,
  engine: EngineState,
  coll: string,
  rawCollation: unknown,
  variables: Document | undefined,
): EvalOptions {
  const collation = effectiveCollation(engine, request.db, coll, rawCollation);
  return { ...(collation ? { collation } : {}), ...(variables ? { variables } : {}) };
}
