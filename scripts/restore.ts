/**
 * `npm run restore -- DIR [--drop]`: restores a backup made by
 * `npm run backup` into the configured database (MONGODB_URI, or the
 * embedded engine in DATA_DIR), which must be empty unless --drop is given.
 * See scripts/backup/load.ts for the checks and what a failure leaves behind.
 */
import path from 'node:path';
import { parseCliArgs, runWithTarget } from './backup/cli.js';
import { restoreDatabase } from './backup/load.js';

const USAGE = `Usage: npm run restore -- DIR [--drop]

Restores the backup in DIR into the database (MONGODB_URI, or the embedded
engine in DATA_DIR; stop the server first). The database must hold no
documents; --drop deletes everything in it first, but only after the whole
backup has been read and checked.`;

const args = parseCliArgs(process.argv.slice(2), USAGE, true);
if (args.path === undefined) {
  console.error(`Which backup? Give its directory.\n\n${USAGE}`);
  process.exit(2);
}
const dir = path.resolve(args.path);

await runWithTarget('restore', async (target) => {
  console.log(
    `Restoring ${dir} into ${target.description}${args.drop ? ' (dropping it first)' : ''}`,
  );
  const manifest = await restoreDatabase({
    client: target.client,
    dbName: target.dbName,
    dir,
    drop: args.drop,
    afterCollection: (name, count) => console.log(`  ${name}: ${count} documents`),
  });
  const total = manifest.collections.reduce((sum, c) => sum + c.count, 0);
  console.log(
    `Done: ${manifest.collections.length} collections, ${total} documents and their indexes, ` +
      `as backed up at ${manifest.createdAt.toISOString()}`,
  );
});
