/**
 * renameCollection and collMod: the two DDL commands that change an existing
 * collection in place. Both go through the catalog, which journals them and
 * appends their change events (rename, modify).
 */
import type { Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import { checkValidationOptions } from '../query/validation.js';
import { notSupportedOnView, validateViewDefinition } from '../query/view-definitions.js';
import { splitNs } from '../txn/transaction.js';
import { collectionName, type CommandHandler } from './context.js';

function namespaceArg(value: unknown, field: string): [string, string] {
  if (typeof value !== 'string')
    throw errors.typeMismatch(
      `BSON field 'renameCollection.${field}' is the wrong type '${typeof value}', expected type 'string'`,
    );
  const [db, coll] = splitNs(value);
  if (!value.includes('.') || !db || !coll)
    throw errors.invalidNamespace(`Invalid ${field} namespace: ${value}`);
  return [db, coll];
}

/** `{ renameCollection: 'db.from', to: 'db.to', dropTarget }`, run against admin. */
export const renameCollection: CommandHandler = (request, engine) => {
  if (request.txn)
    throw errors.operationNotSupportedInTransaction(
      'Cannot run command renameCollection in a multi-document transaction.',
    );
  if (request.db !== 'admin')
    throw new EngineError(
      13,
      'Unauthorized',
      'renameCollection may only be run against the admin database.',
    );
  const [db, name] = namespaceArg(request.command.renameCollection, 'renameCollection');
  const [toDb, toName] = namespaceArg(request.command.to, 'to');
  const dropTarget = request.command.dropTarget;
  if (dropTarget !== undefined && typeof dropTarget !== 'boolean')
    throw errors.typeMismatch("BSON field 'renameCollection.dropTarget' must be a boolean");
  const { catalog } = engine;
  const source = catalog.collection(db, name);
  if (!source) throw errors.namespaceNotFound(`Source collection ${db}.${name} does not exist`);
  if (typeof source.options.viewOn === 'string') throw notSupportedOnView(db, name);
  if (db === toDb && name === toName)
    throw new EngineError(20, 'IllegalOperation', "Can't rename a collection to itself");
  const target = catalog.collection(toDb, toName);
  if (target) {
    if (typeof target.options.viewOn === 'string')
      throw errors.namespaceExists(`${toDb}.${toName}`);
    if (dropTarget !== true)
      throw new EngineError(48, 'NamespaceExists', 'target namespace exists');
  }
  catalog.renameCollection(db, name, toDb, toName);
  return { ok: 1 };
};

const COLLMOD_FIELDS = new Set([
  'validator',
  'validationLevel',
  'validationAction',
  'index',
  'changeStreamPreAndPostImages',
  'viewOn',
  'pipeline',
  'comment',
  'writeConcern',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'maxTimeMS',
]);

interface IndexChange {
  name: string;
  expireAfterSeconds?: number;
  hidden?: boolean;
}

/** Finds the index collMod names (by name or key pattern) and checks what it changes. */
function indexChange(
  raw: unknown,
  indexes: Map<string, { spec: Document }>,
  ns: string,
): { change: IndexChange; reply: Document } {
  if (!isPlainObject(raw))
    throw errors.typeMismatch(
      "BSON field 'collMod.index' is the wrong type, expected type 'object'",
    );
  const { name, keyPattern, expireAfterSeconds, hidden } = raw;
  for (const key of Object.keys(raw)) {
    if (!['name', 'keyPattern', 'expireAfterSeconds', 'hidden'].includes(key))
      throw new EngineError(
        40415,
        'Location40415',
        `BSON field 'collMod.index.${key}' is an unknown field.`,
      );
  }
  if ((name === undefined) === (keyPattern === undefined))
    throw errors.invalidOptions('must specify either index name or key pattern');
  const found = [...indexes.values()].find((index) =>
    name !== undefined
      ? index.spec.name === name
      : JSON.stringify(index.spec.key) === JSON.stringify(keyPattern),
  );
  if (!found)
    throw errors.indexNotFound(
      `cannot find index ${JSON.stringify(name ?? keyPattern)} for ns ${ns}`,
    );
  if (expireAfterSeconds === undefined && hidden === undefined)
    throw errors.invalidOptions('no expireAfterSeconds or hidden field');
  const reply: Document = {};
  const change: IndexChange = { name: found.spec.name as string };
  if (expireAfterSeconds !== undefined) {
    const seconds = Number(expireAfterSeconds);
    if (typeof expireAfterSeconds === 'string' || !Number.isFinite(seconds) || seconds < 0)
      throw errors.invalidOptions('TTL index expireAfterSeconds must be a non-negative number');
    if (found.spec.expireAfterSeconds !== undefined)
      reply.expireAfterSeconds_old = found.spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = seconds;
    change.expireAfterSeconds = seconds;
  }
  if (hidden !== undefined) {
    if (typeof hidden !== 'boolean') throw errors.typeMismatch("'hidden' must be a boolean");
    reply.hidden_old = found.spec.hidden === true;
    reply.hidden_new = hidden;
    change.hidden = hidden;
  }
  return { change, reply };
}

/** collMod: validator settings, pre/post images, one index's TTL or hidden flag, a view's definition. */
export const collMod: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const { command, db } = request;
  if (request.txn)
    throw errors.operationNotSupportedInTransaction(
      'Cannot run command collMod in a multi-document transaction.',
    );
  for (const key of Object.keys(command)) {
    if (key === 'collMod' || key.startsWith('$')) continue;
    if (!COLLMOD_FIELDS.has(key))
      throw new EngineError(
        40415,
        'Location40415',
        `BSON field 'collMod.${key}' is an unknown field.`,
      );
  }
  const coll = engine.catalog.collection(db, name);
  if (!coll) throw errors.namespaceNotFound(`ns does not exist: ${db}.${name}`);
  const isView = typeof coll.options.viewOn === 'string';
  const options: Document = { ...coll.options };
  const change: Document = {};
  if (isView) {
    for (const key of [
      'validator',
      'validationLevel',
      'validationAction',
      'index',
      'changeStreamPreAndPostImages',
    ])
      if (command[key] !== undefined)
        throw errors.invalidOptions(`option not supported on a view: ${key}`);
    if (command.viewOn !== undefined || command.pipeline !== undefined) {
      if (command.viewOn === undefined || command.pipeline === undefined)
        throw errors.invalidOptions(
          "must specify both 'viewOn' and 'pipeline' when modifying a view",
        );
      options.viewOn = command.viewOn;
      options.pipeline = validateViewDefinition(command.viewOn, command.pipeline);
      change.viewOn = options.viewOn;
      change.pipeline = options.pipeline;
    }
  } else if (command.viewOn !== undefined || command.pipeline !== undefined) {
    throw errors.invalidOptions(`namespace ${db}.${name} is a collection, not a view`);
  }
  checkValidationOptions(command, 'collMod');
  for (const key of ['validator', 'validationLevel', 'validationAction']) {
    if (command[key] === undefined) continue;
    options[key] = command[key];
    change[key] = command[key];
  }
  const images = command.changeStreamPreAndPostImages;
  if (images !== undefined) {
    if (!isPlainObject(images) || typeof images.enabled !== 'boolean')
      throw errors.typeMismatch("'changeStreamPreAndPostImages' must be { enabled: <boolean> }");
    if (images.enabled) options.changeStreamPreAndPostImages = { enabled: true };
    else delete options.changeStreamPreAndPostImages;
    change.changeStreamPreAndPostImages = { enabled: images.enabled };
  }
  let index: IndexChange | undefined;
  let reply: Document = {};
  if (command.index !== undefined) {
    ({ change: index, reply } = indexChange(command.index, coll.indexes, coll.ns));
    const { name: indexName, ...changed } = index;
    change.index = { name: indexName, ...changed };
  }
  engine.catalog.modifyCollection(db, name, options, index, change);
  return { ...reply, ok: 1 };
};
