/**
 * Restores a backup written by dump.ts into an empty database.
 *
 * Order matters for what a failure leaves behind:
 * 1. the target is checked for data (refused unless `drop`),
 * 2. the whole backup is read and checked (every document parses, counts,
 *    sizes and SHA-256 match the manifest) before anything is written, so a
 *    damaged backup leaves the database untouched, even with `drop`,
 * 3. collections are created and filled in batches, counts are checked, and
 *    only then are indexes built (as mongorestore does: faster, and a TTL
 *    index cannot delete documents before the counts are checked),
 * 4. if any step of 3 fails, the collections it created are dropped again, so
 *    the database is left empty rather than half restored.
 */
import path from 'node:path';
import { BSON, type Document } from 'bson';
import type { Db, MongoClient } from 'mongodb';
import { DumpError, readManifest, type CollectionEntry, type Manifest } from './format.js';
import { readFrames, type FrameTally } from './frames.js';

/** At most this many documents, or about this many bytes, per insert. */
const BATCH_DOCUMENTS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Keep every value's BSON type as stored: Int32, Int64 and Double stay
 * distinct (no promotion to JS numbers) and regular expressions keep flags
 * JavaScript does not know.
 */
const EXACT_TYPES = { promoteValues: false, bsonRegExp: true } as const;

/** The target database holds data and `drop` was not given. */
export class RestoreRefused extends Error {
  constructor(
    readonly occupied: { name: string }[],
    dbName: string,
  ) {
    const names = occupied.map((c) => c.name).join(', ');
    super(
      `database ${dbName} is not empty (documents in: ${names}); restore only goes into an empty ` +
        'database. Point it at a new one, or pass --drop to delete everything in it first.',
    );
    this.name = 'RestoreRefused';
  }
}

/** Restoring failed after writing began; what it had written was removed again. */
export class RestoreFailed extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'RestoreFailed';
  }
}

export interface RestoreOptions {
  client: MongoClient;
  dbName: string;
  dir: string;
  /** Drop every collection of the target database first (after the backup checked out). */
  drop?: boolean;
  afterCollection?: (name: string, count: number) => void | Promise<void>;
}

/** The documents of one collection's data file; a missing file is a {@link DumpError}. */
async function* documentsOf(
  dir: string,
  entry: CollectionEntry,
  tally: FrameTally,
): AsyncGenerator<Buffer> {
  const file = path.join(dir, entry.file);
  try {
    yield* readFrames(file, tally);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new DumpError(`${file} is missing: the backup is incomplete`);
    throw error;
  }
}

/**
 * Reads every data file of the backup in `dir` to its end and checks it
 * against the manifest, without touching any database.
 * @throws DumpError naming the first problem found.
 */
export async function verifyDump(dir: string, manifest?: Manifest): Promise<Manifest> {
  manifest ??= await readManifest(dir);
  for (const entry of manifest.collections) {
    const tally: FrameTally = { count: 0, bytes: 0, sha256: null };
    const file = path.join(dir, entry.file);
    for await (const document of documentsOf(dir, entry, tally)) {
      try {
        BSON.deserialize(document, EXACT_TYPES);
      } catch (error) {
        throw new DumpError(
          `${file} is corrupt: document ${tally.count} is not valid BSON (${(error as Error).message})`,
        );
      }
    }
    if (tally.count !== entry.count || tally.bytes !== entry.bytes) {
      throw new DumpError(
        `${file} holds ${tally.count} documents in ${tally.bytes} bytes, but the manifest says ` +
          `${entry.count} in ${entry.bytes}: the file is truncated or was replaced`,
      );
    }
    if (tally.sha256 !== entry.sha256) {
      throw new DumpError(
        `${file} does not match its checksum in the manifest: the data was altered or damaged`,
      );
    }
  }
  return manifest;
}

/** Collections of `db` that hold at least one document. */
export async function collectionsWithData(db: Db): Promise<{ name: string }[]> {
  const infos = await db.listCollections({ type: 'collection' }, { nameOnly: true }).toArray();
  const occupied: { name: string }[] = [];
  for (const { name } of infos) {
    if (name.startsWith('system.')) continue;
    if ((await db.collection(name).findOne({}, { projection: { _id: 1 } })) !== null)
      occupied.push({ name });
  }
  return occupied.sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function loadCollection(db: Db, dir: string, entry: CollectionEntry): Promise<number> {
  const collection = db.collection(entry.name);
  const tally: FrameTally = { count: 0, bytes: 0, sha256: null };
  let batch: Document[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await collection.insertMany(batch, { ordered: true, bypassDocumentValidation: true });
    batch = [];
    batchBytes = 0;
  };
  for await (const document of documentsOf(dir, entry, tally)) {
    batch.push(BSON.deserialize(document, EXACT_TYPES));
    batchBytes += document.length;
    if (batch.length >= BATCH_DOCUMENTS || batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return tally.count;
}

/**
 * Restores the backup in `dir` into the database `dbName`, which must hold
 * no documents unless `drop` is set. Returns the manifest restored.
 * @throws RestoreRefused (database not empty), DumpError (backup unusable;
 *   nothing written), RestoreFailed (writing failed; what was written is gone).
 */
export async function restoreDatabase(options: RestoreOptions): Promise<Manifest> {
  const { client, dbName, dir } = options;
  const db = client.db(dbName);
  const manifest = await readManifest(dir);
  const occupied = await collectionsWithData(db);
  if (occupied.length > 0 && options.drop !== true) throw new RestoreRefused(occupied, dbName);
  await verifyDump(dir, manifest);

  if (options.drop === true) {
    await db.dropDatabase();
  } else {
    // Empty collections of the same name (a server started on the empty
    // database creates them) are replaced, so options and indexes come from the backup.
    const existing = new Set(
      (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
    );
    for (const entry of manifest.collections)
      if (existing.has(entry.name)) await db.collection(entry.name).drop();
  }

  const created: string[] = [];
  try {
    for (const entry of manifest.collections) {
      await db.command({ create: entry.name, ...entry.options });
      created.push(entry.name);
      const inserted = await loadCollection(db, dir, entry);
      const counted = await db.collection(entry.name).countDocuments({});
      if (inserted !== entry.count || counted !== entry.count) {
        throw new Error(
          `collection ${entry.name} holds ${counted} documents after inserting ${inserted}; the backup has ${entry.count}`,
        );
      }
      await options.afterCollection?.(entry.name, counted);
    }
    for (const entry of manifest.collections) {
      if (entry.indexes.length > 0)
        await db.command({ createIndexes: entry.name, indexes: entry.indexes });
    }
  } catch (error) {
    for (const name of created)
      await db
        .collection(name)
        .drop()
        .catch(() => undefined);
    throw new RestoreFailed(
      `restore failed and was rolled back (the ${created.length} collections it created were dropped): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return manifest;
}
