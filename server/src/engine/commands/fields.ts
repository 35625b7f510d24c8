/**
 * The fields each command accepts, as MongoDB 7.0 documents them: one
 * declarative table, checked by `validateCommandFields` (commands/field-check.ts)
 * before any handler runs. Why: a field the engine does not know would otherwise
 * be ignored, and the request would silently do something else than asked
 * (`sort` on an update statement, a misspelt `upsert`). MongoDB answers such a
 * request with error 40415; so does the engine.
 *
 * A field listed with `unsupported` is one MongoDB accepts but the engine does
 * not implement yet: it is refused with CommandNotSupported naming the field,
 * unless its value asks for the default behaviour (`allow`). When a feature
 * lands, its fields become plain types here.
 */

/** The BSON types a field may hold (numbers in any numeric BSON type, as MongoDB's safe types do). */
export type FieldType =
  | 'any'
  | 'bool'
  | 'number'
  /** A number that must not be negative (MongoDB's `gte: 0` validator). */
  | 'nonNegative'
  | 'string'
  | 'object'
  | 'array'
  /** An index name or a key pattern. */
  | 'hint'
  /** A document (operator update or replacement) or an aggregation pipeline. */
  | 'update';

export interface Unsupported {
  unsupported: string;
  /** Values that ask for the default behaviour, which the engine does provide. */
  allow?: (value: unknown) => boolean;
}

/** A sub-document with its own fields (MongoDB's IDL structs are strict too). */
export interface Struct {
  struct: FieldTable;
}

export type FieldRule = FieldType | Unsupported | Struct;
export type FieldTable = { [field: string]: FieldRule };

export interface CommandFields {
  fields: FieldTable;
  /** Fields of each element of a statements array (`update.updates`, `delete.deletes`). */
  statements?: { field: string; fields: FieldTable };
  /** Whether the command takes a writeConcern (MongoDB refuses it elsewhere). */
  writeConcern?: boolean;
}

/**
 * Commands whose MongoDB implementation reads only the fields it needs and
 * ignores the rest (no IDL parsing): the engine does the same.
 */
export const LENIENT = 'lenient';

const isFalse = (value: unknown) => value === false;
const isEmptyObject = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length === 0;
/** Collations and `let` variables are served (query/collation.ts, query/let-variables.ts). */
const COLLATION: FieldType = 'object';
const LET: FieldType = 'object';
/** An update statement's `c` (constants for its pipeline). */
const CONSTANTS: Unsupported = {
  unsupported: "an update statement's 'c' constants are not implemented by the embedded engine",
  allow: isEmptyObject,
};
const INTERNAL: Unsupported = {
  unsupported:
    'this field is internal to sharded clusters and the embedded engine does not serve it',
};
const ENCRYPTION: Unsupported = {
  unsupported: 'queryable encryption is not supported by the embedded engine',
};
const COLLECTION_UUID: Unsupported = {
  unsupported: 'collectionUUID checks are not supported by the embedded engine',
};

/** The `cursor` option of aggregate, listCollections and listIndexes. */
const CURSOR: Struct = { struct: { batchSize: 'nonNegative' } };

/** Fields every command accepts (MongoDB's generic arguments). */
export const GENERIC_FIELDS: FieldTable = {
  $db: 'string',
  lsid: 'object',
  txnNumber: 'number',
  autocommit: 'bool',
  startTransaction: 'bool',
  stmtId: 'number',
  $clusterTime: 'object',
  readConcern: 'object',
  writeConcern: 'object',
  $readPreference: 'object',
  comment: 'any',
  maxTimeMS: 'number',
  apiVersion: 'string',
  apiStrict: 'bool',
  apiDeprecationErrors: 'bool',
  clientOperationKey: 'any',
  $audit: 'any',
  $client: 'any',
  $configServerState: 'any',
  allowImplicitCollectionCreation: 'bool',
  $oplogQueryData: 'any',
  $queryOptions: 'any',
  $replData: 'any',
  databaseVersion: INTERNAL,
  shardVersion: INTERNAL,
  tracking_info: 'any',
  coordinator: 'any',
  maxTimeMSOpOnly: 'number',
  $configTime: 'any',
  $topologyTime: 'any',
  txnRetryCounter: 'number',
  mayBypassWriteBlocking: 'bool',
  $tenant: INTERNAL,
  expectPrefix: 'bool',
};

