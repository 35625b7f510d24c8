/**
 * Writes a consistent backup of one database: every collection, its options
 * and its indexes, as of a single point in time.
 *
 * Consistency comes from one multi-document transaction with read concern
 * `snapshot`: every `find` in it reads the same snapshot, however long the
 * dump runs and whatever is written meanwhile, on MongoDB (replica set) and on
 * the embedded engine alike. Transactions live at most 60 seconds on both, so
 * a dump that takes longer fails with a clear error instead of mixing points
 * in time. Collection and index definitions cannot be listed inside a
 * transaction; they are listed before it and again after it, and a backup
 * during which they changed is refused (run it again).
 */
import { mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { EJSON, type Document } from 'bson';
import { MongoServerError, type ClientSession, type Db, type MongoClient } from 'mongodb';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  DumpError,
  MANIFEST_FILE,
  dataFileName,
  readManifest,
  serializeManifest,
  type CollectionEntry,
  type Manifest,
} from './format.js';
import { FrameWriter } from './frames.js';

/** Documents per cursor batch. */
const BATCH_SIZE = 1000;

export interface DumpOptions {
  client: MongoClient;
  /** Database to back up (on `client`). */
  dbName: string;
  /** Backup directory to create; it must not exist yet, or be empty. */
  dir: string;
  /** Called after each collection is written (progress; tests use it to write meanwhile). */
  afterCollection?: (name: string, count: number) => void | Promise<void>;
}

/** A collection's definition as listed: what is needed to recreate it empty. */
interface CollectionDefinition {
  name: string;
  options: Document;
  indexes: Document[];
}

/** The database's collections (not views, not `system.*`), by name, with options and indexes. */
export async function listDefinitions(db: Db): Promise<CollectionDefinition[]> {
  const infos = await db.listCollections({ type: 'collection' }).toArray();
  const names = infos
    .map((info) => ({ name: info.name, options: (info as { options?: Document }).options ?? {} }))
    .filter((info) => !info.name.startsWith('system.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: CollectionDefinition[] = [];
  for (const { name, options } of names) {
    const specs = (await db.collection(name).listIndexes().toArray()) as Document[];
    // `ns` (older servers) names the source database; it must not travel.
    const indexes = specs
      .map(({ ns: _ns, ...spec }: Document) => spec)
      .filter((spec) => (spec as { name?: unknown }).name !== '_id_');
    out.push({ name, options, indexes });
  }
  return out;
}

/** Ready for a new backup at `dir`: refuses to overwrite anything. */
async function ensureFreeTarget(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0)
      throw new DumpError(`${dir} already exists and is not empty; choose a new backup path`);
    await rmdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR')
      throw new DumpError(`${dir} already exists as a file; choose a new backup path`);
    throw error;
  }
}

/** Explains the errors a long snapshot read runs into. */
function explainSnapshotError(error: unknown): unknown {
  if (
    error instanceof MongoServerError &&
    (error.code === 251 || error.hasErrorLabel('TransientTransactionError'))
  ) {
    return new DumpError(
      `the database snapshot ended before every collection was read (${error.message}). ` +
        'Transactions live at most 60 seconds; if the backup takes longer, raise ' +
        "MongoDB's transactionLifetimeLimitSeconds or use mongodump on the replica set.",
    );
  }
  return error;
}

async function dumpCollection(
  db: Db,
  session: ClientSession,
  definition: CollectionDefinition,
  file: string,
): Promise<{ count: number; bytes: number; sha256: string }> {
  const writer = await FrameWriter.create(file);
  try {
    // raw: the driver hands over each document's bytes untouched, so the
    // backup holds exactly what the server stored.
    const cursor = db
      .collection(definition.name)
      .find({}, { session, raw: true, batchSize: BATCH_SIZE });
    for await (const document of cursor) await writer.write(document as unknown as Uint8Array);
  } catch (error) {
    await writer.abandon();
    throw error;
  }
  const sha256 = await writer.close();
  return { count: writer.count, bytes: writer.bytes, sha256 };
}

async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const handle = await open(path.join(dir, MANIFEST_FILE), 'wx', 0o600);
  try {
    await handle.writeFile(serializeManifest(manifest), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Backs up `dbName` into the new directory `dir` and returns its manifest.
 * The backup is assembled in a sibling `.partial` directory and renamed into
 * place once complete, so `dir` either holds a whole backup or does not exist.
 * @throws DumpError if the target exists, the snapshot expired, or
 *   collections or indexes changed during the backup.
 */
export async function dumpDatabase(options: DumpOptions): Promise<Manifest> {
  const { client, dbName, dir } = options;
  const db = client.db(dbName);
  await ensureFreeTarget(dir);
  const work = `${dir}.partial-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true, mode: 0o700 });
  try {
    const createdAt = new Date();
    const before = await listDefinitions(db);
    const entries: CollectionEntry[] = [];
    const session = client.startSession();
    try {
      session.startTransaction({
        readConcern: { level: 'snapshot' },
        readPreference: 'primary',
      });
      for (const [index, definition] of before.entries()) {
        const file = dataFileName(index, definition.name);
        const written = await dumpCollection(db, session, definition, path.join(work, file));
        entries.push({ ...definition, file, ...written });
        await options.afterCollection?.(definition.name, written.count);
      }
      // Nothing was written: committing only ends the snapshot.
      await session.commitTransaction();
    } catch (error) {
      if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
      throw explainSnapshotError(error);
    } finally {
      await session.endSession();
    }
    const after = await listDefinitions(db);
    if (
      EJSON.stringify(before, { relaxed: false }) !== EJSON.stringify(after, { relaxed: false })
    ) {
      throw new DumpError(
        'collections or indexes were created, dropped or changed while the backup ran ' +
          '(an application start-up or deploy?); nothing was kept, run the backup again',
      );
    }
    await writeManifest(work, {
      format: BACKUP_FORMAT,
      version: BACKUP_FORMAT_VERSION,
      createdAt,
      database: dbName,
      consistency: 'snapshot-transaction',
      collections: entries,
    });
    await rename(work, dir);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  // Read back, so the caller sees exactly what is on disk.
  return readManifest(dir);
}
