/**
 * Storage statistics measured on the live data: dbStats, collStats, the
 * `$collStats` stage and validate. Sizes are the BSON sizes of the documents and
 * of the index keys the engine holds (it keeps them in memory, uncompressed, so
 * storageSize equals size); counts are exact.
 */
import { calculateObjectSize, type Document } from 'bson';
import { EngineError, errors } from '../errors.js';
import type { Collection } from '../storage/collection.js';
import { idKeyOf, valueKey } from '../storage/bson-order.js';
import { isPlainObject } from '../query/update.js';
import { collectionName, type CommandHandler, type EngineState } from './context.js';
import { SYSTEM_VIEWS, systemViewsCollection, viewsAmong } from '../query/system-views.js';
import { isViewOptions, notSupportedOnView } from '../query/view-definitions.js';

/** The `scale` option: a positive number sizes are divided by (truncated, as mongod does). */
function scaleOf(value: unknown): number {
  if (value === undefined || value === null) return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale < 1)
    throw errors.badValue('Scale factor must be a positive number');
  return Math.floor(scale);
}

interface Sizes {
  count: number;
  size: number;
  indexSizes: Record<string, number>;
}

/** Measures one collection: document bytes, and per index the bytes of its keys. */
export function measure(coll: Collection): Sizes {
  let size = 0;
  for (const doc of coll.docs.values()) size += calculateObjectSize(doc);
  const indexSizes: Record<string, number> = { _id_: 0 };
  for (const doc of coll.docs.values()) indexSizes._id_ += calculateObjectSize({ k: doc._id });
  for (const index of coll.indexes.values()) indexSizes[index.name] = index.approximateBytes();
  return { count: coll.docs.size, size, indexSizes };
}

function sum(values: Record<string, number>): number {
  return Object.values(values).reduce((n, v) => n + v, 0);
}

/** The storageStats document of collStats / `$collStats`. */
function storageStats(coll: Collection, scale: number): Document {
  const sizes = measure(coll);
  const indexSize = sum(sizes.indexSizes);
  const scaled = (n: number) => Math.trunc(n / scale);
  return {
    size: scaled(sizes.size),
    count: sizes.count,
    avgObjSize: sizes.count > 0 ? Math.trunc(sizes.size / sizes.count) : 0,
    numOrphanDocs: 0,
    storageSize: scaled(sizes.size),
    freeStorageSize: 0,
    capped: coll.options.capped === true,
    nindexes: coll.indexSpecs.length,
    indexDetails: Object.fromEntries(
      Object.keys(sizes.indexSizes).map((name) => [name, { type: 'quorum-btree' }]),
    ),
    indexBuilds: [],
    totalIndexSize: scaled(indexSize),
    totalSize: scaled(sizes.size + indexSize),
    indexSizes: Object.fromEntries(
      Object.entries(sizes.indexSizes).map(([name, bytes]) => [name, scaled(bytes)]),
    ),
    scaleFactor: scale,
  };
}

/**
 * The collection a stats command measures: system.views as built from the
 * views, undefined when missing; a view is refused (166), as mongod does.
 */
function measured(engine: EngineState, db: string, name: string): Collection | undefined {
  if (name === SYSTEM_VIEWS)
    return systemViewsCollection(db, engine.catalog.dbs.get(db)?.values() ?? []) ?? undefined;
  const coll = engine.catalog.collection(db, name);
  if (coll && isViewOptions(coll.options)) throw notSupportedOnView(db, name);
  return coll;
}

function existing(engine: EngineState, db: string, name: string): Collection {
  const coll = measured(engine, db, name);
  if (!coll) throw errors.namespaceNotFound(`Collection [${db}.${name}] not found.`);
  return coll;
}

export const collStats: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const coll = existing(engine, request.db, name);
  return {
    ns: `${request.db}.${name}`,
    ...storageStats(coll, scaleOf(request.command.scale)),
    ok: 1,
  };
};

export const dbStats: CommandHandler = (request, engine) => {
  const scale = scaleOf(request.command.scale);
  const entries = [...(engine.catalog.dbs.get(request.db)?.values() ?? [])];
  const views = viewsAmong(entries);
  // As in mongod, the views' definitions are the documents of a system.views collection.
  const system = systemViewsCollection(request.db, entries);
  const colls = [...entries.filter((coll) => !views.includes(coll)), ...(system ? [system] : [])];
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  let indexSize = 0;
  for (const coll of colls) {
    const sizes = measure(coll);
    objects += sizes.count;
    dataSize += sizes.size;
    indexes += coll.indexSpecs.length;
    indexSize += sum(sizes.indexSizes);
  }
  const scaled = (n: number) => Math.trunc(n / scale);
  return {
    db: request.db,
    collections: colls.length,
    views: views.length,
    objects,
    avgObjSize: objects > 0 ? dataSize / objects : 0,
    dataSize: scaled(dataSize),
    storageSize: scaled(dataSize),
    indexes,
    indexSize: scaled(indexSize),
    totalSize: scaled(dataSize + indexSize),
    scaleFactor: scale,
    ok: 1,
  };
};

