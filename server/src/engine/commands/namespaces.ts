/**
 * Databases, collections and indexes: create, drop, list. Mongoose sends `create`
 * for each model and `createIndexes` for each index at start-up.
 */
import type { Document } from 'bson';
import { errors } from '../errors.js';
import { isPlainObject } from '../query/update.js';
import { compileFilter } from '../query/matcher.js';
import { ID_INDEX } from '../storage/collection.js';
import type { IndexSpec } from '../storage/secondary-index.js';
import { cursorReply } from '../cursors.js';
import { parseCollation, storedCollation } from '../query/collation.js';
import { measure } from './stats.js';
import { collectionName, type CommandHandler } from './context.js';
import { COMMAND_FIELDS, type CommandFields } from './fields.js';
import { validateIndexSpec } from './field-check.js';
import { collectionInfo, createView } from './views.js';
import {
  SYSTEM_VIEWS,
  systemViewsCollection,
  systemViewsInfo,
  viewsAmong,
} from '../query/system-views.js';
import { checkValidationOptions } from '../query/validation.js';

export const create: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  if (request.command.viewOn !== undefined) return createView(request, engine, name);
  if (request.view.collection(request.db, name))
    throw errors.namespaceExists(`${request.db}.${name}`);
  // The collection's options are the create fields the table lists (generic ones like lsid are not options).
  const fields = (COMMAND_FIELDS.create as CommandFields).fields;
  const options: Document = Object.fromEntries(
    Object.entries(request.command).filter(
      ([field, value]) =>
        field !== 'create' && Object.hasOwn(fields, field) && value !== null && value !== undefined,
    ),
  );
  // The default collation is stored complete (as listCollections shows it); 'simple' is no collation.
  if (options.collation !== undefined) {
    const collation = parseCollation(options.collation);
    if (collation) options.collation = collation.spec;
    else delete options.collation;
  }
  checkValidationOptions(options, 'create');
  request.view.createCollection(request.db, name, options);
  return { ok: 1 };
};

export const drop: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  if (name === SYSTEM_VIEWS) return dropSystemViews(request, engine);
  if (!engine.catalog.dropCollection(request.db, name))
    throw errors.namespaceNotFound('ns not found');
  return { ns: `${request.db}.${name}`, nIndexesWas: 1, ok: 1 };
};

/** Dropping system.views drops every view of the database, as in mongod. */
const dropSystemViews: CommandHandler = (request, engine) => {
  const views = viewsAmong(engine.catalog.dbs.get(request.db)?.values() ?? []);
  if (views.length === 0) throw errors.namespaceNotFound('ns not found');
  for (const view of views) engine.catalog.dropCollection(request.db, view.name);
  return { ns: `${request.db}.${SYSTEM_VIEWS}`, nIndexesWas: 1, ok: 1 };
};

export const dropDatabase: CommandHandler = (request, engine) => {
  engine.catalog.dropDatabase(request.db);
  return { dropped: request.db, ok: 1 };
};

export const listDatabases: CommandHandler = (request, engine) => {
  const filter = compileFilter(request.command.filter);
  const nameOnly = request.command.nameOnly === true;
  const databases = [...engine.catalog.dbs.entries()]
    .map(([name, colls]) => {
      // The bytes the database holds (system.views too): documents and index keys, as collStats measures them.
      let docs = 0;
      let sizeOnDisk = 0;
      const system = systemViewsCollection(name, colls.values());
      for (const coll of [...colls.values(), ...(system ? [system] : [])]) {
        docs += coll.docs.size;
        if (nameOnly) continue;
        const sizes = measure(coll);
        sizeOnDisk += sizes.size + Object.values(sizes.indexSizes).reduce((n, v) => n + v, 0);
      }
      return { name, sizeOnDisk, empty: docs === 0 };
    })
    .filter((db) => filter(db));
  return {
    databases: nameOnly ? databases.map(({ name }) => ({ name })) : databases,
    totalSize: databases.reduce((sum, db) => sum + db.sizeOnDisk, 0),
    ok: 1,
  };
};

export const listCollections: CommandHandler = (request, engine) => {
  const filter = compileFilter(request.command.filter);
  const colls = [...(engine.catalog.dbs.get(request.db)?.values() ?? [])];
  const all = colls.map((coll) => collectionInfo(coll, coll.idIndexSpec));
  if (viewsAmong(colls).length > 0) all.push(systemViewsInfo(request.db));
  const infos = all
    .filter((info) => filter(info))
    .map((info) =>
      request.command.nameOnly === true ? { name: info.name, type: info.type } : info,
    );
  return cursorReply(0, `${request.db}.$cmd.listCollections`, infos, true);
};

