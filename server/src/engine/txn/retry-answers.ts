/**
 * What a retried statement answers when its stmtId was recorded for another
 * command of the same txnNumber. mongod keys retries by stmtId alone and reads
 * the answer off the oplog entry the statement wrote, so it answers from the
 * kind of write, never with the other command's reply: an insert or a delete
 * retry counts one document, an update retry reports the update or the upsert,
 * and a retry the write cannot answer is an error (40638 for update, 40606 to
 * 40612 for findAndModify). A statement that wrote nothing leaves mongod no
 * oplog entry, so under another command it runs again.
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';
import type { RecordedStatement, StatementKind } from '../storage/retry-table.js';

/** mongod's one-letter oplog op types, as its retry errors name them. */
const OP_TYPE = { insert: 'i', update: 'u', delete: 'd' } as const;

/**
 * The reply a retry of a `kind` statement gets from `recorded`, or null when the
 * statement must run (nothing recorded it as written under another command).
 */
export function answerFromRecord(
  recorded: RecordedStatement,
  kind: StatementKind,
  command: Document,
): Document | null {
  // Records journaled before the command was kept answer as they always did.
  if (recorded.kind === undefined || recorded.kind === kind) return recorded.result;
  const wrote = recorded.wrote;
  if (!wrote) return null;
  if (kind === 'insert' || kind === 'delete') return { n: 1 };
  if (kind === 'update') {
    if (wrote === 'insert') return { n: 1, nModified: 0, upserted: recorded.insertedId };
    if (wrote === 'update') return { n: 1, nModified: 1 };
    throw new EngineError(
      40638,
      'Location40638',
      `update retry request is not compatible with previous write in the transaction of type: ${OP_TYPE[wrote]}`,
    );
  }
  return findAndModifyAnswer(recorded, wrote, command);
}

function findAndModifyAnswer(
  recorded: RecordedStatement,
  wrote: NonNullable<RecordedStatement['wrote']>,
  command: Document,
): Document {
  const request = `findAndModify retry request on ${String(command.findAndModify ?? command.findandmodify)}`;
  const incompatible = (code: number) =>
    new EngineError(
      code,
      `Location${code}`,
      `${request} is not compatible with previous write in the transaction of type: ${OP_TYPE[wrote]}`,
    );
  const wantsNew = command.new === true;
  if (wrote === 'delete') {
    if (command.remove !== true) throw incompatible(40606);
    // A delete statement keeps no image of what it removed.
    throw new EngineError(40607, 'Location40607', `No pre-image available for ${request}`);
  }
  if (wrote === 'insert') {
    if (command.upsert !== true) throw incompatible(40608);
    if (wantsNew)
      throw new EngineError(
        217,
        'IncompleteTransactionHistory',
        `${request} wants the document it upserted, but the statement recorded under this stmtId was not a findAndModify and kept no image of it`,
      );
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: recorded.insertedId },
      value: null,
      ok: 1,
    };
  }
  // An update statement keeps neither image.
  if (wantsNew)
    throw new EngineError(
      40611,
      'Location40611',
      `${request} wants the document after update returned, but no image of it is stored`,
    );
  throw new EngineError(
    40612,
    'Location40612',
    `${request} wants the document before update returned, but no image of it is stored`,
  );
}
