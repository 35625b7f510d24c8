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
import { collectionName, type CommandHandler } from './context.js';
import { collectionInfo, createView } from './views.js';
import { checkValidationOptions } from '../query/validation.js';

export const create: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  if (request.command.viewOn !== undefined) return createView(request, engine, name);
  if (engine.catalog.collection(request.db, name))
    throw errors.namespaceExists(`${request.db}.${name}`);
  const {
    create: _name,
    $db,
    lsid,
    $clusterTime,
    txnNumber,
    autocommit,
    startTransaction,
    writeConcern,
    ...options
  } = request.command;
  void [_name, $db, lsid, $clusterTime, txnNumber, autocommit, startTransaction, writeConcern];
  checkValidationOptions(options, 'create');
  engine.catalog.ensureCollection(request.db, name, options);
  return { ok: 1 };
};

export const drop: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  if (!engine.catalog.dropCollection(request.db, name))
    throw errors.namespaceNotFound('ns not found');
  return { ns: `${request.db}.${name}`, nIndexesWas: 1, ok: 1 };
};

export const dropDatabase: CommandHandler = (request, engine) => {
  engine.catalog.dropDatabase(request.db);
  return { dropped: request.db, ok: 1 };
};

export const listDatabases: CommandHandler = (request, engine) => {
  const filter = compileFilter(request.command.filter);
  const databases = [...engine.catalog.dbs.entries()]
    .map(([name, colls]) => {
      const docs = [...colls.values()].reduce((sum, coll) => sum + coll.docs.size, 0);
      return { name, sizeOnDisk: docs * 256, empty: docs === 0 };
    })
    .filter((db) => filter(db));
  const nameOnly = request.command.nameOnly === true;
  return {
    databases: nameOnly ? databases.map(({ name }) => ({ name })) : databases,
    totalSize: databases.reduce((sum, db) => sum + db.sizeOnDisk, 0),
    ok: 1,
  };
};

export const listCollections: CommandHandler = (request, engine) => {
  const filter = compileFilter(request.command.filter);
  const colls = [...(engine.catalog.dbs.get(request.db)?.values() ?? [])];
  const infos = colls
    .map((coll) => collectionInfo(coll, ID_INDEX))
    .filter((info) => filter(info))
    .map((info) =>
      request.command.nameOnly === true ? { name: info.name, type: info.type } : info,
    );
  return cursorReply(0, `${request.db}.$cmd.listCollections`, infos, true);
};

function normaliseSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw)) throw errors.typeMismatch('index specs must be objects');
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

function sameKey(a: Document, b: Document): boolean {
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}

export const createIndexes: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const specs = request.command.indexes;
  if (!Array.isArray(specs) || specs.length === 0)
    throw errors.badValue("'indexes' must be a non-empty array");
  const existed = engine.catalog.collection(request.db, name) !== undefined;
  const coll = engine.catalog.ensureCollection(request.db, name);
  const before = coll.indexSpecs.length;
  for (const raw of specs) {
    const spec = normaliseSpec(raw);
    if (spec.name === '_id_' || sameKey(spec.key, ID_INDEX.key)) continue;
    const existing = coll.indexes.get(spec.name);
    if (existing) {
      if (!sameKey(existing.spec.key, spec.key))
        throw errors.indexKeySpecsConflict(
          `An existing index has the same name as the requested index: ${spec.name}`,
        );
      if (Boolean(existing.spec.unique) !== Boolean(spec.unique))
        throw errors.indexOptionsConflict(
          `Index with name: ${spec.name} already exists with different options`,
        );
      continue;
    }
    const sameKeyOther = [...coll.indexes.values()].find((index) =>
      sameKey(index.spec.key, spec.key),
    );
    if (sameKeyOther) {
      throw errors.indexOptionsConflict(
        `Index already exists with a different name: ${sameKeyOther.spec.name}`,
      );
    }
    engine.catalog.createIndex(request.db, name, spec);
  }
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexSpecs.length,
    ok: 1,
  };
};

export const listIndexes: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const coll = engine.catalog.collection(request.db, name);
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

export const collStats: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const coll = engine.catalog.collection(request.db, name);
  return {
    ns: `${request.db}.${name}`,
    count: coll?.docs.size ?? 0,
    size: 0,
    nindexes: coll?.indexSpecs.length ?? 0,
    ok: 1,
  };
};

export const dbStats: CommandHandler = (request, engine) => {
  const colls = [...(engine.catalog.dbs.get(request.db)?.values() ?? [])];
  return {
    db: request.db,
    collections: colls.length,
    objects: colls.reduce((n, c) => n + c.docs.size, 0),
    ok: 1,
  };
};
