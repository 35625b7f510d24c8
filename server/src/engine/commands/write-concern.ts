/**
 * Write concerns on a one-node replica set. Every write is durable on the one
 * member when the command returns (the journal is flushed before the reply),
 * so `w: 1`, `w: 'majority'` and `j: true` are satisfied. What one node cannot
 * satisfy (`w: 2` and above, a tag name the set does not define) is answered as
 * MongoDB answers it: the write is applied and the reply carries a
 * `writeConcernError`, never a plain success.
 */
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import { bsonTypeName } from '../query/bson-type.js';
import { acceptsWriteConcern, fieldErrors } from './field-check.js';

const WRITE_CONCERN_FIELDS = new Set([
  'w',
  'j',
  'wtimeout',
  'fsync',
  'provenance',
  'getLastError',
  'wOpTime',
  'wElectionId',
]);
const MAX_MEMBERS = 50;
/** Data-bearing members of the set the engine presents. */
const MEMBERS = 1;

/** Refuses a writeConcern MongoDB would refuse before running the command. */
export function checkWriteConcern(name: string, command: Document, inTransaction: boolean): void {
  const wc = command.writeConcern as unknown;
  if (wc === undefined || wc === null) return;
  if (!acceptsWriteConcern(name))
    throw errors.invalidOptions('Command does not support writeConcern');
  if (inTransaction && name !== 'commitTransaction' && name !== 'abortTransaction')
    throw errors.invalidOptions('writeConcern is not allowed within a multi-statement transaction');
  if (!isPlainObject(wc)) return;
  for (const field of Object.keys(wc))
    if (!WRITE_CONCERN_FIELDS.has(field)) throw fieldErrors.unknown(`writeConcern.${field}`);
  const { w, j, fsync, wtimeout } = wc;
  if (w !== undefined && typeof w !== 'string') {
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > MAX_MEMBERS)
      throw errors.failedToParse(
        `w has to be a non-negative number and not greater than ${MAX_MEMBERS}; or a string`,
      );
  }
  if (wtimeout !== undefined && typeof wtimeout !== 'number')
    throw fieldErrors.wrongType('writeConcern.wtimeout', bsonTypeName(wtimeout), "type 'int'");
  for (const [field, value] of [
    ['j', j],
    ['fsync', fsync],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean' && typeof value !== 'number')
      throw fieldErrors.wrongType(`writeConcern.${field}`, bsonTypeName(value), "type 'bool'");
  }
  if (j === true && fsync === true)
    throw errors.failedToParse('fsync and j options cannot be used together');
}

/** The writeConcernError a successful write's reply carries, or null when the concern is met. */
export function writeConcernError(command: Document): Document | null {
  const wc = command.writeConcern as unknown;
  if (!isPlainObject(wc)) return null;
  const w = wc.w as unknown;
  const errInfo = {
    writeConcern: {
      w,
      wtimeout: typeof wc.wtimeout === 'number' ? wc.wtimeout : 0,
      provenance: 'clientSupplied',
    },
  };
  if (typeof w === 'number' && w > MEMBERS) {
    return {
      code: 100,
      codeName: 'UnsatisfiableWriteConcern',
      errmsg: 'Not enough data-bearing nodes',
      errInfo,
    };
  }
  if (typeof w === 'string' && w !== 'majority') {
    return {
      code: 79,
      codeName: 'UnknownReplWriteConcern',
      errmsg: `No write concern mode named '${w}' found in replica set configuration`,
      errInfo,
    };
  }
  return null;
}

/** Adds the writeConcernError to a successful reply (MongoDB keeps ok: 1 and the write's result). */
export function withWriteConcern(command: Document, reply: Document): Document {
  if (reply.ok !== 1) return reply;
  const wce = writeConcernError(command);
  return wce ? { ...reply, writeConcernError: wce } : reply;
}
