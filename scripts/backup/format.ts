/**
 * The on-disk format of a Quorum backup, shared by the dump and the load.
 *
 * A backup is a directory:
 *
 *     manifest.json        format, version, time, database, and per collection:
 *                          its options, index specs, document count, data file,
 *                          byte size and SHA-256 (JSON; options and index specs
 *                          in canonical Extended JSON, so they keep their exact
 *                          BSON types)
 *     0001-users.bson      the collection's documents, one raw BSON document
 *     0002-groups.bson     after another (the layout `mongodump` uses)
 *
 * Raw BSON keeps every value exactly (ObjectId, Date, Binary, Decimal128,
 * Int32/Int64/Double, -0, field order) and is self-delimiting, so both sides
 * stream it document by document. The manifest is written last: a directory
 * without one is an interrupted backup and is refused.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EJSON, type Document } from 'bson';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'quorum-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** Data file names the manifest may refer to: no directories, no `..`. */
const DATA_FILE = /^\d{4}-[A-Za-z0-9_.-]{0,64}\.bson$/;

/** A backup that cannot be used as it is (missing, truncated, altered, or another format). */
export class DumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpError';
  }
}

/** One collection as the manifest records it. */
export interface CollectionEntry {
  name: string;
  /** Data file inside the backup directory. */
  file: string;
  /** `listCollections` options (validator, collation, capped...), given back to `create`. */
  options: Document;
  /** Index specs as `listIndexes` returned them, without `_id_` (always there). */
  indexes: Document[];
  count: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_FORMAT_VERSION;
  createdAt: Date;
  database: string;
  /** How the documents were read as one point in time. */
  consistency: 'snapshot-transaction';
  collections: CollectionEntry[];
}

const plainObject = z.custom<Document>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'must be an object',
);

/** Canonical Extended JSON in the manifest, back to BSON values; undefined if it is not. */
function fromEjson(value: unknown): unknown {
  try {
    return EJSON.deserialize(value as Document, { relaxed: false });
  } catch {
    return undefined;
  }
}

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.iso.datetime().transform((iso) => new Date(iso)),
  database: z.string().min(1),
  consistency: z.literal('snapshot-transaction'),
  collections: z.array(
    z.object({
      name: z.string().min(1),
      file: z.string().regex(DATA_FILE, 'must be a plain NNNN-name.bson file name'),
      options: z.preprocess(fromEjson, plainObject),
      indexes: z.preprocess(
        fromEjson,
        z.array(plainObject.refine((spec) => plainObject.safeParse(spec.key).success)),
      ),
      count: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** The data file name for the `index`th collection: ordered, readable, and safe on any file system. */
export function dataFileName(index: number, collection: string): string {
  const readable = collection.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return `${String(index + 1).padStart(4, '0')}-${readable}.bson`;
}

export function serializeManifest(manifest: Manifest): string {
  const plain = {
    ...manifest,
    createdAt: manifest.createdAt.toISOString(),
    collections: manifest.collections.map((entry) => ({
      ...entry,
      options: EJSON.serialize(entry.options, { relaxed: false }),
      indexes: EJSON.serialize(entry.indexes, { relaxed: false }),
    })),
  };
  return `${JSON.stringify(plain, undefined, 2)}\n`;
}

/**
 * Reads and checks `dir/manifest.json`.
 * @throws DumpError naming what is wrong, before anything is restored.
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DumpError(
        `${dir} is not a complete Quorum backup: ${MANIFEST_FILE} is missing (an interrupted backup has none)`,
      );
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DumpError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new DumpError(
      `${file} is not a Quorum backup manifest (format ${BACKUP_FORMAT} version ${BACKUP_FORMAT_VERSION}): ` +
        `${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid'}`,
    );
  }
  const names = new Set<string>();
  const files = new Set<string>();
  for (const entry of parsed.data.collections) {
    if (names.has(entry.name) || files.has(entry.file))
      throw new DumpError(`${file} lists collection ${entry.name} or file ${entry.file} twice`);
    names.add(entry.name);
    files.add(entry.file);
  }
  return parsed.data;
}
