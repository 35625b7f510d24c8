/**
 * Errors in MongoDB's own shape. A command handler throws an `EngineError`; the
 * dispatcher turns it into `{ ok: 0, errmsg, code, codeName, errorLabels }` so the
 * driver and mongoose classify it exactly as they would a real server's error.
 */
export class EngineError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly errorLabels: string[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The reply document a client receives for this error. */
  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }
}

const TRANSIENT = ['TransientTransactionError'];
/** mongod labels the errors a change stream cannot resume from, so drivers stop retrying. */
const NON_RESUMABLE = ['NonResumableChangeStreamError'];

/** Stable constructors for the error codes the engine answers with. */
export const errors = {
  badValue: (msg: string) => new EngineError(2, 'BadValue', msg),
  failedToParse: (msg: string) => new EngineError(9, 'FailedToParse', msg),
  typeMismatch: (msg: string) => new EngineError(14, 'TypeMismatch', msg),
  invalidBson: (msg: string) => new EngineError(22, 'InvalidBSON', msg),
  namespaceNotFound: (msg: string) => new EngineError(26, 'NamespaceNotFound', msg),
  indexNotFound: (msg: string) => new EngineError(27, 'IndexNotFound', msg),
  cursorNotFound: (id: unknown) =>
    new EngineError(43, 'CursorNotFound', `cursor id ${String(id)} not found`),
  namespaceExists: (ns: string) =>
    new EngineError(48, 'NamespaceExists', `Collection ${ns} already exists.`),
  commandNotFound: (name: string) =>
    new EngineError(59, 'CommandNotFound', `no such command: '${name}'`),
  immutableField: (msg: string) => new EngineError(66, 'ImmutableField', msg),
  invalidOptions: (msg: string) => new EngineError(72, 'InvalidOptions', msg),
  indexOptionsConflict: (msg: string) => new EngineError(85, 'IndexOptionsConflict', msg),
  indexKeySpecsConflict: (msg: string) => new EngineError(86, 'IndexKeySpecsConflict', msg),
  invalidNamespace: (msg: string) => new EngineError(73, 'InvalidNamespace', msg),
  writeConflict: () =>
    new EngineError(
      112,
      'WriteConflict',
      'Write conflict during plan execution and yielding is disabled.',
      TRANSIENT,
    ),
  noSuchTransaction: (txnNumber: unknown) =>
    new EngineError(
      251,
      'NoSuchTransaction',
      `Transaction with txnNumber ${String(txnNumber)} has been aborted.`,
      TRANSIENT,
    ),
  transactionTooOld: (msg: string) => new EngineError(225, 'TransactionTooOld', msg),
  changeStreamFatal: (msg: string) =>
    new EngineError(280, 'ChangeStreamFatalError', msg, NON_RESUMABLE),
  historyLost: (msg: string) => new EngineError(286, 'ChangeStreamHistoryLost', msg, NON_RESUMABLE),
  operationNotSupportedInTransaction: (msg: string) =>
    new EngineError(263, 'OperationNotSupportedInTransaction', msg),
  internal: (msg: string) => new EngineError(1, 'InternalError', msg),
  maxTimeExpired: () => new EngineError(50, 'MaxTimeMSExpired', 'operation exceeded time limit'),
};

/** Normalises anything thrown inside a handler into an EngineError (never leaking stack traces). */
export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'number') {
    const e = err as { code: number; codeName?: string; message?: string; errmsg?: string };
    return new EngineError(
      e.code,
      e.codeName ?? 'Location' + e.code,
      e.errmsg ?? e.message ?? 'error',
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  // A `$$name` that neither `let`, `$let` nor the system defines: mongod's 17276, wherever it is read.
  const variable = /^Use of undefined variable: (.*)$/.exec(message);
  if (variable)
    return new EngineError(17276, 'Location17276', `Use of undefined variable: ${variable[1]}`);
  // mingo reports operator misuse as plain Errors: surface them as BadValue, like mongod does for bad queries.
  return new EngineError(2, 'BadValue', message);
}
