/**
 * Document validation: a collection's `validator` (a query filter), checked on
 * every insert and update unless the command says bypassDocumentValidation.
 * `validationLevel` moderate leaves alone updates to documents that already
 * failed; `validationAction` warn lets failures through (mongod only logs them).
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { schemaFailureDetails } from './json-schema-check.js';
import { compileFilter, type Matcher } from './matcher.js';
import { isPlainObject } from './update.js';

const LEVELS = ['off', 'strict', 'moderate'];
const ACTIONS = ['error', 'warn'];

/** Checks `validator`, `validationLevel` and `validationAction` as create and collMod receive them. */
export function checkValidationOptions(options: Document, command: string): void {
  const { validator, validationLevel, validationAction } = options;
  if (validator !== undefined) {
    if (!isPlainObject(validator))
      throw errors.typeMismatch(
        `BSON field '${command}.validator' is the wrong type, expected type 'object'`,
      );
    compileFilter(validator);
  }
  if (validationLevel !== undefined && !LEVELS.includes(validationLevel as string))
    throw errors.badValue(
      `Enumeration value '${String(validationLevel)}' for field '${command}.validationLevel' is not a valid value.`,
    );
  if (validationAction !== undefined && !ACTIONS.includes(validationAction as string))
    throw errors.badValue(
      `Enumeration value '${String(validationAction)}' for field '${command}.validationAction' is not a valid value.`,
    );
}

const compiled = new WeakMap<Document, Matcher>();

function matcherFor(validator: Document): Matcher {
  let matcher = compiled.get(validator);
  if (!matcher) compiled.set(validator, (matcher = compileFilter(validator)));
  return matcher;
}

/** Throws DocumentValidationFailure (121) when `after` breaks the collection's validator. */
export function enforceValidator(
  options: Document,
  before: Document | null,
  after: Document | null,
): void {
  const validator = options.validator as Document | undefined;
  if (!validator || !after || options.validationLevel === 'off') return;
  const matches = matcherFor(validator);
  if (matches(after)) return;
  if (options.validationLevel === 'moderate' && before && !matches(before)) return;
  if (options.validationAction === 'warn') return;
  throw new EngineError(121, 'DocumentValidationFailure', 'Document failed validation', [], {
    errInfo: { failingDocumentId: after._id, details: failureDetails(validator, after) },
  });
}

/**
 * What `errInfo.details` says of the failure: for a `{$jsonSchema}` validator,
 * the schema rules the document breaks, as MongoDB 7.0 lists them; otherwise
 * the validator as specified.
 */
function failureDetails(validator: Document, doc: Document): Document {
  const keys = Object.keys(validator);
  if (keys.length === 1 && keys[0] === '$jsonSchema')
    return schemaFailureDetails(validator.$jsonSchema as Document, doc);
  return { operatorName: '$and', specifiedAs: validator };
}