/** Fields shared by insert, update and delete. */
const WRITE_BASE: FieldTable = {
  ordered: 'bool',
  bypassDocumentValidation: 'bool',
  stmtIds: 'array',
  isTimeseriesNamespace: INTERNAL,
  collectionUUID: COLLECTION_UUID,
  encryptionInformation: ENCRYPTION,
  originalQuery: INTERNAL,
  originalCollation: INTERNAL,
};

const INDEX_COMMAND: FieldTable = {
  isTimeseriesNamespace: INTERNAL,
  collectionUUID: COLLECTION_UUID,
};

const DROP_INDEXES: CommandFields = {
  fields: { index: 'any', ...INDEX_COMMAND },
  writeConcern: true,
};

const FIND_AND_MODIFY: CommandFields = {
  fields: {
    query: 'object',
    fields: 'object',
    sort: 'object',
    hint: 'hint',
    collation: COLLATION,
    arrayFilters: 'array',
    remove: 'bool',
    update: 'update',
    new: 'bool',
    upsert: 'bool',
    bypassDocumentValidation: 'bool',
    let: LET,
    runtimeConstants: INTERNAL,
    encryptionInformation: ENCRYPTION,
    sampleId: 'any',
    $_allowShardKeyUpdatesWithoutFullShardKeyInQuery: INTERNAL,
  },
  writeConcern: true,
};