function normaliseSpec(given: unknown, ignoreUnknown: boolean): IndexSpec {
  if (!isPlainObject(given)) throw errors.typeMismatch('index specs must be objects');
  const raw = validateIndexSpec(given, ignoreUnknown);
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0)
    throw errors.badValue("index spec needs a non-empty 'key'");
  for (const [field, direction] of Object.entries(key)) {
    const ok =
      direction === 1 ||
      direction === -1 ||
      ['text', '2dsphere', '2d', 'hashed'].includes(direction as string) ||
      typeof direction === 'number';
    if (!ok || field.length === 0)
      throw errors.badValue(`bad index key pattern for field '${field}'`);
  }
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${String(d)}`)
          .join('_');
  return { ...raw, v: 2, key, name };
}

/**
 * An index's collation, complete as listIndexes shows it: its own, else the
 * collection's default; `{locale: 'simple'}` (or neither) leaves it binary.
 */
function withCollation(spec: IndexSpec, collectionDefault: unknown): IndexSpec {
  const collation =
    spec.collation !== undefined
      ? parseCollation(spec.collation)
      : storedCollation(collectionDefault);
  const { collation: _given, ...rest } = spec;
  void _given;
  return collation ? { ...rest, collation: collation.spec } : rest;
}

function sameKey(a: Document, b: Document): boolean {
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}

export const createIndexes: CommandHandler = (request) => {
  const name = collectionName(request);
  const specs = request.command.indexes;
  if (!Array.isArray(specs) || specs.length === 0)
    throw errors.badValue("'indexes' must be a non-empty array");
  // Every specification is vetted before anything (even the collection) is created.
  const ignoreUnknown = request.command.ignoreUnknownIndexOptions === true;
  const normalised = specs.map((raw) => normaliseSpec(raw, ignoreUnknown));
  const view = request.view;
  const existing = view.collection(request.db, name);
  const coll = existing ?? view.createCollection(request.db, name, {});
  const before = coll.indexSpecs.length;
  for (const raw of normalised) {
    const spec = withCollation(raw, coll.options.collation);
    if (spec.name === '_id_' || sameKey(spec.key, ID_INDEX.key)) continue;
    const existing = coll.indexes.get(spec.name);
    if (existing) {
      if (!sameKey(existing.spec.key, spec.key))
        throw errors.indexKeySpecsConflict(
          `An existing index has the same name as the requested index: ${spec.name}`,
        );
      if (
        Boolean(existing.spec.unique) !== Boolean(spec.unique) ||
        JSON.stringify(existing.spec.collation) !== JSON.stringify(spec.collation)
      )
        throw errors.indexOptionsConflict(
          `Index with name: ${spec.name} already exists with different options`,
        );
      continue;
    }
    // The same key under another collation is another index, as in MongoDB.
    const sameKeyOther = [...coll.indexes.values()].find(
      (index) =>
        sameKey(index.spec.key, spec.key) &&
        JSON.stringify(index.spec.collation) === JSON.stringify(spec.collation),
    );
    if (sameKeyOther) {
      throw errors.indexOptionsConflict(
        `Index already exists with a different name: ${sameKeyOther.spec.name}`,
      );
    }
    view.createIndex(request.db, name, spec);
  }
  return {
    createdCollectionAutomatically: !existing,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexSpecs.length,
    ok: 1,
  };
};

export const listIndexes: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const coll =
    name === SYSTEM_VIEWS
      ? systemViewsCollection(request.db, engine.catalog.dbs.get(request.db)?.values() ?? [])
      : engine.catalog.collection(request.db, name);
  if (!coll) throw errors.namespaceNotFound(`ns does not exist: ${request.db}.${name}`);
  return cursorReply(0, `${request.db}.${name}`, coll.indexSpecs, true);
};

export const dropIndexes: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const coll = engine.catalog.collection(request.db, name);
  if (!coll) throw errors.namespaceNotFound(`ns not found ${request.db}.${name}`);
  const before = coll.indexSpecs.length;
  const target = request.command.index;
  let names: string[];
  if (target === '*') names = [...coll.indexes.keys()];
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const found = [...coll.indexes.values()].find((index) => sameKey(index.spec.key, target));
    if (!found) throw errors.indexNotFound(`can't find index with key: ${JSON.stringify(target)}`);
    names = [found.spec.name];
  } else
    throw errors.typeMismatch("'index' must be a name, a key pattern, an array of names or '*'");
  for (const indexName of names) engine.catalog.dropIndex(request.db, name, indexName);
  return { nIndexesWas: before, ok: 1 };
};