/** `{$collStats: {storageStats, count, latencyStats, queryExecStats}}`: the one document it yields. */
export function collStatsStage(
  engine: EngineState,
  db: string,
  name: string,
  spec: unknown,
): Document {
  if (!isPlainObject(spec))
    throw errors.failedToParse('$collStats must take a nested object but found: ' + String(spec));
  const coll = measured(engine, db, name);
  const out: Document = {
    ns: `${db}.${name}`,
    host: `${engine.host}:${engine.port}`,
    localTime: new Date(),
  };
  for (const [field, value] of Object.entries(spec)) {
    if (field === 'storageStats') {
      if (!coll)
        throw errors.namespaceNotFound(
          `Unable to retrieve storageStats in $collStats stage :: caused by :: Collection [${db}.${name}] not found.`,
        );
      const scale = isPlainObject(value) ? scaleOf(value.scale) : 1;
      out.storageStats = storageStats(coll, scale);
    } else if (field === 'count') {
      if (!coll)
        throw errors.namespaceNotFound(
          `Unable to retrieve count in $collStats stage :: caused by :: Collection [${db}.${name}] not found.`,
        );
      out.count = coll.docs.size;
    } else if (field === 'latencyStats' || field === 'queryExecStats') {
      throw new EngineError(
        115,
        'CommandNotSupported',
        `$collStats ${field} is not supported by the embedded engine (it does not measure per-collection latency)`,
      );
    } else {
      throw new EngineError(
        40415,
        'Location40415',
        `BSON field '$collStats.${field}' is an unknown field.`,
      );
    }
  }
  return out;
}

/**
 * validate: every document is re-checked (a BSON object under 16 MiB with an
 * `_id` whose key matches the one it is stored under) and every index is
 * compared with the keys its documents should produce.
 */
export const validate: CommandHandler = (request, engine) => {
  const name = collectionName(request);
  const found = engine.catalog.collection(request.db, name);
  if (found && isViewOptions(found.options))
    throw new EngineError(166, 'CommandNotSupportedOnView', 'Cannot validate a view');
  // `system.views` is a collection of its own to mongod, validated like any other.
  const coll = measured(engine, request.db, name);
  if (!coll)
    throw errors.namespaceNotFound(
      `Collection '${request.db}.${name}' does not exist to validate.`,
    );
  const errorsFound: string[] = [];
  let invalid = 0;
  for (const [key, doc] of coll.docs) {
    const ok =
      doc._id !== undefined &&
      idKeyOf(doc._id) === key &&
      calculateObjectSize(doc) <= 16 * 1024 * 1024;
    if (!ok) invalid++;
  }
  if (invalid > 0) errorsFound.push(`${invalid} documents failed validation`);
  const keysPerIndex: Record<string, number> = { _id_: coll.docs.size };
  const indexDetails: Record<string, Document> = { _id_: { valid: true } };
  for (const index of coll.indexes.values()) {
    let expected = 0;
    for (const doc of coll.docs.values()) expected += distinctKeys(index.keysOf(doc));
    const valid = expected === index.size;
    keysPerIndex[index.name] = index.size;
    indexDetails[index.name] = { valid };
    if (!valid)
      errorsFound.push(
        `index '${index.name}' holds ${index.size} keys where its documents produce ${expected}`,
      );
  }
  return {
    ns: `${request.db}.${name}`,
    uuid: coll.uuid,
    nInvalidDocuments: invalid,
    nNonCompliantDocuments: 0,
    nrecords: coll.docs.size,
    nIndexes: coll.indexSpecs.length,
    keysPerIndex,
    indexDetails,
    valid: errorsFound.length === 0,
    repaired: false,
    warnings: [],
    errors: errorsFound,
    extraIndexEntries: [],
    missingIndexEntries: [],
    corruptRecords: [],
    ok: 1,
  };
};

function distinctKeys(keys: unknown[][]): number {
  return new Set(keys.map((key) => key.map(valueKey).join('\u0001'))).size;
}