/** The table itself: command name -> its own fields (generic fields are added by the check). */
export const COMMAND_FIELDS: Record<string, CommandFields | typeof LENIENT> = {
  find: {
    fields: {
      filter: 'object',
      projection: 'object',
      sort: 'object',
      hint: 'hint',
      skip: 'nonNegative',
      limit: 'nonNegative',
      batchSize: 'nonNegative',
      singleBatch: 'bool',
      max: { unsupported: 'min/max index bounds are not implemented by the embedded engine' },
      min: { unsupported: 'min/max index bounds are not implemented by the embedded engine' },
      returnKey: {
        unsupported: 'returnKey is not implemented by the embedded engine',
        allow: isFalse,
      },
      showRecordId: {
        unsupported: 'record ids are not exposed by the embedded engine',
        allow: isFalse,
      },
      tailable: {
        unsupported:
          'tailable cursors need capped collections, which the embedded engine lacks (use a change stream)',
        allow: isFalse,
      },
      awaitData: {
        unsupported:
          'tailable cursors need capped collections, which the embedded engine lacks (use a change stream)',
        allow: isFalse,
      },
      oplogReplay: 'bool',
      noCursorTimeout: 'bool',
      allowPartialResults: 'bool',
      collectionUUID: COLLECTION_UUID,
      collation: COLLATION,
      allowDiskUse: 'bool',
      let: LET,
      readOnce: 'bool',
      allowSpeculativeMajorityRead: 'bool',
      $_requestResumeToken: INTERNAL,
      $_resumeAfter: INTERNAL,
      $_startAt: INTERNAL,
      term: 'any',
      encryptionInformation: ENCRYPTION,
    },
  },
  getMore: {
    fields: {
      collection: 'string',
      batchSize: 'nonNegative',
      term: 'any',
      lastKnownCommittedOpTime: 'any',
    },
  },
  killCursors: { fields: { cursors: 'array' } },
  count: {
    fields: {
      query: 'object',
      limit: 'number',
      skip: 'number',
      hint: 'hint',
      collation: COLLATION,
      fields: 'any',
      encryptionInformation: ENCRYPTION,
      mirrored: 'bool',
      sampleId: 'any',
    },
  },
  distinct: {
    fields: {
      key: 'string',
      query: 'object',
      collation: COLLATION,
      mirrored: 'bool',
      sampleId: 'any',
    },
  },
  aggregate: {
    fields: {
      pipeline: 'array',
      explain: { unsupported: 'explain is not implemented by the embedded engine yet' },
      allowDiskUse: 'bool',
      cursor: CURSOR,
      bypassDocumentValidation: 'bool',
      collation: COLLATION,
      hint: 'hint',
      let: LET,
      needsMerge: INTERNAL,
      fromMongos: INTERNAL,
      fromRouter: INTERNAL,
      exchange: INTERNAL,
      isMapReduceCommand: INTERNAL,
      collectionUUID: COLLECTION_UUID,
      runtimeConstants: INTERNAL,
      encryptionInformation: ENCRYPTION,
      $_requestReshardingResumeToken: INTERNAL,
      $_generateV2ResumeTokens: INTERNAL,
    },
    writeConcern: true,
  },
  insert: {
    fields: { documents: 'array', ...WRITE_BASE },
    writeConcern: true,
  },
  update: {
    fields: { updates: 'array', let: LET, runtimeConstants: INTERNAL, ...WRITE_BASE },
    statements: {
      field: 'updates',
      fields: {
        q: 'object',
        u: 'update',
        c: CONSTANTS,
        arrayFilters: 'array',
        multi: 'bool',
        upsert: 'bool',
        upsertSupplied: INTERNAL,
        hint: 'hint',
        collation: COLLATION,
        sampleId: 'any',
        $_allowShardKeyUpdatesWithoutFullShardKeyInQuery: INTERNAL,
      },
    },
    writeConcern: true,
  },
  delete: {
    fields: { deletes: 'array', let: LET, ...WRITE_BASE },
    statements: {
      field: 'deletes',
      fields: {
        q: 'object',
        limit: 'number',
        hint: 'hint',
        collation: COLLATION,
        sampleId: 'any',
      },
    },
    writeConcern: true,
  },
  findAndModify: FIND_AND_MODIFY,
  findandmodify: FIND_AND_MODIFY,
  create: {
    fields: {
      capped: { unsupported: 'capped collections are not implemented', allow: isFalse },
      size: { unsupported: 'capped collections are not implemented' },
      max: { unsupported: 'capped collections are not implemented' },
      autoIndexId: 'bool',
      idIndex: 'object',
      storageEngine: 'object',
      indexOptionDefaults: 'object',
      validator: 'object',
      validationLevel: 'string',
      validationAction: 'string',
      viewOn: 'string',
      pipeline: 'array',
      collation: COLLATION,
      timeseries: { unsupported: 'time series collections are not supported' },
      clusteredIndex: { unsupported: 'clustered collections are not supported' },
      expireAfterSeconds: {
        unsupported:
          'expireAfterSeconds on a collection needs a clustered or time series collection',
      },
      changeStreamPreAndPostImages: 'object',
      encryptedFields: ENCRYPTION,
      temp: 'bool',
      flags: 'number',
    },
    writeConcern: true,
  },
  drop: { fields: { collectionUUID: COLLECTION_UUID }, writeConcern: true },
  dropDatabase: { fields: {}, writeConcern: true },
  listDatabases: {
    fields: { filter: 'object', nameOnly: 'bool', authorizedDatabases: 'bool' },
  },
  listCollections: {
    fields: {
      filter: 'object',
      nameOnly: 'bool',
      authorizedCollections: 'bool',
      cursor: CURSOR,
      includePendingDrops: 'bool',
    },
  },
  createIndexes: {
    fields: {
      indexes: 'array',
      commitQuorum: 'any',
      ignoreUnknownIndexOptions: 'bool',
      ...INDEX_COMMAND,
    },
    writeConcern: true,
  },
  listIndexes: {
    fields: {
      cursor: CURSOR,
      includeBuildUUIDs: 'bool',
      includeIndexBuildInfo: 'bool',
      ...INDEX_COMMAND,
    },
  },
  dropIndexes: DROP_INDEXES,
  deleteIndexes: DROP_INDEXES,
  commitTransaction: {
    fields: { commitTimestamp: INTERNAL, recoveryToken: 'object' },
    writeConcern: true,
  },
  abortTransaction: { fields: { recoveryToken: 'object' }, writeConcern: true },
  // The driver closes its sessions with an unacknowledged (w: 0) endSessions.
  endSessions: { fields: {}, writeConcern: true },
  killSessions: { fields: {}, writeConcern: true },
  refreshSessions: { fields: {} },
  // Handshake and diagnostics: mongod reads what it needs from these and ignores the rest.
  hello: LENIENT,
  ismaster: LENIENT,
  isMaster: LENIENT,
  ping: LENIENT,
  buildInfo: LENIENT,
  buildinfo: LENIENT,
  getParameter: LENIENT,
  serverStatus: LENIENT,
  hostInfo: LENIENT,
  replSetGetStatus: LENIENT,
  getLog: LENIENT,
  getCmdLineOpts: LENIENT,
  connectionStatus: LENIENT,
  whatsmyuri: LENIENT,
  logout: LENIENT,
  collStats: LENIENT,
  dbStats: LENIENT,
  replSetGetConfig: LENIENT,
  explain: { fields: { explain: 'object', verbosity: 'string' } },
  usersInfo: {
    fields: {
      usersInfo: 'any',
      showCredentials: 'bool',
      showPrivileges: 'bool',
      forAllDBs: 'bool',
    },
  },
  profile: {
    fields: {
      profile: 'number',
      slowms: 'number',
      sampleRate: 'number',
      filter: { unsupported: 'profiler filters are not implemented by the embedded engine' },
    },
  },
  validate: { fields: { full: 'bool', repair: 'bool', background: 'bool' } },
  saslStart: {
    fields: { mechanism: 'string', payload: 'any', autoAuthorize: 'any', options: 'object' },
  },
  saslContinue: { fields: { conversationId: 'number', payload: 'any' } },
  renameCollection: {
    fields: { to: 'string', dropTarget: 'bool', stayTemp: 'bool', collectionUUID: COLLECTION_UUID },
    writeConcern: true,
  },
  collMod: {
    fields: {
      validator: 'object',
      validationLevel: 'string',
      validationAction: 'string',
      index: 'object',
      changeStreamPreAndPostImages: 'object',
      viewOn: 'string',
      pipeline: 'array',
      expireAfterSeconds: {
        unsupported:
          'expireAfterSeconds on a collection needs a clustered or time series collection',
      },
      collectionUUID: COLLECTION_UUID,
    },
    writeConcern: true,
  },
};

/**
 * The options an index specification may carry (createIndexes `indexes[i]`).
 * Anything else is refused with InvalidIndexSpecificationOption (197), unless
 * the command says `ignoreUnknownIndexOptions: true`, which drops it.
 */
export const INDEX_SPEC_FIELDS: FieldTable = {
  key: 'object',
  name: 'string',
  v: 'number',
  ns: 'string',
  background: 'bool',
  unique: 'bool',
  sparse: 'bool',
  hidden: 'bool',
  partialFilterExpression: 'object',
  expireAfterSeconds: 'number',
  storageEngine: 'object',
  collation: COLLATION,
  weights: 'any',
  default_language: 'string',
  language_override: 'string',
  textIndexVersion: 'number',
  '2dsphereIndexVersion': 'number',
  bits: 'number',
  min: 'number',
  max: 'number',
  wildcardProjection: 'object',
  coarsestIndexedLevel: 'number',
  finestIndexedLevel: 'number',
  dropDups: 'bool',
  prepareUnique: {
    unsupported: 'prepareUnique index conversion is not implemented',
    allow: isFalse,
  },
  clustered: { unsupported: 'clustered collections are not supported', allow: isFalse },
};
