/**
 * The command side of views: `create` with `viewOn`/`pipeline`, the shape
 * listCollections gives a view, and the guard that refuses, before any handler
 * runs, the commands mongod does not run on a view (writes, index commands,
 * change streams) with CommandNotSupportedOnView (166).
 */
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { parseCollation } from '../query/collation.js';
import { isView, notSupportedOnView, validateViewDefinition } from '../query/view-definitions.js';
import type { Catalog } from '../storage/catalog.js';
import { SYSTEM_VIEWS } from '../query/system-views.js';
import type { Collection } from '../storage/collection.js';
import type { CommandRequest, EngineState } from './context.js';

/** Commands whose first field names a collection that must not be a view. */
const REFUSED_ON_VIEWS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'createIndexes',
  'listIndexes',
  'dropIndexes',
  'deleteIndexes',
]);

/** Commands that would write `system.views` directly. */
const WRITES_TO_SYSTEM_VIEWS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'createIndexes',
  'create',
]);

/** Throws 166 when `command` would write to, or index, a view; 73 when it would write system.views. */
export function refuseViewTarget(
  catalog: Catalog,
  name: string,
  command: Document,
  db: string,
): void {
  const target = command[name];
  if (typeof target !== 'string') return;
  // system.views changes only through create, collMod and drop of views (as in mongod).
  if (target === SYSTEM_VIEWS && WRITES_TO_SYSTEM_VIEWS.has(name))
    throw errors.invalidNamespace(`cannot write to ${db}.${SYSTEM_VIEWS}`);
  const refused =
    REFUSED_ON_VIEWS.has(name) ||
    (name === 'aggregate' &&
      Array.isArray(command.pipeline) &&
      command.pipeline.some(
        (stage: unknown) => typeof stage === 'object' && stage !== null && '$changeStream' in stage,
      ));
  if (refused && isView(catalog, db, target)) throw notSupportedOnView(db, target);
}

/** Options `create` accepts alongside `viewOn`. */
const VIEW_OPTIONS = new Set(['viewOn', 'pipeline', 'collation', 'comment']);

/** `create` with `viewOn`: records the view (journaled like any collection entry). */
export function createView(request: CommandRequest, engine: EngineState, name: string): Document {
  const { command, db } = request;
  for (const key of Object.keys(command)) {
    if (key === 'create' || key.startsWith('$') || !isOption(key)) continue;
    if (!VIEW_OPTIONS.has(key))
      throw errors.invalidOptions(`option not supported on a view: ${key}`);
  }
  const pipeline = validateViewDefinition(command.viewOn, command.pipeline);
  if (engine.catalog.collection(db, name)) throw errors.namespaceExists(`${db}.${name}`);
  const options: Document = { viewOn: command.viewOn as string, pipeline };
  // Stored complete with the locale's defaults, as a collection's is; 'simple' is no collation.
  if (command.collation !== undefined) {
    const collation = parseCollation(command.collation);
    if (collation) options.collation = collation.spec;
  }
  engine.catalog.ensureCollection(db, name, options);
  return { ok: 1 };
}

/** Fields every command may carry that are not options of `create`. */
const GENERIC_FIELDS = new Set([
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'writeConcern',
  'readConcern',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

function isOption(key: string): boolean {
  return !GENERIC_FIELDS.has(key);
}

/** One listCollections entry: collections carry their uuid and _id index, views their definition. */
export function collectionInfo(coll: Collection, idIndex: Document): Document {
  if (typeof coll.options.viewOn === 'string') {
    return { name: coll.name, type: 'view', options: coll.options, info: { readOnly: true } };
  }
  return {
    name: coll.name,
    type: 'collection',
    options: coll.options,
    info: { readOnly: false, uuid: coll.uuid },
    idIndex,
  };
}
