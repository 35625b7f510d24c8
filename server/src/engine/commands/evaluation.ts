/**
 * What a read or write evaluates with, taken from the command: its collation
 * (the command's or statement's own, else the collection's default, else
 * binary) and its `let` variables.
 */
import type { Document } from 'bson';
import { optionalCollation, storedCollation, type Collation } from '../query/collation.js';
import { evaluateLet } from '../query/let-variables.js';
import type { EvalOptions } from '../query/mingo-context.js';
import type { CommandRequest, EngineState } from './context.js';

/** The collation in force: `raw` when given (`{locale: 'simple'}` is binary), else the collection's default. */
export function effectiveCollation(
  engine: EngineState,
  db: string,
  coll: string,
  raw: unknown,
): Collation | null {
  const explicit = optionalCollation(raw);
  if (explicit !== undefined) return explicit;
  return storedCollation(engine.catalog.collection(db, coll)?.options.collation);
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
