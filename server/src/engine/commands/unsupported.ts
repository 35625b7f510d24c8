/**
 * Options MongoDB documents that the engine does not implement and would
 * otherwise ignore, which would be silently wrong: a capped collection that never
 * caps, a tailable cursor that never tails. They are refused up front with
 * CommandNotSupported naming the option (the README lists them).
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';

const UNSUPPORTED: Record<string, Record<string, string>> = {
  create: {
    capped: 'capped collections are not supported by the embedded engine',
    timeseries: 'time-series collections are not supported by the embedded engine',
    clusteredIndex: 'clustered collections are not supported by the embedded engine',
  },
  find: {
    tailable: 'tailable cursors are not supported by the embedded engine (use a change stream)',
    awaitData: 'tailable cursors are not supported by the embedded engine (use a change stream)',
  },
};

/** Throws CommandNotSupported (115) when `command` asks for an option the engine lacks. */
export function refuseUnsupported(name: string, command: Document): void {
  const options = UNSUPPORTED[name];
  if (!options) return;
  for (const [field, message] of Object.entries(options)) {
    const value = command[field] as unknown;
    if (value !== undefined && value !== false && value !== null)
      throw new EngineError(115, 'CommandNotSupported', `${message} ('${field}')`);
  }
}
